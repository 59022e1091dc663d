// Integration (root; btrfs on a loop device, OpenSSH's sshd on a loopback port, restic): restores from
// off-server backups. A file and a folder of a backup restored into restored-<date>/ and in place,
// compared byte for byte; an in-place restore over a changed file undone from its safety snapshot; a
// link in the backup or in the live home never followed by root (nothing leaks, nothing outside is
// overwritten); a backup's tree browsed; staff restore the whole hosting; another customer can neither
// browse nor restore A's backups (404), and A's backup id means nothing in B's repository; the weekly
// check of a sample runs once per week per repository (the Clock moved), and staff ask for one now.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-backup-restore.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chown, lstat, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { until } from './helpers/node.js';
import { BackupWorld, type Hosting } from './helpers/backup-world.js';
import { asHosting, tree } from './helpers/restore-world.js';
import { abri, oneLineError } from './helpers/cli.js';
import type { Answer } from './helpers/manager.js';

const missing = ['/usr/bin/restic', '/usr/sbin/sshd', '/usr/bin/setpriv', '/usr/sbin/useradd', '/usr/sbin/mkfs.btrfs', '/usr/bin/tar'].filter((f) => !existsSync(f));
if (missing.length && process.env.CI === 'true') test('restic, OpenSSH and btrfs-progs are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-backup-restore.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

type Api = (method: string, p: string, body?: unknown) => Promise<Answer>;
interface Restore { id: string; status: string; target: string; safetySnapshot: string | null; source: string; error: { code: string; message: string | null } | null }

/** A tree without the files' times (tar keeps them to the second, restic to the nanosecond). */
const shape = async (dir: string) => Object.fromEntries(Object.entries(await tree(dir)).map(([k, v]) => [k, v.startsWith('file ') ? v.replace(/ [\d.]+$/, '') : v]));

describe('restores from off-server backups: files and folders, both ways, safe from links, per customer', { skip: missing.length > 0 }, () => {
  // the bkrestore helper's ranges: uids 69100–69199 (hostings 69100–69149, backup accounts +50), ports 28100–28199
  const w = new BackupWorld({ port: 28111, prefix: 'abr', uidMin: 69100, uidOffset: 50, btrfs: true });
  let a: Hosting, b: Hosting, asA: Api, asB: Api;
  let backup = '';
  let backupB = '';
  let site: Record<string, string> = {};
  const www = (h: Hosting, p = '') => path.join(h.home, 'var/www', p);
  const original = { index: '<?php echo "hello";\n', keep: 'kept as it was\n', blob: randomBytes(300 * 1024) };

  const restore = async (as: Api, h: Hosting, id: string, body: unknown): Promise<Restore> => {
    const r = await as('POST', `/api/v1/hostings/${h.id}/backups/${id}/restore`, body);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.source, 'backup');
    return r.body;
  };
  const finished = async (as: Api, h: Hosting, r: Restore): Promise<Restore> =>
    until(`restore ${r.id} finished`, async () => {
      const now = (await as('GET', `/api/v1/hostings/${h.id}/snapshots/restores/${r.id}`)).body as Restore;
      return now.status === 'done' || now.status === 'failed' ? now : undefined;
    });
  const restored = async (as: Api, h: Hosting, id: string, body: unknown) => finished(as, h, await restore(as, h, id, body));

  before(async () => {
    await w.start();
    [a, b, asA, asB] = [w.a, w.b, w.asA, w.asB];
    await w.backups.runDue(); // the first (empty) backups, made when the agent got its state
    const made = await asHosting(a, `cd ${www(a)}; mkdir -p site/data; printf '%s' '${original.index}' > site/index.php; chmod 640 site/index.php
      printf '%s' '${original.keep}' > keep.txt; ln -s /etc/passwd site/link; ln -s / escape`);
    assert.equal(made.code, 0, made.stderr);
    await writeFile(www(a, 'site/data/blob.bin'), original.blob);
    await chown(www(a, 'site/data/blob.bin'), a.uid, a.uid);
    site = await shape(www(a, 'site'));
    assert.equal((await asHosting(b, `printf 'bravo' > ${www(b, 'bravo.txt')}`)).code, 0);
    await w.backUpAt('2026-12-02T03:00:00Z');
    const list = await w.backupsOf(a, asA);
    assert.equal(list[0]?.time, '2026-12-02T03:00:00.000Z', JSON.stringify(list));
    backup = list[0]!.id;
    backupB = (await w.backupsOf(b, asB))[0]!.id;
  });
  after(() => w.close());

  test('a file and a folder deleted, then restored into restored-<date>/: byte for byte, the hosting\'s, links kept as links', async () => {
    assert.equal((await asHosting(a, `rm -rf ${www(a, 'site')}`)).code, 0);
    const file = await restored(asA, a, backup, { part: 'files', path: 'var/www/site/index.php' });
    assert.equal(file.status, 'done', JSON.stringify(file.error));
    assert.match(file.target, /^restored-2026-12-02-\d{6}\/var\/www\/site\/index\.php$/);
    assert.equal(await readFile(path.join(a.home, file.target), 'utf8'), original.index);
    const st = await lstat(path.join(a.home, file.target));
    assert.deepEqual([st.uid, st.mode & 0o777], [a.uid, 0o640]);
    w.clock.set('2026-12-02T03:00:05Z'); // a second copy goes to a folder of its own
    const folder = await restored(asA, a, backup, { part: 'files', path: 'var/www/site/', mode: 'copy' });
    assert.equal(folder.status, 'done', JSON.stringify(folder.error));
    assert.equal(folder.target, 'restored-2026-12-02-030005/var/www/site');
    assert.deepEqual(await shape(path.join(a.home, folder.target)), site);
    assert.ok((await readFile(path.join(a.home, folder.target, 'data/blob.bin'))).equals(original.blob));
    assert.equal((await lstat(path.join(a.home, folder.target, 'link'))).isSymbolicLink(), true, 'the link is a link, not /etc/passwd\'s content');
  });

  test('in place over a changed file, then undone from the safety snapshot', async () => {
    w.clock.set('2026-12-02T04:00:00Z');
    assert.equal((await asHosting(a, `printf 'changed' > ${www(a, 'keep.txt')}`)).code, 0);
    const r = await restored(asA, a, backup, { part: 'files', path: 'var/www/keep.txt', mode: 'in-place' });
    assert.equal(r.status, 'done', JSON.stringify(r.error));
    assert.equal(r.target, 'var/www/keep.txt');
    assert.equal(await readFile(www(a, 'keep.txt'), 'utf8'), original.keep);
    assert.equal(r.safetySnapshot, 'safety-2026-12-02-040000');
    w.clock.set('2026-12-02T04:00:01Z'); // the undo takes a safety snapshot of its own
    const undo = await asA('POST', `/api/v1/hostings/${a.id}/snapshots/restores`, { snapshot: r.safetySnapshot, path: 'var/www/keep.txt', mode: 'in-place' });
    assert.equal(undo.status, 202, JSON.stringify(undo.body));
    assert.equal((await finished(asA, a, undo.body)).status, 'done');
    assert.equal(await readFile(www(a, 'keep.txt'), 'utf8'), 'changed');
  });

  test('links are never followed by root: in the backup (refused, not leaked), in the live home (replaced, the target untouched)', async () => {
    w.clock.set('2026-12-02T05:00:00Z');
    const link = await restored(asA, a, backup, { part: 'files', path: 'var/www/site/link', mode: 'in-place' });
    assert.equal(link.error?.code, 'snapshot.restore_unsafe');
    const through = await restored(asA, a, backup, { part: 'files', path: 'var/www/escape/etc/shadow' });
    assert.equal(through.error?.code, 'snapshot.restore_path_not_found', 'restic does not go through a link');
    const hostname = await readFile('/etc/hostname');
    assert.equal((await asHosting(a, `rm -f ${www(a, 'keep.txt')}; ln -s /etc/hostname ${www(a, 'keep.txt')}`)).code, 0);
    w.clock.set('2026-12-02T05:00:01Z');
    const over = await restored(asA, a, backup, { part: 'files', path: 'var/www/keep.txt', mode: 'in-place' });
    assert.equal(over.status, 'done', JSON.stringify(over.error));
    assert.ok((await readFile('/etc/hostname')).equals(hostname), '/etc/hostname untouched');
    assert.equal((await lstat(www(a, 'keep.txt'))).isFile(), true);
    assert.equal(await readFile(www(a, 'keep.txt'), 'utf8'), original.keep);
    // a folder on the way in the live home that is a link: refused
    assert.equal((await asHosting(a, `rm -rf ${www(a, 'site')}; ln -s /etc ${www(a, 'site')}`)).code, 0);
    w.clock.set('2026-12-02T05:00:02Z');
    const via = await restored(asA, a, backup, { part: 'files', path: 'var/www/site/index.php', mode: 'in-place' });
    assert.equal(via.error?.code, 'snapshot.restore_unsafe');
    assert.equal(existsSync('/etc/index.php'), false);
    assert.equal((await asHosting(a, `rm -f ${www(a, 'site')}`)).code, 0);
  });

  test('a backup\'s tree is browsed one folder at a time (never backups/), paths checked', async () => {
    const top = await asA('GET', `/api/v1/hostings/${a.id}/backups/${backup}/tree`);
    assert.equal(top.status, 200, JSON.stringify(top.body));
    const names = top.body.entries.map((e: { name: string }) => e.name);
    assert.ok(names.includes('var') && !names.includes('backups'), names.join(' '));
    const dir = await asA('GET', `/api/v1/hostings/${a.id}/backups/${backup.slice(0, 8)}/tree?path=var/www/site`);
    assert.equal(dir.status, 200, JSON.stringify(dir.body));
    assert.deepEqual(dir.body.entries.map((e: { name: string; type: string; path: string }) => `${e.type} ${e.path}`), ['dir var/www/site/data', 'file var/www/site/index.php', 'symlink var/www/site/link']);
    assert.equal(dir.body.entries[1].size, original.index.length);
    assert.equal((await asA('GET', `/api/v1/hostings/${a.id}/backups/${backup}/tree?path=var/www/nothing`)).body.code, 'backup.path_not_found');
    assert.equal((await asA('GET', `/api/v1/hostings/${a.id}/backups/${backup}/tree?path=var/../..`)).status, 400);
    assert.equal((await asA('POST', `/api/v1/hostings/${a.id}/backups/${backup}/restore`, { part: 'files', path: '../etc' })).body.code, 'backup.bad_path');
  });

  test('another customer can neither browse nor restore A\'s backups (404); A\'s backup id means nothing in B\'s repository; the whole hosting is staff\'s', async () => {
    assert.equal((await asB('GET', `/api/v1/hostings/${a.id}/backups/${backup}/tree`)).status, 404);
    assert.equal((await asB('POST', `/api/v1/hostings/${a.id}/backups/${backup}/restore`, { part: 'files', path: 'var/www/keep.txt' })).status, 404);
    assert.equal((await asB('GET', `/api/v1/hostings/${b.id}/backups/${backup}/tree`)).body.code, 'backup.not_found');
    const inB = await restored(asB, b, backup, { part: 'files', path: 'var/www/keep.txt' });
    assert.equal(inB.error?.code, 'snapshot.restore_no_backup');
    const reader = await w.m.api('POST', `/api/v1/hostings/${a.id}/backups/${backup}/restore`, { part: 'files', path: 'var/www/keep.txt' }, { token: w.seeded.reader.token });
    assert.equal(reader.body.code, 'backup.forbidden');
    assert.equal((await asA('POST', `/api/v1/hostings/${a.id}/backups/${backup}/restore`, { part: 'hosting' })).body.code, 'auth.staff_only');
  });

  test('staff restore the whole hosting in place (after a safety snapshot)', async () => {
    assert.equal((await asHosting(a, `rm -rf ${www(a)}/* `)).code, 0);
    w.clock.set('2026-12-02T06:00:00Z');
    const r = await restored(w.m.api as Api, a, backup, { part: 'hosting' });
    assert.equal(r.status, 'done', JSON.stringify(r.error));
    assert.equal(r.safetySnapshot, 'safety-2026-12-02-060000');
    assert.deepEqual(await shape(www(a, 'site')), site);
    assert.equal(await readFile(www(a, 'keep.txt'), 'utf8'), original.keep);
    assert.equal((await lstat(www(a))).uid, a.uid);
  });

  test('abri backup files / restore --wait / check: the tree, a restore followed to its end, a check for staff only', async () => {
    const env = (token: string) => ({ ABRI_API_URL: w.m.url, ABRI_TOKEN: token });
    const owner = env(w.seeded.owner.token);
    const files = await abri(['backup', 'files', '--hosting', a.name, '--backup', backup.slice(0, 8), '--path', 'var/www/site'], owner);
    assert.equal(files.code, 0, files.stderr);
    assert.match(files.stdout, /^type\s+path\s+size\s+mtime\ndir\s+var\/www\/site\/data\s/);
    w.clock.set('2026-12-02T07:00:00Z');
    const r = await abri(['backup', 'restore', '--hosting', a.name, '--backup', backup, '--path', 'var/www/site/index.php', '--wait'], owner);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^restore \S+ done: var\/www\/site\/index\.php of [0-9a-f]{8} → restored-2026-12-02-070000\/var\/www\/site\/index\.php\n$/);
    assert.match(oneLineError(await abri(['backup', 'restore', '--hosting', a.name, '--backup', backup, '--path', 'var/www/x'], env(w.seeded.other.token))), /hosting\.not_found/);
    assert.match(oneLineError(await abri(['backup', 'check', '--hosting', a.name], owner)), /staff/);
  });

  test('the check of a sample runs once per week per repository (the Clock moved); staff ask for one now', async () => {
    const health = async () => (await w.m.api('GET', `/api/v1/hostings/${a.id}/backups`)).body.repository;
    const checked = async (n: number) => {
      await until(`the web server has check ${n}`, async () => w.desired(a).check.requests === n && w.desired(b).check.requests === n);
      await w.backups.runDue();
      return health();
    };
    assert.equal((await health()).checkHealth, 'never');
    await w.m.manager.jobs.runDue();
    assert.equal((await health()).checkRequests, 0, 'not before a week');
    w.clock.set('2026-12-08T10:00:00Z');
    await w.m.manager.jobs.runDue();
    await w.m.manager.jobs.runDue();
    const first = await checked(1);
    assert.deepEqual([first.checkRequests, first.checkHealth, first.lastCheckAt], [1, 'ok', '2026-12-08T10:00:00.000Z']);
    w.clock.set('2026-12-11T10:00:00Z');
    await w.m.manager.jobs.runDue();
    assert.equal((await health()).checkRequests, 1, 'once a week');
    w.clock.set('2026-12-15T10:00:00Z');
    await w.m.manager.jobs.runDue();
    const second = await checked(2);
    assert.deepEqual([second.checkRequests, second.checkHealth, second.lastCheckAt], [2, 'ok', '2026-12-15T10:00:00.000Z']);
    assert.equal(w.desired(a).check.subset, '2/10', 'the next part of the data');
    // staff now (the CLI), a customer refused
    const now = await abri(['backup', 'check', '--hosting', a.name], { ABRI_API_URL: w.m.url, ABRI_TOKEN: w.m.adminToken });
    assert.equal(now.code, 0, now.stderr);
    assert.match(now.stdout, /check 3 of .* asked for \(data subset 3\/10\)/);
    assert.equal((await asA('POST', `/api/v1/hostings/${a.id}/backups/check`)).status, 403);
    await until('the web server has check 3 of A', async () => w.desired(a).check.requests === 3);
    await w.backups.runDue();
    assert.equal((await health()).checkRequests, 3);
    assert.equal((await health()).checkHealth, 'ok');
  });

  test('staff restore a terminated hosting whose files are kept (within retention) from its backup; its customer cannot', async () => {
    assert.equal((await w.m.api('DELETE', `/api/v1/hostings/${b.id}`)).status, 200);
    assert.equal((await asHosting(b, `rm -f ${www(b, 'bravo.txt')}`)).code, 0);
    const mine = await asB('POST', `/api/v1/hostings/${b.id}/backups/${backupB}/restore`, { part: 'files', path: 'var/www/bravo.txt' });
    assert.equal(mine.body.code, 'hosting.terminated');
    w.clock.set('2026-12-15T11:00:00Z');
    const r = await restored(w.m.api as Api, b, backupB, { part: 'hosting' });
    assert.equal(r.status, 'done', JSON.stringify(r.error));
    assert.equal(await readFile(www(b, 'bravo.txt'), 'utf8'), 'bravo');
    assert.equal((await lstat(www(b, 'bravo.txt'))).uid, b.uid);
  });
});
