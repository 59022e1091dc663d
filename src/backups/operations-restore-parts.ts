// Restores of parts of a hosting's backups (a database, a mailbox; src/backups/operations-restore.ts
// dispatches on the part): whoever may change the hosting asks for one; the server holding the part does it (src/backups/apply-restore-parts.ts) and reports
// it. A new database is made in the same change (it counts against the offer's limit). Another
// customer's hosting, and so its backups, is "not found".
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { customerScope } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting } from '../hosting/store-hostings.js';
import { databaseOfHosting, makeRestoredDatabase } from '../databases/operations-restored.js';
import { findRepository } from './store.js';
import { hostingMailbox, hostingPartRestores, insertPartRestore, type PartRestoreRow } from './store-parts.js';
import { restoredDatabaseName, restoredMailFolder } from './rules.js';
import type { BackupRestoreListItem, PartRestoreIn, PartRestoreItem } from './model-restore.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const partRestoreView = (r: PartRestoreRow): PartRestoreItem => ({
  id: r.id, hosting: r.hostingId, snapshot: r.snapshot, part: r.part, mode: r.mode, target: r.target, safetySnapshot: r.safetySnapshot, status: r.status,
  error: r.status === 'failed' ? { code: r.errorCode ?? 'backup.restore_failed', message: r.errorMessage } : null,
  requestedAt: iso(r.requestedAt)!, startedAt: iso(r.startedAt), finishedAt: iso(r.finishedAt),
});

const notFound = (part: string) => new AppError('backup_part.not_found', `this hosting has no ${part.replace(':', ' ')}`, { params: { part } });

/** Asks the server holding a part of a backup to restore it (new or in place). */
export function requestPartRestore(app: AppContext, caller: Caller, ref: string, snapshot: string, input: PartRestoreIn) {
  return change(app, caller, async (c) => {
    const h = await findHosting(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may(hostingSubject(h, 'backup'), 'manage');
    const name = input.part.slice(input.part.indexOf(':') + 1);
    // the part first (another hosting's database or mailbox is not found), then the repository
    let serverId: string;
    let target: string;
    let make: (() => Promise<string>) | null = null;
    if (input.part.startsWith('db:')) {
      const d = await databaseOfHosting(c, h.id, name);
      if (input.mode === 'in-place') {
        if (!d) throw notFound(input.part);
        [serverId, target] = [d.serverId, d.name];
      } else {
        // a database of the hosting, or one it had (deleted since): its names start with the hosting's
        if (!d && !name.startsWith(`${h.name}_`)) throw notFound(input.part);
        const restored = restoredDatabaseName(name, c.now);
        if (!restored) throw new AppError('backup.bad_part', `the name ${name}_restored_<date> is longer than MariaDB allows: restore in place`, { params: { part: input.part } });
        [serverId, target] = ['', restored];
        make = async () => (await makeRestoredDatabase(c, h, name, restored)).serverId;
      }
    } else {
      const mailbox = await hostingMailbox(c.db, h.id, name);
      if (!mailbox) throw notFound(input.part);
      [serverId, target] = [mailbox.serverId, input.mode === 'new' ? restoredMailFolder(c.now) : name];
    }
    if (!(await findRepository(c.db, h.id))) throw new AppError('backup.none', 'this hosting has no backup repository yet');
    if (make) serverId = await make();
    const row = await insertPartRestore(c.db, { hostingId: h.id, serverId, snapshot, part: input.part, mode: input.mode, target, requestedBy: caller.actor?.userId ?? null, requestedAt: c.now });
    await c.audit({ action: 'backup.restore', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, after: { restore: row.id, snapshot, part: row.part, mode: row.mode, target } });
    await c.bump(`restore of ${input.part} of ${h.name} asked for`, [serverId]);
    return partRestoreView(row);
  });
}

/** A hosting's last restores of parts (databases, mailboxes), newest first, as GET …/backups/restores lists them. */
export async function lastPartRestores(db: AppContext['db'], hostingId: string): Promise<BackupRestoreListItem[]> {
  return (await hostingPartRestores(db, hostingId, 50)).map((r) => ({ ...partRestoreView(r), path: null }));
}
