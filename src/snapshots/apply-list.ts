// The web server's side of listing a hosting's snapshots: the `hosting-snapshots` query
// (src/node/query.ts). Only a hosting of this server's own desired state, at the home it names;
// only the entries of its root-owned backups/ that are snapshots Abri names (kind and date) and
// made (read-only subvolumes owned by root, seen without following a link). Their space is the
// exclusive bytes of their qgroups, read once per question.
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import { lstatIfExists } from '../platform/if-exists.js';
import { QueryRefusal, type QueryContext, type QueryHandler } from '../node/query.js';
import { qgroups, subvolumeId } from '../hosting/btrfs.js';
import { isSubvolumeRoot, ourSnapshots, readSnapshotState } from './apply-snapshots.js';
import { parseSnapshotName } from './rules.js';
import { snapshotsArgs, type SnapshotsAnswer } from './model.js';

/** The `hosting-snapshots` query of a node whose root is `root`. */
export function snapshotsQuery(exec: Executor, root: string): QueryHandler {
  const onBtrfs = new Map<string, boolean>();
  return async (args: unknown, ctx: QueryContext): Promise<SnapshotsAnswer> => {
    const a = snapshotsArgs.parse(args);
    const h = ctx.state?.web?.hostings.find((x) => x.id === a.hosting);
    if (!h) throw new QueryRefusal('snapshot.not_here', 'this hosting is not (yet) on its web server');
    if (!(await isSubvolumeRoot(exec, h.home, onBtrfs))) return { available: false, snapshots: [] };
    const backups = path.join(h.home, 'backups');
    const found: Array<{ name: string; kind: SnapshotsAnswer['snapshots'][number]['kind']; at: Date }> = [];
    const st = await lstatIfExists(backups);
    if (st?.isDirectory() && st.uid === 0) for (const name of await ourSnapshots(exec, backups, onBtrfs)) found.push({ name, ...parseSnapshotName(name)! });
    found.sort((x, y) => y.at.getTime() - x.at.getTime() || x.name.localeCompare(y.name));
    const taken = (await readSnapshotState(root))?.taken ?? {};
    const bytes = found.length ? await exclusiveBytes(exec, h.home) : new Map<string, number>();
    return {
      available: true,
      snapshots: found.map((s) => ({
        kind: s.kind, name: s.name, takenAt: taken[`${h.id}/${s.name}`] ?? s.at.toISOString(), path: `backups/${s.name}`, exclusiveBytes: bytes.get(s.name) ?? null,
      })),
    };
  };
}

/** The exclusive bytes of the qgroup of each subvolume in the home's backups/, by name (empty when btrfs-progs prints no paths). */
async function exclusiveBytes(exec: Executor, home: string): Promise<Map<string, number>> {
  const groups = await qgroups(exec, home, { sync: false });
  const id = await subvolumeId(exec, home);
  const ownPath = groups.find((g) => g.id === id)?.path;
  const out = new Map<string, number>();
  if (!ownPath) return out;
  const prefix = `${ownPath}/backups/`;
  for (const g of groups) if (g.path?.startsWith(prefix) && !g.path.slice(prefix.length).includes('/')) out.set(g.path.slice(prefix.length), g.exclusive);
  return out;
}
