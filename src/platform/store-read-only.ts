// The platform's read-only mode in the database (0041-read-only): read by every change through a
// cache (a switch in this process is seen at once, one in another process within a second), written
// by the admins who switch it.
import type { Db } from './db/database.js';
import { CommittedCache } from './committed-cache.js';
import { writableMode, type ReadOnlyMode } from './read-only.js';

const cache = new CommittedCache<ReadOnlyMode>(1000, 1);
const date = (d: Date | string | null) => (d === null ? null : new Date(d));

/** The mode as last switched (writable when it never was). */
export function readOnlyMode(db: Db): Promise<ReadOnlyMode> {
  return cache.read(db, 'mode', async () => {
    const row = await db.selectFrom('platformReadOnly').selectAll().executeTakeFirst();
    if (!row) return writableMode;
    return {
      enabled: row.enabled,
      message: { fr: row.messageFr, en: row.messageEn },
      startsAt: date(row.startsAt),
      changedAt: date(row.changedAt),
      changedBy: row.changedBy,
    };
  });
}

/** Switches the mode (in the admin's change). */
export async function saveReadOnlyMode(db: Db, mode: Omit<ReadOnlyMode, 'changedAt'>, now: Date): Promise<void> {
  const values = { enabled: mode.enabled, messageFr: mode.message.fr, messageEn: mode.message.en, startsAt: mode.startsAt, changedAt: now, changedBy: mode.changedBy };
  await db.insertInto('platformReadOnly').values({ id: true, ...values }).onConflict((oc) => oc.column('id').doUpdateSet(values)).execute();
  cache.changed(db);
}
