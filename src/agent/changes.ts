// An agent's long poll for its desired state: it returns as soon as a revision newer than the
// agent's concerns its server. The revisions of this process wake it when they commit
// (platform/wakeups.ts); those another process commits (a CLI command or a second manager on the
// same PostgreSQL) are seen within LOOK_AGAIN_MS. Looking every 100 ms, as it did, cost an idle
// manager ten queries a second per connected server.
import type { Db } from '../platform/db/database.js';
import { committedRevisions } from '../platform/wakeups.js';
import { hasNewerRevision } from './store.js';

export const LOOK_AGAIN_MS = 500;

/**
 * Resolves when a revision newer than `since` concerns the server (true), or after `waitMs` or on abort
 * (false). `lookAgainMs`: how often it looks without being woken (tests make it long).
 */
export async function waitForChange(
  db: Db,
  serverId: string,
  since: number,
  waitMs: number,
  signal?: AbortSignal,
  lookAgainMs = LOOK_AGAIN_MS,
): Promise<boolean> {
  const newer = () => hasNewerRevision(db, serverId, since);
  return committedRevisions.until('revision', newer, (found) => found, { deadline: Date.now() + waitMs, everyMs: lookAgainMs, signal });
}
