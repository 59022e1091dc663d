// One restore from an off-server backup, on the hosting's web server (side effects through the
// Executor), with the same safety as a restore from a snapshot (src/snapshots/apply-restore.ts):
// - root only reads the repository (restic, with the hosting's own key and password: another
//   hosting's backup id finds nothing in it), and streams the file or folder (`restic dump`: a tar
//   of a folder, the bytes of a file) into a process running AS THE HOSTING (setpriv: its uid and
//   gid, no supplementary groups), which writes it under a temporary name beside the destination
//   (`.abri-restore-<id>`): the kernel confines it to what the hosting may write whatever a link in
//   the backup or in the home says (a link in the backup is restored as a link, never followed by
//   root), within its quota; tar refuses `..` and absolute names;
// - only when the whole stream arrived (restic and tar both succeeded) is it renamed into place, by
//   the same code as a restore from a snapshot; otherwise it is removed and nothing changed;
// - in place, the destination is checked and the safety snapshot taken first, as for snapshots.
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import type { DesiredBackup } from '../node/protocol-backups.js';
import type { DesiredRestore } from '../node/protocol-snapshots.js';
import { checkRequest, placeAsHosting, prepareDestination, RestoreRefusal, restorePaths, verdict, type RestoreHome } from '../snapshots/apply-restore.js';
import { HostingRepository, RESTIC } from './apply-restic.js';
import { WHOLE_HOSTING_PATH } from './rules.js';

/** An entry of a backup as `restic ls --json` prints it. */
export interface LsNode {
  struct_type?: string;
  name: string;
  type: string;
  path: string;
  size?: number;
  mode?: number;
  mtime?: string;
}

/** Why a backup could not be read: no such backup in the repository, or the repository unreadable. */
export class BackupReadError extends Error {
  constructor(readonly missing: boolean, message: string) {
    super(message);
  }
}

const COPY_TIMEOUT_MS = 6 * 3600_000;
const BACKUP_ID = /^[0-9a-f]{8,64}$/;

/** The folder `dir` of backup `snapshot` and its entries (not recursive); throws BackupReadError. */
export async function lsBackup(repo: HostingRepository, snapshot: string, dir: string): Promise<LsNode[]> {
  if (!BACKUP_ID.test(snapshot)) throw new BackupReadError(true, `${snapshot} is not a backup id`);
  const r = await repo.restic(['ls', '--json', '--no-lock', snapshot, dir], 120_000, { allowFailure: true });
  if (r.code !== 0) {
    if (/no matching ID|invalid id|ambiguous|unable to open config file|does not exist/i.test(r.stderr)) throw new BackupReadError(true, `no backup ${snapshot} in this hosting's repository`);
    throw new BackupReadError(false, `restic ls: ${r.stderr.trim().split('\n').slice(-3).join('; ').slice(0, 1000)}`);
  }
  const nodes: LsNode[] = [];
  let found = false; // restic ls says "Ignoring …: no matching ID" and exits 0 for an id that is not there
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const n = JSON.parse(line) as LsNode;
    if (n.struct_type === 'snapshot') found = true;
    if (n.struct_type === 'node' && typeof n.path === 'string') nodes.push(n);
  }
  if (!found) throw new BackupReadError(true, `no backup ${snapshot} in this hosting's repository`);
  return nodes;
}

// run as the hosting, restic's dump on its input: $1 temporary name, $2 dir|file, $3 components to strip (tar), $4 mode, $5 mtime
const FILL = `set -u
tmp=$1 kind=$2 strip=$3 perm=$4 mtime=$5
rm -rf -- "$tmp" "$tmp-old" || exit 20
mkdir -p -- "$(dirname -- "$tmp")" || exit 21
if [ "$kind" = dir ]; then
  mkdir -m 700 -- "$tmp" && tar -x -p --no-same-owner --delay-directory-restore -f - -C "$tmp" --strip-components="$strip" || exit 22
else
  cat > "$tmp" || exit 22
fi
chmod -- "$perm" "$tmp" && touch -m -d "$mtime" -- "$tmp" || exit 22
`;

// run as root: restic (the arguments after the 7th) piped into FILL run as the hosting; fails when either fails
const PIPE = `set -u -o pipefail
uid=$1 fill=$2 tmp=$3 kind=$4 strip=$5 perm=$6 mtime=$7
shift 7
"$@" | /usr/bin/setpriv --reuid "$uid" --regid "$uid" --clear-groups -- /bin/sh -c "$fill" abri-fill "$tmp" "$kind" "$strip" "$perm" "$mtime"
`;

/** The entries of a folder of a backup (itself first); a RestoreRefusal when the backup cannot be read. */
async function entries(repo: HostingRepository, snapshot: string, full: string): Promise<LsNode[]> {
  try {
    return await lsBackup(repo, snapshot, full);
  } catch (e) {
    if (!(e instanceof BackupReadError)) throw e;
    throw new RestoreRefusal(e.missing ? 'snapshot.restore_no_backup' : 'snapshot.restore_failed', e.message);
  }
}

/**
 * Does restore `r` of backup `r.snapshot` (the hosting's repository `b`) in the home of `h`; throws a
 * RestoreRefusal saying why it could not. var/www in place (the whole hosting) is restored entry by
 * entry (the hosting cannot replace var/www itself), after one safety snapshot.
 */
export async function restoreFromBackup(exec: Executor, root: string, h: RestoreHome, b: DesiredBackup, r: DesiredRestore, onBtrfs: Map<string, boolean>): Promise<void> {
  checkRequest(r);
  if (b.home !== h.home) throw new RestoreRefusal('snapshot.restore_failed', 'refused: the backups name another home');
  const repo = new HostingRepository(exec, root, b);
  const full = path.join(b.home, r.path);
  const nodes = await entries(repo, r.snapshot, full);
  if (r.mode === 'in-place' && r.path === WHOLE_HOSTING_PATH && nodes.find((n) => n.path === full)?.type === 'dir') {
    const inside = nodes.filter((n) => n.path !== full && path.dirname(n.path) === full && (n.type === 'dir' || n.type === 'file'));
    for (const [i, n] of inside.entries()) {
      const part = `${WHOLE_HOSTING_PATH}/${n.name}`;
      await restoreOne(exec, repo, h, { ...r, path: part, target: part, safety: i === 0 ? r.safety : null }, await entries(repo, r.snapshot, n.path), onBtrfs);
    }
    return;
  }
  await restoreOne(exec, repo, h, r, nodes, onBtrfs);
}

/** One file or folder of a backup (`nodes`: restic's listing of it) to its target. */
async function restoreOne(exec: Executor, repo: HostingRepository, h: RestoreHome, r: DesiredRestore, nodes: LsNode[], onBtrfs: Map<string, boolean>): Promise<void> {
  const full = path.join(repo.h.home, r.path);
  const node = nodes.find((n) => n.path === full);
  if (!node) throw new RestoreRefusal('snapshot.restore_path_not_found', `${r.path} is not in this backup`);
  if (node.type !== 'dir' && node.type !== 'file') throw new RestoreRefusal('snapshot.restore_unsafe', `${r.path} is ${node.type === 'symlink' ? 'a symbolic link' : 'not a file nor a folder'} in this backup: restore the folder holding it`);
  await prepareDestination(exec, h, r, onBtrfs);
  const { tmp } = restorePaths(h, r);
  const perm = ((node.mode ?? 0o640) & 0o777).toString(8);
  const strip = String(full.split('/').filter(Boolean).length);
  const fill = [String(h.uid), FILL, tmp, node.type, strip, perm, node.mtime ?? new Date(0).toISOString()];
  const res = await exec.run('/bin/bash', ['-c', PIPE, 'abri-restore', ...fill, RESTIC, ...(await repo.globals()), '--no-lock', 'dump', r.snapshot, full], { allowFailure: true, timeoutMs: COPY_TIMEOUT_MS });
  if (res.code !== 0) {
    await placeAsHosting(exec, h, r, true); // nothing half-written stays
    verdict(res, r.target);
  }
  await placeAsHosting(exec, h, r);
}
