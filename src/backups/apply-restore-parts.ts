// A server's restores of the parts of backups it holds (a database, a mailbox), as its desired state
// lists them: each reported running, then done (with the safety snapshot of an in-place restore) or
// failed with a stable code, kept in the backups' state until the manager has the report. A new
// database not made yet by the database driver is waited for (tried again at the next pass).
import type { Logger } from 'pino';
import { detailOf } from '../node/driver.js';
import type { DesiredBackup, PartRestoreReport } from '../node/protocol-backups.js';
import { PartFailed, type HostingParts } from './apply-parts.js';
import { PART } from './rules.js';

export interface RestoreState {
  /** restores finished here (the manager's state may still list them until it has the report) */
  restoresDone?: string[];
  /** restore reports not yet sent */
  unsentRestores?: PartRestoreReport[];
}

const KEPT_DONE = 500;

/** Does the restores of a hosting not done yet; `report` keeps (and sends) each report. */
export async function doPartRestores(h: DesiredBackup, parts: HostingParts, state: RestoreState, now: () => Date, report: (r: PartRestoreReport) => Promise<void>, log: Logger): Promise<void> {
  for (const r of h.partRestores) {
    if (state.restoresDone?.includes(r.id)) continue;
    const at = () => now().toISOString();
    await report({ id: r.id, status: 'running', at: at(), safetySnapshot: null, code: null, message: null });
    let safety: string | null = null;
    try {
      const m = PART.exec(r.part);
      if (!m) throw new PartFailed('backup.bad_part', `${r.part} is not a part of a backup this server restores`);
      const [, kind, name] = m as unknown as [string, 'db' | 'mail', string];
      if (kind === 'db') {
        if (r.mode === 'in-place') {
          if (!h.databases.includes(name)) throw new PartFailed('backup.part_not_here', `the database ${name} is not on this server`);
          safety = (await parts.dumpDatabase(name, now(), true)).snapshot_id!;
        }
        await parts.restoreDatabase(r.snapshot, name, r.mode === 'new' ? r.target : name);
      } else {
        const mailbox = h.mailboxes.find((b) => b.address === name);
        if (!mailbox) throw new PartFailed('backup.part_not_here', `the mailbox ${name} is not on this server`);
        if (r.mode === 'in-place') safety = (await parts.backupMailbox(mailbox, now(), true)).snapshot_id!;
        await parts.restoreMailbox(r.snapshot, mailbox, r.mode === 'new' ? r.target : null, r.id);
      }
      await report({ id: r.id, status: 'done', at: at(), safetySnapshot: safety, code: null, message: null });
      log.info({ hosting: h.name, part: r.part, mode: r.mode, snapshot: r.snapshot }, 'backup part restored');
    } catch (e) {
      if (e instanceof PartFailed && e.code === 'backup.target_missing') continue; // its database is made first: the next pass
      const code = e instanceof PartFailed ? e.code : 'backup.restore_failed';
      log.warn({ hosting: h.name, part: r.part, err: e }, `restore of ${r.part} failed: ${detailOf(e)}`);
      await report({ id: r.id, status: 'failed', at: at(), safetySnapshot: safety, code, message: detailOf(e).slice(0, 2000) });
    }
    state.restoresDone = [...(state.restoresDone ?? []), r.id].slice(-KEPT_DONE);
  }
}
