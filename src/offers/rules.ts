// Pure rules of offers.
import type { FieldIssue } from '../platform/errors.js';

/**
 * What a new offer gets for each field it does not give: the one place these values live (the API
 * applies them, the OpenAPI document shows them, the CLI and the UI read them from there).
 * The PHP versions default to every version the platform has (ABRI_PHP_VERSIONS).
 */
export const offerDefaults = {
  currency: 'EUR',
  billingCycle: 'monthly',
  diskMb: 1000,
  maxSites: 1,
  maxMailboxes: 5,
  mailMb: 1000,
  maxDatabases: 1,
  databaseMb: 500,
  maxFtpUsers: 1,
  sshAllowed: false,
  tlsAllowed: true,
  phpMaxChildren: 5,
  phpMemoryMb: 256,
  phpUploadMaxMb: 64,
  phpMaxExecutionSeconds: 300,
  maxCronTasks: 20,
  cronMaxRunSeconds: 3600,
  mailSendPerHour: 100,
  mailSendPerDay: 1000,
  snapshotsHourly: 6,
  snapshotsDaily: 7,
  snapshotsWeekly: 4,
  snapshotsMonthly: 3,
  backupKeepDaily: 7,
  backupKeepWeekly: 4,
  archived: false,
  selfService: false,
  orderable: false,
} as const;

export const billingCycles = ['monthly', 'quarterly', 'yearly'] as const;

/** The PHP versions of an offer, each once, in the order given. */
export const uniqueVersions = (versions: string[]) => [...new Set(versions)];

/** An issue for PHP versions the platform does not have (ABRI_PHP_VERSIONS), or none. */
export function phpVersionsIssue(versions: string[], available: string[]): FieldIssue[] {
  const unknown = versions.filter((v) => !available.includes(v));
  if (!unknown.length) return [];
  return [
    {
      path: 'body.phpVersions',
      code: 'offer.php_version_unavailable',
      message: `PHP ${unknown.join(', ')} is not offered by this platform (available: ${available.join(', ')})`,
      params: { versions: unknown, available },
    },
  ];
}

/** The issue of a name another offer already has. */
export const nameTakenIssue = (name: string): FieldIssue => ({
  path: 'body.name',
  code: 'offer.name_taken',
  message: `an offer named "${name}" already exists`,
  params: { name },
});

/** The offer's fields that say how many snapshots of each kind the web server keeps of a home. */
export const snapshotFields = ['snapshotsHourly', 'snapshotsDaily', 'snapshotsWeekly', 'snapshotsMonthly'] as const;
export type SnapshotCounts = Record<(typeof snapshotFields)[number], number>;
/** The offer's fields that say how many backups the web servers keep on the backup server (restic forget). */
export const backupFields = ['backupKeepDaily', 'backupKeepWeekly'] as const;
export type BackupCounts = Record<(typeof backupFields)[number], number>;

/** Whether a change of these fields changes what the web servers render for the offer's hostings. */
/** A change of the sending limits reaches the mail servers of the offer's hostings. */
export const changesSendLimits = (patch: { mailSendPerHour?: number; mailSendPerDay?: number }, before: { mailSendPerHour: number; mailSendPerDay: number }) =>
  (patch.mailSendPerHour !== undefined && patch.mailSendPerHour !== before.mailSendPerHour) ||
  (patch.mailSendPerDay !== undefined && patch.mailSendPerDay !== before.mailSendPerDay);

export const changesRenderedHostings = (
  patch: {
    phpMaxChildren?: number;
    phpMemoryMb?: number;
    phpUploadMaxMb?: number;
    phpMaxExecutionSeconds?: number;
    diskMb?: number;
    sshAllowed?: boolean;
    cronMaxRunSeconds?: number;
  } & Partial<SnapshotCounts & BackupCounts>,
  before: {
    phpMaxChildren: number;
    phpMemoryMb: number;
    phpUploadMaxMb: number;
    phpMaxExecutionSeconds: number;
    diskMb: number;
    sshAllowed: boolean;
    cronMaxRunSeconds: number;
  } & SnapshotCounts &
    BackupCounts,
) =>
  snapshotFields.some((f) => patch[f] !== undefined && patch[f] !== before[f]) || // the web servers keep more or fewer snapshots
  backupFields.some((f) => patch[f] !== undefined && patch[f] !== before[f]) || // … or backups
  (patch.cronMaxRunSeconds !== undefined && patch.cronMaxRunSeconds !== before.cronMaxRunSeconds) || // scheduled runs are killed at the lowered bound
  // the bounds of the sites' PHP settings: a site above a lowered bound is served at the bound
  (patch.phpUploadMaxMb !== undefined && patch.phpUploadMaxMb !== before.phpUploadMaxMb) ||
  (patch.phpMaxExecutionSeconds !== undefined && patch.phpMaxExecutionSeconds !== before.phpMaxExecutionSeconds) ||
  (patch.diskMb !== undefined && patch.diskMb !== before.diskMb) || // a qgroup limit on btrfs homes
  (patch.sshAllowed !== undefined && patch.sshAllowed !== before.sshAllowed) || // SFTP users' shells given or taken back
  (patch.phpMaxChildren !== undefined && patch.phpMaxChildren !== before.phpMaxChildren) ||
  (patch.phpMemoryMb !== undefined && patch.phpMemoryMb !== before.phpMemoryMb);
