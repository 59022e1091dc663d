// Unit: off-server backups, the pure part — the backup server's sshd config (golden files), when the
// daily backup is due, restic's arguments (nothing unsafe reaches its ssh command), the summary of a
// backup, and the keys the manager makes (OpenSSH reads them: ssh-keygen -y gives back the public key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { goldenTests } from './harness/golden.js';
import { run } from './harness/run.js';
import { renderBackupSshd, type BackupSshdSpec } from '../src/backups/render-sshd.js';
import {
  backupAccount, backupArgs, backupDays, backupSummary, dailyDue, forgetArgs, lastDaily, nextDaily, partBackupArgs, partOfTags, restoredDatabaseName, restoredMailFolder, resticGlobals, type ResticTarget,
} from '../src/backups/rules.js';
import { newRepositorySecrets } from '../src/backups/keys.js';
import { backupsDir, HostingRepository, withBackupSecrets } from '../src/backups/apply-restic.js';
import { LocalExecutor } from '../src/platform/executor.js';
import type { DesiredBackup } from '../src/node/protocol-backups.js';

goldenTests('backup-sshd', (input: BackupSshdSpec) => [{ path: 'sshd_config', content: renderBackupSshd(input), mode: 0o644 }]);

test('the daily backup: the last slot at or before a time, the next one, due once per slot (at once without any)', () => {
  const at3 = 180;
  assert.equal(lastDaily(new Date('2026-12-01T02:59:00Z'), at3).toISOString(), '2026-11-30T03:00:00.000Z');
  assert.equal(lastDaily(new Date('2026-12-01T03:00:00Z'), at3).toISOString(), '2026-12-01T03:00:00.000Z');
  assert.equal(nextDaily(new Date('2026-12-01T03:00:00Z'), at3).toISOString(), '2026-12-02T03:00:00.000Z');
  assert.equal(dailyDue(null, new Date('2026-12-01T10:00:00Z'), at3), true, 'a new repository: at once');
  assert.equal(dailyDue(new Date('2026-12-01T10:00:00Z'), new Date('2026-12-02T02:59:00Z'), at3), false);
  assert.equal(dailyDue(new Date('2026-12-01T10:00:00Z'), new Date('2026-12-02T03:00:00Z'), at3), true);
  assert.equal(dailyDue(new Date('2026-12-01T10:00:00Z'), new Date('2026-12-09T12:00:00Z'), at3), true, 'a node that slept: once');
});

const target: ResticTarget = {
  account: backupAccount('w4a100010'), address: '192.0.2.20', port: 2223,
  keyFile: '/var/lib/abri/backups/x/key', knownHosts: '/var/lib/abri/backups/x/known_hosts', passwordFile: '/var/lib/abri/backups/x/password', cacheDir: '/var/lib/abri/backups/x/cache',
};

test('restic\'s arguments: the repository over our own ssh command, the hosting\'s key only, the retention of the offer', () => {
  const g = resticGlobals(target, 512);
  assert.deepEqual(g.slice(0, 2), ['-r', 'sftp:bk-w4a100010@192.0.2.20:/repo']);
  const ssh = g[3]!;
  assert.match(ssh, /^sftp\.command=ssh -F \/dev\/null -i \/var\/lib\/abri\/backups\/x\/key -p 2223 .*-o IdentitiesOnly=yes -o BatchMode=yes .* -l bk-w4a100010 192\.0\.2\.20 -s sftp$/);
  assert.deepEqual(g.slice(-2), ['--limit-upload', '512']);
  assert.equal(resticGlobals({ ...target, address: '2001:db8::20' })[1], 'sftp:bk-w4a100010@[2001:db8::20]:/repo');
  for (const bad of [{ account: 'root' }, { address: 'host -o ProxyCommand=sh' }, { keyFile: '/tmp/my key' }, { cacheDir: 'relative' }]) {
    assert.throws(() => resticGlobals({ ...target, ...bad }), /cannot|not/, JSON.stringify(bad));
  }
  assert.deepEqual(forgetArgs(7, 4), ['forget', '--tag', 'abri', '--group-by', 'host,paths,tags', '--keep-daily', '7', '--keep-weekly', '4', '--prune']);
  assert.deepEqual(forgetArgs(2, 0), ['forget', '--tag', 'abri', '--group-by', 'host,paths,tags', '--keep-daily', '2', '--prune']);
  const b = backupArgs('/home/w4a100010', 'w4a100010', 'id', new Date(2026, 11, 1, 3, 0, 0));
  assert.ok(b.includes('--one-file-system'));
  assert.deepEqual(b.slice(b.indexOf('--time'), b.indexOf('--time') + 2), ['--time', '2026-12-01 03:00:00']);
  assert.deepEqual(b.slice(-3), ['--exclude', '/home/w4a100010/backups', '/home/w4a100010']);
  assert.throws(() => backupArgs('/home/a b', 'x', 'id', new Date()), /cannot be given/);
});

test('the summary of restic backup --json is found among its lines (warnings included)', () => {
  const out = ['not json', '{"message_type":"status","percent_done":0.5}', '{"message_type":"summary","snapshot_id":"abc123","data_added":42,"total_bytes_processed":1000}', ''].join('\n');
  assert.deepEqual(backupSummary(out), { message_type: 'summary', snapshot_id: 'abc123', data_added: 42, total_bytes_processed: 1000 });
  assert.equal(backupSummary('{"message_type":"status"}\n'), null);
});

test('the manager\'s keys are OpenSSH keys (ssh-keygen reads the private key and gives back the public one); each repository gets its own', { skip: !existsSync('/usr/bin/ssh-keygen') }, async () => {
  const dir = await mkdtemp('/tmp/abri-backup-keys-');
  try {
    const s = newRepositorySecrets('bk-w4a100010');
    const other = newRepositorySecrets('bk-w4a100011');
    assert.notEqual(s.password, other.password);
    assert.notEqual(s.publicKey, other.publicKey);
    assert.ok(s.password.length >= 40);
    await writeFile(path.join(dir, 'key'), s.privateKey, { mode: 0o600 });
    const pub = await run('ssh-keygen', ['-y', '-f', path.join(dir, 'key')]);
    assert.equal(pub.stdout.trim(), `${s.publicKey} bk-w4a100010`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the parts of a backup: their tags, restic arguments, grouped per day, and the names a restore makes', () => {
  assert.equal(partOfTags(['abri', 'hosting-x']), 'files');
  assert.equal(partOfTags(['abri', 'db:abc1000_wp', 'safety']), 'db:abc1000_wp');
  assert.equal(partOfTags(['abri', 'mail:joe@example.org']), 'mail:joe@example.org');
  assert.equal(partOfTags(null), 'files');
  const at = new Date(2026, 11, 1, 3, 0, 0);
  assert.deepEqual(partBackupArgs('abc1000', 'db:abc1000_wp', at, { stdin: 'databases/abc1000_wp.sql' }),
    ['backup', '--json', '--quiet', '--time', '2026-12-01 03:00:00', '--host', 'abc1000', '--tag', 'abri', '--tag', 'db:abc1000_wp', '--stdin', '--stdin-filename', 'databases/abc1000_wp.sql']);
  assert.deepEqual(partBackupArgs('abc1000', 'mail:joe@example.org', at, { folder: '/var/lib/abri/vmail/abc1000/.abri-backup/x' }, true).slice(-4), ['mail:joe@example.org', '--tag', 'safety', '/var/lib/abri/vmail/abc1000/.abri-backup/x']);
  for (const bad of ['files', 'db:a b', 'db:a,b', 'other:x', 'db:']) assert.throws(() => partBackupArgs('abc1000', bad, at, { stdin: 'x' }), /part/);
  assert.throws(() => partBackupArgs('abc1000', 'mail:joe@example.org', at, { folder: '/tmp/a b' }), /folder/);
  const s = (time: string, part: string, safety = false) => ({ time, part, safety, id: `${time}${part}` });
  const days = backupDays([s('2026-12-02T09:00:00.000Z', 'db:a_x'), s('2026-12-02T08:00:00.000Z', 'mail:j@e.org', true), s('2026-12-02T03:00:00.000Z', 'files'),
    s('2026-12-02T03:00:00.000Z', 'db:a_x'), s('2026-12-01T03:00:00.000Z', 'mail:j@e.org')]);
  assert.deepEqual(days.map((d) => [d.day, d.parts.map((p) => `${p.part}${p.safety ? ' (safety)' : ''} ${p.time.slice(11, 13)}`)]), [
    ['2026-12-02', ['files 03', 'db:a_x 09', 'mail:j@e.org (safety) 08']],
    ['2026-12-01', ['mail:j@e.org 03']],
  ]);
  assert.equal(restoredDatabaseName('abc1000_wp', new Date('2026-12-04T23:59:00Z')), 'abc1000_wp_restored_20261204');
  assert.equal(restoredDatabaseName(`abc1000_${'x'.repeat(50)}`, new Date('2026-12-04T00:00:00Z')), null, 'longer than 64');
  assert.equal(restoredMailFolder(new Date('2026-12-04T10:00:00Z')), 'Restored-2026-12-04');
});

test('a hosting\'s secrets written for restic wait while the backup pass removes those of hostings gone (a restore of a terminated hosting met that removal: ENOENT)', async () => {
  const root = await mkdtemp('/tmp/abri-backup-secrets-');
  try {
    const h = { hosting: '0b6f6a52-5d0e-4c1e-9d55-2f1f7f0e8a11', account: 'bk-abc', password: 'pw', privateKey: 'KEY', server: { address: '127.0.0.1', port: 2222 } } as unknown as DesiredBackup;
    const dir = path.join(backupsDir(root), h.hosting);
    const repo = new HostingRepository(new LocalExecutor(), root, h);
    await repo.globals();
    // the pass decided the hosting was gone and removes its folder, slowly; the restore asks for its secrets meanwhile
    let removeNow!: () => void;
    const removing = withBackupSecrets(root, async () => {
      await new Promise<void>((resolve) => (removeNow = resolve));
      await rm(dir, { recursive: true, force: true });
    });
    const writing = repo.globals();
    await new Promise((resolve) => setTimeout(resolve, 50)); // a chance to write now, were it not waiting
    removeNow();
    await removing;
    await writing;
    assert.ok(existsSync(path.join(dir, 'key')) && existsSync(path.join(dir, 'password')), 'written after the removal, not during it');
    // steps of one root one at a time, in order, a failure not stopping the next; another root's not waiting
    const order: string[] = [];
    const failing = withBackupSecrets(root, async () => { order.push('a'); throw new Error('a failed'); });
    const next = withBackupSecrets(root, async () => { order.push('b'); });
    const other = withBackupSecrets('/elsewhere', async () => { order.push('other'); });
    await assert.rejects(failing, /a failed/);
    await next;
    await other;
    assert.deepEqual(order, ['a', 'other', 'b']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
