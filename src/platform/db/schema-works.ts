// Tables of works (src/works, migration 0031). Part of the Database interface of schema.ts.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.js';

/** Works (src/works, migration 0031) and their history, written once. */
export interface WorksTable {
  id: Generated<string>; number: Generated<number>; kind: string; state: string; titleFr: string; titleEn: string; textFr: string; textEn: string;
  affectsPlatform: boolean; affectsRoles: string[]; affectsServers: string[]; plannedStart: Date | string | null; plannedMinutes: number | null;
  startedAt: Date | string | null; endedAt: Date | string | null; createdAt: CreatedAt; updatedAt: Timestamp;
}
export interface WorkHistoryTable {
  id: Generated<string>; workId: string; at: Date | string; author: string; event: string; state: string | null; previousState: string | null;
  plannedStart: Date | string | null; plannedMinutes: number | null; previousStart: Date | string | null; previousMinutes: number | null; textFr: string; textEn: string;
}

/** What each user receives by e-mail about works (migration 0039; "all" when absent). */
export interface WorkNoticePreferencesTable {
  userId: string; receive: 'all' | 'incidents' | 'none'; updatedAt: Timestamp;
}
/** Webhooks and Mastodon accounts told about works (0039); the secret is sealed. */
export interface WorkChannelsTable {
  id: Generated<string>; kind: 'webhook' | 'mastodon'; name: string; url: string; secretSealed: string; locale: 'fr' | 'en'; enabled: Generated<boolean>;
  createdAt: CreatedAt; updatedAt: Timestamp;
}
/** One event of a work told to one channel (0039). */
export interface WorkDeliveriesTable {
  id: Generated<string>; historyId: string; channelId: string; event: string; payload: ColumnType<unknown, string, string>;
  status: Generated<'queued' | 'sent' | 'failed'>; attempts: Generated<number>; lastError: string | null; responseStatus: number | null;
  createdAt: CreatedAt; sentAt: Date | string | null; updatedAt: Timestamp;
}
/** The last rendered public page (migration 0040): one row. */
export interface WorksPageTable {
  id: Generated<number>; digest: string; files: unknown; renderedAt: Timestamp;
}
/** Outside hosts the page is pushed to with rsync over SSH (migration 0040). */
export interface WorksTargetsTable {
  id: Generated<string>; name: string; host: string; port: number; username: string; path: string; hostKey: string; publicKey: string; privateKeySealed: string;
  pushedDigest: string | null; pushedAt: Date | string | null; lastAttemptAt: Date | string | null; lastError: string | null; failures: Generated<number>;
  createdAt: CreatedAt; updatedAt: Timestamp;
}
