// Row type of offers (src/offers).
import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.js';

export interface OffersTable {
  id: Generated<string>;
  name: string;
  priceCents: number;
  currency: Generated<string>;
  billingCycle: 'monthly' | 'quarterly' | 'yearly';
  diskMb: number;
  maxSites: number;
  maxMailboxes: number;
  mailMb: number;
  maxDatabases: number;
  databaseMb: number;
  maxFtpUsers: number;
  sshAllowed: boolean;
  tlsAllowed: boolean;
  phpVersions: string[];
  phpMaxChildren: Generated<number>;
  phpMemoryMb: Generated<number>;
  /** the most a site may set upload_max_filesize and post_max_size to (migration 0018) */
  phpUploadMaxMb: Generated<number>;
  /** the most a site may set max_execution_time to, seconds (migration 0018) */
  phpMaxExecutionSeconds: Generated<number>;
  /** scheduled tasks per hosting (migration 0021) */
  maxCronTasks: Generated<number>;
  /** the longest time limit a scheduled task may set, seconds (migration 0021) */
  cronMaxRunSeconds: Generated<number>;
  /** messages a mailbox may send per hour and per day; past them they are held (migration 0028) */
  mailSendPerHour: Generated<number>;
  mailSendPerDay: Generated<number>;
  /** snapshots of each kind the web server keeps of a home (migration 0030; 0: none) */
  snapshotsHourly: Generated<number>;
  snapshotsDaily: Generated<number>;
  snapshotsWeekly: Generated<number>;
  snapshotsMonthly: Generated<number>;
  /** VAT rate in basis points (2000 = 20 %); null: the seller's default rate (migration 0037) */
  vatRateBp: Generated<number | null>;
  /** backups kept on the backup server: daily and weekly (migration 0036; restic forget --keep-daily/--keep-weekly) */
  backupKeepDaily: Generated<number>;
  backupKeepWeekly: Generated<number>;
  archived: Generated<boolean>;
  /** customers move their hostings to it by themselves, prorated (migration 0044) */
  selfService: Generated<boolean>;
  /** shown on the public order page and in the customers' area, to be ordered (migration 0050) */
  orderable: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}
