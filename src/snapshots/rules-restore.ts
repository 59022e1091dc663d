// Restores from snapshots (pure): which paths may be restored, where a restore writes, and the name of
// the safety snapshot an in-place restore takes first. A path is relative to the home, as the hosting
// sees it (`var/www/site/wp-config.php`, `var/www/site`): no leading `/`, no `.` or `..` component, no
// control character; never the home itself nor `backups/` (the snapshots) nor a restored-… folder's
// own root. A copy goes to `restored-<date>/<path>` (the date of the request, to the second, UTC),
// an in-place restore to `<path>` itself.
import { snapshotName } from './rules.js';

export const RESTORE_MODES = ['copy', 'in-place'] as const;
export type RestoreMode = (typeof RESTORE_MODES)[number];
export const MAX_RESTORE_PATH = 1024;

/** Codes a failed restore carries (the agent's verdict), each translated by the UI. */
export const RESTORE_FAILURES = [
  'snapshot.restore_no_snapshot', // the snapshot is not (or no longer) in backups/
  'snapshot.restore_no_backup', // a restore from a backup: no backup of the hosting's repository has that id (or no longer)
  'snapshot.restore_path_not_found', // the path is not in the snapshot
  'snapshot.restore_unsafe', // a folder on the way is a symbolic link or not a folder
  'snapshot.restore_target_exists', // the copy's destination is already there
  'snapshot.restore_not_writable', // the destination's folder is not the hosting's (root-owned: var/, the home)
  'snapshot.restore_no_space', // the hosting's disk quota (or the disk) is full: nothing was written
  'snapshot.restore_failed', // anything else (the message says what)
] as const;
export type RestoreFailure = (typeof RESTORE_FAILURES)[number];

/** Why `p` may not be restored (a sentence), or null when it may. */
export function restorePathProblem(p: string): string | null {
  if (p.length === 0) return 'the path is empty (the whole home cannot be restored at once: restore its folders)';
  if (p.length > MAX_RESTORE_PATH) return `the path is longer than ${MAX_RESTORE_PATH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(p)) return 'the path holds a control character';
  if (p.startsWith('/')) return 'the path must be relative to the home (no leading /)';
  const parts = p.replace(/\/+$/, '').split('/');
  if (parts.some((x) => x === '' || x === '.' || x === '..')) return 'the path may not hold empty, "." or ".." parts';
  if (parts.some((x) => Buffer.byteLength(x) > 255)) return 'a part of the path is longer than 255 bytes';
  if (parts[0] === 'backups') return 'backups/ holds the snapshots themselves: it is not restored';
  if (parts.length === 1 && /^restored-/.test(parts[0]!)) return 'a restored-… folder is not itself restored (restore a path inside it)';
  return null;
}

/** The path as stored: without a trailing slash. */
export const normalRestorePath = (p: string) => p.replace(/\/+$/, '');

const pad = (n: number) => String(n).padStart(2, '0');

/** The folder of the home a copy goes into: `restored-2026-12-01-153002`. */
export const restoredFolder = (at: Date) =>
  `restored-${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;

/** Where a restore writes, relative to the home. */
export const restoreTarget = (mode: RestoreMode, p: string, at: Date) => (mode === 'copy' ? `${restoredFolder(at)}/${p}` : p);

/** The snapshot an in-place restore takes first (kind safety, named at the request's second), or null for a copy. */
export const safetySnapshotName = (mode: RestoreMode, at: Date) => (mode === 'in-place' ? snapshotName('safety', at) : null);
