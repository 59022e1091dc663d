// The web server's side of listing a hosting's backups: the `hosting-backups` query (src/node/query.ts).
// Only a hosting of this server's own desired state, with its own repository's key; the list is
// restic's (Abri's backups only, read without a lock so that a backup or a prune under way does not
// stop it), each snapshot one part (files, db:<name>, mail:<address>: its tag); the sizes are those the
// backups made here recorded (by short id; the manager adds those other servers reported).
import type { Logger } from 'pino';
import type { Executor } from '../platform/executor.js';
import { QueryRefusal, type QueryContext, type QueryHandler } from '../node/query.js';
import { HostingRepository } from './apply-restic.js';
import { readBackupState } from './apply-backups.js';
import { BACKUP_TAG, partOfTags, SAFETY_TAG } from './rules.js';
import { backupsArgs, type BackupsAnswer } from './model.js';

interface ResticSnapshot { id: string; short_id?: string; time: string; tags?: string[] }

/** The `hosting-backups` query of a node whose root is `root`. */
export function backupsQuery(exec: Executor, root: string, log: Logger): QueryHandler {
  return async (args: unknown, ctx: QueryContext): Promise<BackupsAnswer> => {
    const a = backupsArgs.parse(args);
    const h = ctx.state?.backups?.hostings.find((x) => x.hosting === a.hosting);
    if (!h) throw new QueryRefusal('backup.not_here', 'this hosting\'s backups are not (yet) known to its web server');
    const r = await new HostingRepository(exec, root, h).restic(['snapshots', '--json', '--no-lock', '--tag', BACKUP_TAG], 25_000, { allowFailure: true });
    if (r.code !== 0) {
      if (/unable to open config file|does not exist/i.test(r.stderr)) return { snapshots: [] }; // no backup made yet
      log.warn({ hosting: h.name, stderr: r.stderr.slice(-2000) }, 'backups of a hosting could not be listed');
      throw new QueryRefusal('backup.unreadable', 'the backups could not be read on the web server; staff see why in its log');
    }
    const sizes = (await readBackupState(root)).hostings[h.hosting]?.sizes ?? {};
    const list = (JSON.parse(r.stdout || '[]') as ResticSnapshot[] | null) ?? [];
    return {
      snapshots: list
        .map((s) => ({
          id: s.id, shortId: s.short_id ?? s.id.slice(0, 8), time: new Date(s.time).toISOString(), sizeBytes: sizes[s.id] ?? sizes[s.short_id ?? s.id.slice(0, 8)] ?? null,
          part: partOfTags(s.tags), safety: !!s.tags?.includes(SAFETY_TAG),
        }))
        .sort((x, y) => y.time.localeCompare(x.time))
        .slice(0, 2000),
    };
  };
}
