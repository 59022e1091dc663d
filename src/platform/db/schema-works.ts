// Tables of works (src/works, migration 0031). Part of the Database interface of schema.ts.
import type { Generated } from 'kysely';
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
