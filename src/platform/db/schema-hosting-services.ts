// Tables of what a hosting has besides its sites: databases and their users (and the database admin's
// tickets), disk usage, SFTP and FTP users. Part of the Database interface of schema.ts.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.js';

export interface DatabasesTable {
  id: Generated<string>;
  hostingId: string;
  serverId: string;
  name: string;
  sizeBytes: ColumnType<string | number | null, number | null | undefined, number | null>;
  measuredAt: Date | string | null;
  readOnlySince: Date | string | null;
  revision: Generated<number>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

/** MariaDB users of hostings: only MariaDB's mysql_native_password string is kept, never the password. */
export interface DatabaseUsersTable {
  id: Generated<string>; hostingId: string; serverId: string; name: string; authString: string;
  /** the database admin's own password of this user (sealed) and its mysql_native_password string (0016-dbadmin) */
  consoleSecret: string | null; consoleAuth: string | null;
  passwordChangedAt: Timestamp; revision: Generated<number>; createdAt: CreatedAt; updatedAt: Timestamp;
}

/** Single-use tickets that open the database admin as a database user (0016-dbadmin). */
export interface DbadminTicketsTable { nonceDigest: string; userId: string; expiresAt: Date | string; usedAt: Date | string | null; createdAt: CreatedAt }

export interface DatabaseGrantsTable {
  userId: string;
  databaseId: string;
}

/** The space a hosting's home uses, as its web server last measured it (src/hosting/store-disk.ts). */
export interface HostingDiskUsageTable {
  hostingId: string;
  serverId: string;
  usedBytes: number;
  enforced: boolean;
  measuredAt: Date;
}

/** SFTP users of hostings (src/files): Unix accounts sharing the hosting's uid on its web server; their public keys. */
export interface SftpUsersTable {
  id: Generated<string>; hostingId: string; name: string; folder: string; passwordHash: string | null; passwordChangedAt: Date | string | null;
  enabled: boolean; shell: Generated<boolean>; revision: Generated<number>; createdAt: CreatedAt; updatedAt: Timestamp;
}
/** FTP users of hostings (src/files): Pure-FTPd virtual users mapped to the hosting's uid on its web server. */
export interface FtpUsersTable {
  id: Generated<string>; hostingId: string; name: string; folder: string; passwordHash: string; passwordChangedAt: Date | string;
  enabled: boolean; revision: Generated<number>; createdAt: CreatedAt; updatedAt: Timestamp;
}
export interface SftpKeysTable { id: Generated<string>; userId: string; type: string; blob: string; bits: number; fingerprint: string; comment: string; createdAt: CreatedAt }

/** Scheduled tasks of hostings (src/cron) and their last runs. */
export interface CronTasksTable {
  id: Generated<string>; hostingId: string; command: string; schedule: string; timeLimit: number; enabled: boolean;
  runRequests: Generated<number>; revision: Generated<number>; createdAt: CreatedAt; updatedAt: Timestamp;
}
export interface CronRunsTable {
  id: Generated<string>; taskId: string; startedAt: Date | string; endedAt: Date | string; exitCode: number | null;
  timedOut: boolean; output: string; truncated: boolean; requested: boolean;
  /** which limit stopped it (migration 0021), null when none did */
  stoppedBy: CronStop | null;
}
export type CronStop = 'time_limit' | 'memory' | 'processes' | 'cpu_time' | 'file_size';
