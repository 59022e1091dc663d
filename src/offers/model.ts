// Offers: a plan with a price, a billing cycle and the quotas its hostings live within.
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { OffersTable } from '../platform/db/schema.js';
import { patchOf, singleLine } from '../platform/validation.js';
import { billingCycles, offerDefaults } from './rules.js';

const quota = (max: number, fallback: number, description: string) => z.number().int().min(0).max(max).default(fallback).describe(description);
export const phpVersion = z.string().regex(/^\d+\.\d+$/, 'must be a PHP version like 8.2');

export const offerFields = {
  name: singleLine(100).describe('name shown to customers; unique, whatever the case'),
  priceCents: z.number().int().min(0).max(100_000_000).describe('price per billing cycle, in cents'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like EUR')
    .default(offerDefaults.currency),
  billingCycle: z.enum(billingCycles).default(offerDefaults.billingCycle),
  vatRateBp: z
    .number()
    .int()
    .min(0)
    .max(10000)
    .nullable()
    .default(null)
    .describe(
      "VAT rate of its invoices in basis points (2000 = 20 %, 550 = 5.5 %); null: the seller's default rate. No VAT is charged while the seller is exempt",
    ),
  diskMb: quota(100_000_000, offerDefaults.diskMb, 'web disk space, in MB'),
  maxSites: quota(100_000, offerDefaults.maxSites, 'sites per hosting'),
  maxMailboxes: quota(100_000, offerDefaults.maxMailboxes, 'mailboxes'),
  mailMb: quota(100_000_000, offerDefaults.mailMb, 'mail space, in MB'),
  maxDatabases: quota(10_000, offerDefaults.maxDatabases, 'databases'),
  databaseMb: quota(100_000_000, offerDefaults.databaseMb, 'database space, in MB'),
  maxFtpUsers: quota(10_000, offerDefaults.maxFtpUsers, 'FTP accounts'),
  sshAllowed: z.boolean().default(offerDefaults.sshAllowed).describe('SSH access'),
  tlsAllowed: z.boolean().default(offerDefaults.tlsAllowed).describe('HTTPS for the sites'),
  phpVersions: z
    .array(phpVersion)
    .min(1, 'allow at least one PHP version')
    .max(20)
    .optional()
    .describe('PHP versions the sites may use; default: every version of the platform (ABRI_PHP_VERSIONS)'),
  phpMaxChildren: z.number().int().min(1).max(500).default(offerDefaults.phpMaxChildren).describe('PHP-FPM processes a hosting may run at once'),
  phpMemoryMb: z
    .number()
    .int()
    .min(16)
    .max(16384)
    .default(offerDefaults.phpMemoryMb)
    .describe('PHP memory_limit, in MB: the default of every site and the most a site may set'),
  phpUploadMaxMb: z
    .number()
    .int()
    .min(1)
    .max(16384)
    .default(offerDefaults.phpUploadMaxMb)
    .describe('the most a site may set PHP upload_max_filesize and post_max_size to, in MB (also their default)'),
  phpMaxExecutionSeconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(offerDefaults.phpMaxExecutionSeconds)
    .describe('the most a site may set PHP max_execution_time to, in seconds'),
  maxCronTasks: quota(10_000, offerDefaults.maxCronTasks, 'scheduled (cron) tasks per hosting'),
  cronMaxRunSeconds: z
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(offerDefaults.cronMaxRunSeconds)
    .describe('the longest time limit a scheduled task may set, in seconds (a run is killed after its time limit)'),
  mailSendPerHour: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(offerDefaults.mailSendPerHour)
    .describe('messages each mailbox may send (authenticated) per hour; past it, its mail is held for staff'),
  mailSendPerDay: z
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .default(offerDefaults.mailSendPerDay)
    .describe('messages each mailbox may send (authenticated) per day; past it, its mail is held for staff'),
  snapshotsHourly: quota(48, offerDefaults.snapshotsHourly, 'hourly snapshots of a home kept on its web server (taken at each hour, UTC; 0: none)'),
  snapshotsDaily: quota(31, offerDefaults.snapshotsDaily, 'daily snapshots kept (taken at 05:00 UTC; 0: none)'),
  snapshotsWeekly: quota(12, offerDefaults.snapshotsWeekly, 'weekly snapshots kept (taken on Sunday at 07:00 UTC; 0: none)'),
  snapshotsMonthly: quota(24, offerDefaults.snapshotsMonthly, 'monthly snapshots kept (taken on the 1st at 08:00 UTC; 0: none)'),
  backupKeepDaily: z
    .number()
    .int()
    .min(1)
    .max(90)
    .default(offerDefaults.backupKeepDaily)
    .describe('daily backups kept on the backup server (restic forget --keep-daily; taken every day, see the README)'),
  backupKeepWeekly: quota(
    52,
    offerDefaults.backupKeepWeekly,
    'weekly backups kept on the backup server beyond the daily ones (restic forget --keep-weekly; 0: none)',
  ),
  archived: z.boolean().default(offerDefaults.archived).describe('archived offers stay on their hostings but are not offered for new ones'),
  selfService: z
    .boolean()
    .default(offerDefaults.selfService)
    .describe('customers (manager role) may move their hostings to this offer by themselves, prorated (POST /hostings/{id}/offer-change); otherwise staff do'),
  orderable: z
    .boolean()
    .default(offerDefaults.orderable)
    .describe("shown with its price on the public order page and in the customers' area, to be ordered (when priced and not archived)"),
};

export const offerCreate = z.strictObject(offerFields);
export const offerPatch = patchOf(offerFields);
export type OfferCreate = z.output<typeof offerCreate>;
export type OfferPatch = z.output<typeof offerPatch>;

export const offerOut = z.object({
  id: z.string(),
  ...offerFields,
  phpVersions: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** An offer as the database holds it. */
export type OfferRow = Selectable<OffersTable>;

/** The fields of an offer as stored (what `offer add` gives, with the defaults applied). */
export type OfferInput = Omit<OfferRow, 'id' | 'createdAt' | 'updatedAt'>;

export const showOffer = (o: OfferRow): z.input<typeof offerOut> => ({
  ...o,
  createdAt: new Date(o.createdAt).toISOString(),
  updatedAt: new Date(o.updatedAt).toISOString(),
});
