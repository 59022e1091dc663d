// One restore from a snapshot, on the web server (side effects through the Executor). The agent runs
// as root, but root never reads nor writes the hosting's files by a path the hosting could have bent:
// - the source is in a read-only snapshot (it cannot change under us): each folder on its way is
//   checked with lstat to be a real folder, never a symbolic link (a link to /etc or to another
//   hosting's home is refused); the file or folder itself is copied as it is, its links as links;
// - the copy, the folders it needs and the final rename run AS THE HOSTING (setpriv: its uid and gid,
//   no supplementary groups), so the kernel confines them to what the hosting may read and write
//   whatever a link or a race in its own home says, and what they write is the hosting's, within its
//   quota (cp -a keeps modes and times; --reflink=never: a real copy, counted in the quota);
// - it is copied to a temporary name beside the destination first (`.abri-restore-<id>`), renamed
//   into place only when whole: a copy that does not fit (quota) or fails leaves nothing half-written.
// The only thing root writes is a copy's new `restored-<date>/` folder at the root of the home (which
// is root's: the hosting cannot make it there, nor bend it), given to the hosting; and the safety
// snapshot of an in-place restore, taken before anything changes.
import { chown, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import { ExecError, type ExecResult } from '../platform/executor.js';
import { lstatIfExists } from '../platform/if-exists.js';
import type { DesiredRestore } from '../node/protocol-snapshots.js';
import { snapshotReadOnly } from '../hosting/btrfs.js';
import { isSubvolumeRoot } from './apply-snapshots.js';
import { parseSnapshotName } from './rules.js';
import { restorePathProblem, type RestoreFailure } from './rules-restore.js';

/** A restore that could not be done: a stable code (RESTORE_FAILURES) and an English sentence. */
export class RestoreRefusal extends Error {
  constructor(readonly code: RestoreFailure, message: string) {
    super(message);
  }
}

export interface RestoreHome {
  uid: number;
  home: string;
}

/** The longest a copy may take. */
const COPY_TIMEOUT_MS = 6 * 3600_000;

// run as the hosting, after the copy into $tmp: $1 temporary name, $2 destination, $3 copy|in-place|discard, $4 name for the replaced one
const PLACE = `if [ "$mode" = discard ]; then rm -rf -- "$tmp"; exit 0; fi
if [ "$mode" = copy ]; then
  if [ -e "$dest" ] || [ -L "$dest" ]; then rm -rf -- "$tmp"; echo "$dest is already there" >&2; exit 23; fi
  mv -T -- "$tmp" "$dest" || { rm -rf -- "$tmp"; exit 24; }
elif { [ -e "$dest" ] || [ -L "$dest" ]; } && { { [ -d "$dest" ] && [ ! -L "$dest" ]; } || [ -d "$tmp" ]; }; then
  mv -T -- "$dest" "$old" || { rm -rf -- "$tmp"; exit 24; }
  mv -T -- "$tmp" "$dest" || { mv -T -- "$old" "$dest"; rm -rf -- "$tmp"; exit 24; }
  rm -rf -- "$old"
else
  mv -T -- "$tmp" "$dest" || { rm -rf -- "$tmp"; exit 24; }
fi
`;

// run as the hosting: $1 source, $2 temporary name, $3 destination, $4 copy|in-place, $5 name for the replaced one
const SCRIPT = `set -u
src=$1 tmp=$2 dest=$3 mode=$4 old=$5
rm -rf -- "$tmp" "$old" || exit 20
mkdir -p -- "$(dirname -- "$tmp")" || exit 21
if ! cp -a --reflink=never -T -- "$src" "$tmp"; then rm -rf -- "$tmp"; exit 22; fi
${PLACE}`;

/** The setpriv arguments that run a command as the hosting (its uid and gid, no supplementary groups). */
export const asHosting = (uid: number) => ['--reuid', String(uid), '--regid', String(uid), '--clear-groups', '--'];

/** Where a restore writes first, beside its destination: `.abri-restore-<id>` (and `…-old` for what it replaces). */
export function restorePaths(h: RestoreHome, r: Pick<DesiredRestore, 'id' | 'target'>) {
  const dest = path.join(h.home, r.target);
  const tmp = path.join(path.dirname(dest), `.abri-restore-${r.id}`);
  return { dest, tmp, old: `${tmp}-old` };
}

/** Does restore `r` in the home of `h`; throws a RestoreRefusal saying why it could not. */
export async function restoreFromSnapshot(exec: Executor, h: RestoreHome, r: DesiredRestore, onBtrfs: Map<string, boolean>): Promise<void> {
  checkRequest(r);
  if (!parseSnapshotName(r.snapshot)) throw new RestoreRefusal('snapshot.restore_failed', `refused: bad snapshot name ${r.snapshot}`);
  const backups = path.join(h.home, 'backups');
  const snap = path.join(backups, r.snapshot);
  const bst = await lstatIfExists(backups);
  const sst = await lstatIfExists(snap);
  if (!bst?.isDirectory() || bst.uid !== 0 || sst?.uid !== 0 || !(await isSubvolumeRoot(exec, snap, onBtrfs))) {
    throw new RestoreRefusal('snapshot.restore_no_snapshot', `backups/${r.snapshot} is not (or no longer) a snapshot of this home`);
  }
  const source = await checkedSource(snap, r.path);
  await prepareDestination(exec, h, r, onBtrfs);
  const { dest, tmp, old } = restorePaths(h, r);
  const res = await exec.run('/usr/bin/setpriv', [...asHosting(h.uid), '/bin/sh', '-c', SCRIPT, 'abri-restore', source, tmp, dest, r.mode, old], { allowFailure: true, timeoutMs: COPY_TIMEOUT_MS });
  verdict(res, r.target);
}

/** A restore's path and target are ones that may be written (the manager checked them: a bad one is refused here too). */
export function checkRequest(r: Pick<DesiredRestore, 'path' | 'target'>): void {
  const problem = restorePathProblem(r.path) ?? (r.target.split('/').some((x) => x === '..' || x === '.' || x === '') ? 'bad target' : null);
  if (problem) throw new RestoreRefusal('snapshot.restore_failed', `refused: ${problem}`);
}

/** Before anything is written: a copy's restored-<date>/ folder, or an in-place destination checked and its safety snapshot taken. */
export async function prepareDestination(exec: Executor, h: RestoreHome, r: DesiredRestore, onBtrfs: Map<string, boolean>): Promise<void> {
  if (r.mode === 'copy') await ownFolder(h, r.target.split('/')[0]!);
  else await checkDestination(h, r.target);
  if (r.safety) await safetySnapshot(exec, h, r.safety, onBtrfs);
}

/** Puts the filled temporary copy in place (or, `discard`, removes it), as the hosting; throws a RestoreRefusal when it could not. */
export async function placeAsHosting(exec: Executor, h: RestoreHome, r: DesiredRestore, discard = false): Promise<void> {
  const { dest, tmp, old } = restorePaths(h, r);
  const script = `set -u\ntmp=$1 dest=$2 mode=$3 old=$4\nrm -rf -- "$old" || exit 20\n${PLACE}`;
  const res = await exec.run('/usr/bin/setpriv', [...asHosting(h.uid), '/bin/sh', '-c', script, 'abri-restore', tmp, dest, discard ? 'discard' : r.mode, old], { allowFailure: true, timeoutMs: COPY_TIMEOUT_MS });
  verdict(res, r.target);
}

/** The verdict of a copy run as the hosting: nothing when it succeeded, else a RestoreRefusal saying why. */
export function verdict(res: ExecResult, target: string): void {
  if (res.code === 0) return;
  const said = (res.stderr || res.stdout).trim().split('\n').slice(-3).join('; ').slice(0, 1500);
  if (/quota exceeded|no space left/i.test(said)) throw new RestoreRefusal('snapshot.restore_no_space', `the hosting's disk space is full: nothing was restored (${said})`);
  if (res.code === 23) throw new RestoreRefusal('snapshot.restore_target_exists', `${target} is already there: nothing was restored`);
  if (/permission denied/i.test(said)) throw new RestoreRefusal('snapshot.restore_not_writable', `the hosting may not write there: nothing was restored (${said})`);
  throw new RestoreRefusal('snapshot.restore_failed', `the copy failed (${res.code}): ${said}`);
}

/** The source in the snapshot: every folder on the way a real folder (no link), the last part there. */
async function checkedSource(snap: string, rel: string): Promise<string> {
  const parts = rel.split('/');
  let p = snap;
  for (const [i, part] of parts.entries()) {
    p = path.join(p, part);
    const st = await lstatIfExists(p);
    if (!st) throw new RestoreRefusal('snapshot.restore_path_not_found', `${parts.slice(0, i + 1).join('/')} is not in this snapshot`);
    if (i < parts.length - 1 && !st.isDirectory()) {
      throw new RestoreRefusal('snapshot.restore_unsafe', `${parts.slice(0, i + 1).join('/')} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a folder'} in this snapshot: not followed`);
    }
  }
  return p;
}

/** A copy's restored-<date>/ folder at the root of the home: made by root (the home is root's) and given to the hosting. */
async function ownFolder(h: RestoreHome, name: string): Promise<void> {
  const p = path.join(h.home, name);
  const st = await lstatIfExists(p);
  if (st && (!st.isDirectory() || st.uid !== h.uid)) throw new RestoreRefusal('snapshot.restore_unsafe', `${name} is there and is not the hosting's folder`);
  if (st) return;
  await mkdir(p, { mode: 0o750 });
  await chown(p, h.uid, h.uid);
}

/** In place: no link on the way in the live home, and the deepest folder there is the hosting's (it writes there, as itself). */
async function checkDestination(h: RestoreHome, target: string): Promise<void> {
  const parts = target.split('/').slice(0, -1);
  let p = h.home;
  let owner = (await lstatIfExists(h.home))?.uid;
  for (const part of parts) {
    const st = await lstatIfExists((p = path.join(p, part)));
    if (!st) break;
    if (!st.isDirectory()) throw new RestoreRefusal('snapshot.restore_unsafe', `${path.relative(h.home, p)} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}: not followed`);
    owner = st.uid;
  }
  if (owner !== h.uid) throw new RestoreRefusal('snapshot.restore_not_writable', `the folder of ${target} is not the hosting's (restore a path under var/www/, or as a copy)`);
}

/** The read-only snapshot an in-place restore takes first (one already there by that name is that one: a restore cut short). */
async function safetySnapshot(exec: Executor, h: RestoreHome, name: string, onBtrfs: Map<string, boolean>): Promise<void> {
  const dest = path.join(h.home, 'backups', name);
  if (await lstatIfExists(dest)) {
    if (await isSubvolumeRoot(exec, dest, onBtrfs)) return;
    throw new RestoreRefusal('snapshot.restore_failed', `backups/${name} is there and is not a snapshot: no safety snapshot, nothing restored`);
  }
  try {
    await snapshotReadOnly(exec, h.home, dest);
  } catch (e) {
    throw new RestoreRefusal('snapshot.restore_failed', `the safety snapshot could not be taken, nothing restored: ${e instanceof ExecError ? e.stderr.trim().slice(0, 500) : String(e)}`);
  }
}
