// Restores from snapshots, the pure part (src/snapshots/rules-restore.ts): which paths may be restored,
// where a restore writes, the safety snapshot an in-place restore takes and how long it is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalRestorePath, restorePathProblem, restoredFolder, restoreTarget, safetySnapshotName } from '../src/snapshots/rules-restore.js';
import { parseSnapshotName, SAFETY_KEPT, snapshotName, toPrune, MANUAL_KEPT } from '../src/snapshots/rules.js';

const at = new Date('2026-12-01T15:30:02Z');

test('paths of the home may be restored, files and folders; nothing that leaves it, the home itself, backups/ or a restored folder\'s root', () => {
  for (const ok of ['var/www/site/wp-config.php', 'var/www/site', 'var/www/site/', 'var', 'tmp/x', 'restored-2026-12-01-153002/var/www/a', 'var/www/été ü.txt', 'var/www/.htaccess', 'var/www/a..b', 'var/www/...']) {
    assert.equal(restorePathProblem(ok), null, ok);
  }
  for (const bad of ['', '/', '/etc/shadow', '..', '../x', 'var/../..', 'var/www/..', './var', 'var/./www', 'var//www', 'backups', 'backups/', 'backups/daily-2026-12-01/var',
    'restored-2026-12-01-153002', 'var/www/a\nb', 'var/\u0000', 'var/\u007f', `var/${'a'.repeat(256)}`, 'v'.repeat(1025)]) {
    assert.equal(typeof restorePathProblem(bad), 'string', JSON.stringify(bad));
  }
  assert.equal(normalRestorePath('var/www/site//'), 'var/www/site');
});

test('a copy goes into restored-<date>/ with the same path; in place, to the path itself, after a safety snapshot named at the same second', () => {
  assert.equal(restoredFolder(at), 'restored-2026-12-01-153002');
  assert.equal(restoreTarget('copy', 'var/www/site', at), 'restored-2026-12-01-153002/var/www/site');
  assert.equal(restoreTarget('in-place', 'var/www/site', at), 'var/www/site');
  assert.equal(safetySnapshotName('copy', at), null);
  assert.equal(safetySnapshotName('in-place', at), 'safety-2026-12-01-153002');
  assert.deepEqual(parseSnapshotName('safety-2026-12-01-153002'), { kind: 'safety', at });
  assert.equal(snapshotName('safety', at), 'safety-2026-12-01-153002');
  assert.equal(parseSnapshotName('safety-2026-12-01'), null);
});

test('safety snapshots are kept apart: the last SAFETY_KEPT, never pushing out the manual ones', () => {
  const safety = Array.from({ length: SAFETY_KEPT + 2 }, (_, i) => snapshotName('safety', new Date(at.getTime() + i * 1000)));
  const manual = Array.from({ length: MANUAL_KEPT }, (_, i) => snapshotName('manual', new Date(at.getTime() + i * 1000)));
  assert.deepEqual(toPrune([...safety, ...manual], { hourly: 0, daily: 0, weekly: 0, monthly: 0 }), safety.slice(0, 2));
});
