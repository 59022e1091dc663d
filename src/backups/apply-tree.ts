// The web server's side of browsing a backup: the `backup-tree` query (src/node/query.ts). Only a
// hosting of this server's own desired state, in its own repository (with its key: another
// hosting's backup id is not found there), one folder of its home at a time (`restic ls`, read
// without a lock); never the home's backups/ folder (the snapshots are not in backups).
import path from 'node:path';
import type { Logger } from 'pino';
import type { Executor } from '../platform/executor.js';
import { QueryRefusal, type QueryContext, type QueryHandler } from '../node/query.js';
import { restorePathProblem } from '../snapshots/rules-restore.js';
import { HostingRepository } from './apply-restic.js';
import { BackupReadError, lsBackup, type LsNode } from './apply-restore.js';
import { treeArgs, type TreeAnswer } from './model-restore.js';

const TYPES = new Set(['dir', 'file', 'symlink']);
const MAX_ENTRIES = 5000;

/** The `backup-tree` query of a node whose root is `root`. */
export function backupTreeQuery(exec: Executor, root: string, log: Logger): QueryHandler {
  return async (args: unknown, ctx: QueryContext): Promise<TreeAnswer> => {
    const a = treeArgs.parse(args);
    const b = ctx.state?.backups?.hostings.find((x) => x.hosting === a.hosting);
    if (!b) throw new QueryRefusal('backup.not_here', 'this hosting\'s backups are not (yet) known to its web server');
    if (a.path !== '' && restorePathProblem(a.path)) throw new QueryRefusal('backup.path_not_found', `${a.path} is not a folder of the home that may be listed`);
    const dir = a.path === '' ? b.home : path.join(b.home, a.path);
    let nodes: LsNode[];
    try {
      nodes = await lsBackup(new HostingRepository(exec, root, b), a.snapshot, dir);
    } catch (e) {
      if (!(e instanceof BackupReadError)) throw e;
      if (e.missing) throw new QueryRefusal('backup.not_found', 'no backup of this hosting has this id');
      log.warn({ hosting: b.name, err: e.message }, 'a backup could not be listed');
      throw new QueryRefusal('backup.unreadable', 'the backup could not be read on the web server; staff see why in its log');
    }
    if (nodes.find((n) => n.path === dir)?.type !== 'dir') throw new QueryRefusal('backup.path_not_found', `${a.path || 'the home'} is not a folder in this backup`);
    const entries = nodes
      .filter((n) => n.path !== dir && path.dirname(n.path) === dir && !(a.path === '' && n.name === 'backups'))
      .map((n) => ({
        name: n.name, path: path.relative(b.home, n.path), type: (TYPES.has(n.type) ? n.type : 'other') as TreeAnswer['entries'][number]['type'],
        size: n.type === 'file' && typeof n.size === 'number' ? n.size : null, mtime: n.mtime ? new Date(n.mtime).toISOString() : null,
      }))
      .sort((x, y) => Number(y.type === 'dir') - Number(x.type === 'dir') || x.name.localeCompare(y.name))
      .slice(0, MAX_ENTRIES);
    return { entries };
  };
}
