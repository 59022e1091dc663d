// btrfs through its command-line tools (btrfs-progs), always via the Executor: subvolumes, quota
// groups and their limits. A subvolume's root directory is inode 256 (BTRFS_FIRST_FREE_OBJECTID);
// its qgroup is 0/<subvolume id>. Limits are on the referenced size: what the home holds as its
// hosting sees it, whatever it shares with snapshots.
import type { Executor } from '../platform/executor.js';

/** The inode number of every subvolume's root directory. */
export const SUBVOLUME_ROOT_INO = 256;

/** The filesystem type of the filesystem holding `dir` ("btrfs", "ext2/ext3", "tmpfs", "xfs"…). */
export async function fsTypeOf(exec: Executor, dir: string): Promise<string> {
  return (await exec.run('stat', ['-f', '-c', '%T', dir])).stdout.trim();
}

export async function createSubvolume(exec: Executor, p: string): Promise<void> {
  await exec.run('btrfs', ['subvolume', 'create', p]);
}

/**
 * Deletes the subvolume `id` and, first, the subvolumes nested in it (a hosting may create some:
 * btrfs lets the owner of a directory do so). By id, never by a path a hosting could redirect with a
 * symlink; `fs` is a subvolume of that filesystem (btrfs-progs wants one), e.g. the one deleted.
 */
export async function deleteSubvolume(exec: Executor, fs: string, id: number): Promise<void> {
  const children = new Map<number, number[]>();
  for (const line of (await exec.run('btrfs', ['subvolume', 'list', '-p', fs])).stdout.split('\n')) {
    const m = /^ID (\d+) gen \d+ parent (\d+) /.exec(line.trim());
    if (m) (children.get(Number(m[2])) ?? children.set(Number(m[2]), []).get(Number(m[2]))!).push(Number(m[1]));
  }
  const order: number[] = [];
  const visit = (n: number) => {
    for (const c of children.get(n) ?? []) visit(c);
    order.push(n); // the deepest first, `id` last
  };
  visit(id);
  for (const n of order) await exec.run('btrfs', ['subvolume', 'delete', '--subvolid', String(n), fs]);
}

/** Enables quota groups on the filesystem of `p` (nothing happens when they are already on). */
export async function enableQuota(exec: Executor, p: string): Promise<void> {
  await exec.run('btrfs', ['quota', 'enable', p]);
}

/** Sets the referenced-size limit of the subvolume at `p` to `mb` MiB. */
export async function setLimit(exec: Executor, p: string, mb: number): Promise<void> {
  await exec.run('btrfs', ['qgroup', 'limit', `${mb}M`, p]);
}

/** The subvolume id of the subvolume holding `p`. */
export async function subvolumeId(exec: Executor, p: string): Promise<number> {
  return Number((await exec.run('btrfs', ['inspect-internal', 'rootid', p])).stdout.trim());
}

export interface Qgroup {
  /** subvolume id (qgroup 0/<id>) */
  id: number;
  referenced: number;
  exclusive: number;
  /** referenced-size limit in bytes, null: none */
  maxReferenced: number | null;
  /** the subvolume's path from the filesystem's top level, when btrfs-progs prints it */
  path: string | null;
}

/** Parses `btrfs qgroup show --raw -re`: the level-0 qgroups (one per subvolume). */
export function parseQgroups(text: string): Qgroup[] {
  const out: Qgroup[] = [];
  for (const line of text.split('\n')) {
    const m = /^0\/(\d+)\s+(\d+)\s+(\d+)\s+(none|\d+)\s+(none|\d+)(?:\s+(.*?))?\s*$/.exec(line);
    if (!m) continue;
    const p = m[6] && !m[6].startsWith('<') ? m[6] : null; // <toplevel>, <stale>, <under deletion>
    out.push({ id: Number(m[1]), referenced: Number(m[2]), exclusive: Number(m[3]), maxReferenced: m[4] === 'none' ? null : Number(m[4]), path: p });
  }
  return out;
}

/** The qgroups of the filesystem of `p`; with sync, after committing what was written (exact numbers). */
export async function qgroups(exec: Executor, p: string, opts: { sync: boolean }): Promise<Qgroup[]> {
  return parseQgroups((await exec.run('btrfs', ['qgroup', 'show', '--raw', '-re', ...(opts.sync ? ['--sync'] : []), p])).stdout);
}

/** A read-only snapshot of the subvolume `src` at `dest` (which must not exist). */
export async function snapshotReadOnly(exec: Executor, src: string, dest: string): Promise<void> {
  await exec.run('btrfs', ['subvolume', 'snapshot', '-r', src, dest]);
}

/** Deletes the subvolume at `p` (a snapshot: it holds no nested subvolume). */
export async function deleteSubvolumeAt(exec: Executor, p: string): Promise<void> {
  await exec.run('btrfs', ['subvolume', 'delete', p]);
}
