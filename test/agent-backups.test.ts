// Integration (root; OpenSSH's sshd on a loopback port with its own config, restic): off-server
// backups. A backup server's agent keeps an account, key and chroot per hosting's repository; the web
// server's agent backs each home up on its clock (first at once, then daily), incrementally, with the
// offer's retention; the API lists a hosting's backups to its customer only (another gets 404) with
// their health; a failed backup shows at once to staff; `restic check` passes; a backup killed
// (SIGKILL of the process making it) leaves the repository consistent and the next one succeeds;
// hosting B's key opens neither A's repository nor anything but B's own.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-backups.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { until } from './helpers/node.js';
import { run } from './harness/run.js';
import { nodeArgs, repoModule } from './harness/sources.js';
import { backupServerPaths } from '../src/backups/apply-repositories.js';
import { backupsDir, HostingRepository } from '../src/backups/apply-restic.js';
import { BackupWorld, PORT } from './helpers/backup-world.js';
import { abri, oneLineError } from './helpers/cli.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, logOut, missingKeys, openPage, settled, withEvidence } from './helpers/browser.js';

const missing = ['/usr/bin/restic', '/usr/sbin/sshd', '/usr/bin/sftp', '/usr/sbin/useradd'].filter((f) => !existsSync(f));
if (missing.length && process.env.CI === 'true') test('restic and OpenSSH are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-backups.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

describe('off-server backups: restic over SFTP to a backup server, one repository and key per hosting', { skip: missing.length > 0 }, () => {
  const w = new BackupWorld();
  const { exec, clock, desired, repoOf, accountOf, repoDir, health, backUpAt, startBackupServer, webRoot, backupRoot } = w;
  let [m, a, b, asA, asB, seeded, backups, repos, root] = [w.m, w.a, w.b, w.asA, w.asB, w.seeded, w.backups, w.repos, w.root];
  before(async () => {
    await w.start();
    [m, a, b, asA, asB, seeded, backups, repos, root] = [w.m, w.a, w.b, w.asA, w.asB, w.seeded, w.backups, w.repos, w.root];
  });
  after(() => w.close());

  test('the backup server keeps an account per hosting (own uid, not the hosting\'s), chrooted, with one key, and the repository its own', async () => {
    for (const h of [a, b]) {
      const passwd = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith(`${accountOf(h)}:`));
      assert.ok(passwd, `${accountOf(h)} exists`);
      assert.equal(Number(passwd.split(':')[2]), h.uid + 50, 'the hosting\'s uid + the offset');
      assert.equal(passwd.split(':')[6], '/usr/sbin/nologin');
      const keys = await readFile(path.join(backupServerPaths(backupRoot()).keysDir, accountOf(h)), 'utf8');
      assert.match(keys, /^restrict ssh-ed25519 \S+ abri-backup\n$/);
    }
    const st = await run('stat', ['-c', '%u %a', repoDir(a), path.dirname(repoDir(a))]);
    assert.deepEqual(st.stdout.trim().split('\n'), [`${a.uid + 50} 700`, '0 755']);
  });

  test('the first backup is made at once, then daily: incremental (1 % of the files changed adds little), retention per offer, listed to the customer', async () => {
    await backups.runDue(); // the first one, started when the agent got its state
    const first = await health(a);
    assert.equal(first.health, 'ok', JSON.stringify(first));
    const data = path.join(a.home, 'var/www/data');
    await mkdir(data, { recursive: true });
    for (let i = 0; i < 200; i++) await writeFile(path.join(data, `f${i}.bin`), randomBytes(16 * 1024));
    await writeFile(path.join(a.home, 'backups-not-excluded.txt'), 'kept');
    await backUpAt('2026-12-02T03:00:00Z');
    const second = await health(a);
    assert.notEqual(second.lastSnapshot, first.lastSnapshot);
    assert.ok(second.lastBytesAdded > 200 * 16 * 1024 * 0.9, `the new files were sent (${second.lastBytesAdded} bytes)`);
    for (let i = 0; i < 2; i++) await writeFile(path.join(data, `f${i}.bin`), randomBytes(16 * 1024));
    await backUpAt('2026-12-03T03:00:00Z');
    const third = await health(a);
    assert.ok(third.lastTotalBytes >= 200 * 16 * 1024, `the whole tree is in the backup (${third.lastTotalBytes} bytes)`);
    assert.ok(third.lastBytesAdded < third.lastTotalBytes / 20, `only the changes were sent: ${third.lastBytesAdded} of ${third.lastTotalBytes} bytes`);
    // keep 2 daily: the backup of the 1st went
    const mine = await asA('GET', `/api/v1/hostings/${a.id}/backups`);
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    assert.deepEqual(mine.body.retention, { keepDaily: 2, keepWeekly: 0 });
    assert.deepEqual(mine.body.snapshots.map((s: { time: string }) => s.time), ['2026-12-03T03:00:00.000Z', '2026-12-02T03:00:00.000Z']);
    assert.equal(mine.body.readable, true);
    assert.equal(mine.body.snapshots[0].shortId, third.lastSnapshot);
    assert.equal(mine.body.snapshots[0].sizeBytes, third.lastTotalBytes);
    assert.equal(mine.body.repository.server, null, 'customers do not see where');
    // the backup holds the files as they were
    const dumped = await repoOf(a).restic(['dump', 'latest', path.join(data, 'f1.bin')], 60_000);
    assert.equal(Buffer.from(dumped.stdout, 'latin1').length > 0, true);
    const ls = await repoOf(a).restic(['ls', 'latest'], 60_000);
    assert.ok(ls.stdout.includes(path.join(a.home, 'backups-not-excluded.txt')));
    assert.ok(!ls.stdout.split('\n').some((l) => l.startsWith(path.join(a.home, 'backups/'))), 'backups/ (the snapshots) is left out');
    assert.equal((await repoOf(a).restic(['check'], 300_000)).code, 0);
  });

  test('a backup asked for now is made when the web server gets the change', async () => {
    const before = (await health(a)).requests;
    const asked = await asA('POST', `/api/v1/hostings/${a.id}/backups`);
    assert.equal(asked.status, 202, JSON.stringify(asked.body));
    assert.equal(asked.body.requests, before + 1);
    clock.set('2026-12-03T09:00:00Z');
    await until('the web server has the request', async () => backups.states.at(-1)!.backups!.hostings.find((h) => h.hosting === a.id)!.requests === before + 1);
    await until('the backup was made', async () => (await health(a)).lastAttemptAt === '2026-12-03T09:00:00.000Z' || (await backups.runDue(), false));
    assert.equal((await health(a)).health, 'ok');
  });

  test('another customer can neither list nor ask for A\'s backups (404); staff list every repository', async () => {
    assert.equal((await asB('GET', `/api/v1/hostings/${a.id}/backups`)).status, 404);
    assert.equal((await asB('POST', `/api/v1/hostings/${a.id}/backups`)).status, 404);
    assert.equal((await asB('GET', '/api/v1/backups')).status, 403);
    const all = await m.api('GET', '/api/v1/backups');
    assert.deepEqual(all.body.items.map((r: { hostingName: string }) => r.hostingName).sort(), [a.name, b.name].sort());
  });

  test('abri backup list / health / now: a table for the owner, one line of error for another customer', async () => {
    const env = (token: string) => ({ ABRI_API_URL: m.url, ABRI_TOKEN: token });
    const owner = env(seeded.owner.token);
    const r = await abri(['backup', 'list', '--hosting', a.name], owner);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^health: ok \(last good backup 2026-12-03T09:00:00\.000Z\); kept: 2 daily, 0 weekly\n$/);
    assert.match(r.stdout, /^day\s+part\s+shortId\s+time\s+sizeMb\n2026-12-03\s+files\s+[0-9a-f]{8}\s+2026-12-03T09:00:00\.000Z\s+\d+\.\d\n/);
    assert.match(oneLineError(await abri(['backup', 'list', '--hosting', a.name], env(seeded.other.token))), /hosting\.not_found/);
    assert.match(oneLineError(await abri(['backup', 'now', '--hosting', a.name], env(seeded.reader.token))), /backup\.forbidden/);
    assert.match(oneLineError(await abri(['backup', 'health'], owner)), /staff/);
    const staff = await abri(['backup', 'health'], env(m.adminToken));
    assert.equal(staff.code, 0, staff.stderr);
    assert.match(staff.stdout, new RegExp(`^${a.name}\\s+Alpha\\s+backup-1\\s+ok\\s`, 'm'));
    assert.equal(oneLineError(await abri(['backup', 'list'], owner), 2).includes('--hosting'), true);
  });

  test('the Backups tab (owner, English and French) and the staff\'s Backups page', browserTest(), async (t) => {
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const ui = await openPage(browser, { locale: 'en-GB' });
    const { page } = ui;
    await withEvidence(ui, 'backups tab', async () => {
      await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
      await page.goto(`${m.url}/hostings/${a.name}`);
      await heading(page, new RegExp(a.name));
      await page.getByRole('link', { name: 'Backups', exact: true }).click();
      await page.getByTestId('backups-table').waitFor();
      await settled(page);
      const rows = await page.getByTestId('backups-table').locator('tbody tr').allInnerTexts();
      assert.equal(rows.length, 2, rows.join('\n'));
      assert.match(await page.getByTestId('backups-retention').innerText(), /last 2 daily backups and 0 weekly/);
      assert.match(await page.getByTestId('backups-health').innerText(), /Last backup good/);
      await assertAccessible(page, 'Backups (en)');
      await page.getByRole('banner').getByTestId('lang-fr').click();
      await page.waitForFunction(() => document.documentElement.lang === 'fr');
      await page.getByText('Dernière sauvegarde réussie', { exact: false }).first().waitFor();
      assert.deepEqual(await missingKeys(page), []);
      await assertAccessible(page, 'Backups (fr)');
      await logOut(page);
      await m.user('staff@abri.test', 'staff');
      await logIn(page, m.url, 'staff@abri.test', 'correct horse battery');
      await page.goto(`${m.url}/staff/backups`);
      await page.getByRole('cell', { name: new RegExp(a.name) }).or(page.getByRole('rowheader', { name: new RegExp(a.name) })).first().waitFor();
      await settled(page);
      assert.match(await page.locator('table').innerText(), new RegExp(`${b.name}[\\s\\S]*backup-1`));
      assert.deepEqual(await missingKeys(page), []);
      await assertAccessible(page, 'Staff backups');
      assert.deepEqual(ui.problems, []);
    });
  });

  test('hosting B\'s key opens neither A\'s account nor A\'s repository; B\'s own account sees nothing but its repository', async () => {
    await backUpAt('2026-12-04T03:00:00Z'); // B's repository has backups too
    const keyB = path.join(backupsDir(webRoot()), b.id, 'key');
    const sftp = (user: string, commands: string) => run('sftp', ['-b', '-', '-F', '/dev/null', '-i', keyB, '-P', String(PORT), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
      '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', `${user}@127.0.0.1`], { allowFailure: true, input: commands });
    const intoA = await sftp(accountOf(a), 'ls /\n');
    assert.notEqual(intoA.code, 0, 'B\'s key is refused for A\'s account');
    assert.match(intoA.stderr, /Permission denied/);
    const own = await sftp(accountOf(b), 'ls -1 /\nls -1 /..\n');
    assert.equal(own.code, 0, own.stderr);
    assert.deepEqual(own.stdout.split('\n').filter((l) => l && !l.startsWith('sftp>')).map((l) => path.basename(l.trim())), ['repo', 'repo'], 'its chroot holds its repository only');
    const viaB = await new HostingRepository(exec, path.join(root, 'thief'), { ...desired(a), privateKey: desired(b).privateKey }).restic(['snapshots', '--no-lock'], 60_000, { allowFailure: true });
    assert.notEqual(viaB.code, 0, 'restic with B\'s key cannot reach A\'s repository');
    const wrongPassword = await new HostingRepository(exec, path.join(root, 'thief2'), { ...desired(b), password: desired(a).password }).restic(['snapshots', '--no-lock'], 60_000, { allowFailure: true });
    assert.notEqual(wrongPassword.code, 0, 'nor does A\'s password open B\'s');
  });

  test('a failed backup shows at once to staff (and as "failed" to the customer); the next good one clears it', async () => {
    await w.backupAgent!.stop(); // the backup server is down (its agent would start its sshd again)
    await repos.stopSshd();
    await until('the backup sshd stopped', async () => (await run('ss', ['-Hltn', `sport = :${PORT}`])).stdout.trim() === '');
    await backUpAt('2026-12-05T03:00:00Z');
    const failed = await m.api('GET', '/api/v1/backups?health=failed');
    assert.deepEqual(failed.body.items.map((r: { hostingName: string }) => r.hostingName).sort(), [a.name, b.name].sort());
    assert.ok(failed.body.items[0].lastError.length > 0);
    assert.equal(failed.body.items[0].lastErrorAt, '2026-12-05T03:00:00.000Z');
    const unreadable = await asA('GET', `/api/v1/hostings/${a.id}/backups`);
    assert.equal(unreadable.status, 200, JSON.stringify(unreadable.body));
    assert.deepEqual([unreadable.body.readable, unreadable.body.snapshots], [false, []], 'the backup server is down: no list, the health still tells');
    const customer = unreadable.body.repository;
    assert.equal(customer.health, 'failed');
    assert.equal(customer.lastError, null, 'the reason is for staff');
    assert.equal(customer.lastSuccessAt, '2026-12-04T03:00:00.000Z', 'the last good backup is still known');
    // the backup server's agent starts its sshd again when it comes back
    startBackupServer();
    await until('the backup sshd is back', async () => (await run('ss', ['-Hltn', `sport = :${PORT}`])).stdout.trim() !== '');
    await backUpAt('2026-12-06T03:00:00Z');
    assert.equal((await m.api('GET', '/api/v1/backups?health=failed')).body.items.length, 0);
  });

  test('a backup killed in the middle (SIGKILL) leaves the repository consistent; the next one removes its stale lock and succeeds', async () => {
    const data = path.join(a.home, 'var/www/big');
    await mkdir(data, { recursive: true });
    for (let i = 0; i < 32; i++) await writeFile(path.join(data, `b${i}.bin`), randomBytes(256 * 1024));
    const spec = path.join(root, 'killed-spec.json');
    await writeFile(spec, JSON.stringify({ root: path.join(root, 'killed'), limitUploadKib: 64, hostings: [desired(a)] }));
    const child = spawn(process.execPath, [...nodeArgs(repoModule('test/helpers/backup-agent.ts')), spec], { detached: true, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const locks = path.join(repoDir(a), 'locks');
    const dataDir = path.join(repoDir(a), 'data');
    const packs = async () => (await run('find', [dataDir, '-type', 'f'])).stdout.split('\n').filter(Boolean).length;
    const packsBefore = await packs();
    // killed once it holds its lock and has sent part of the new data (at 64 KiB/s, 8 MiB take two minutes)
    await until('the backup is under way', async () => (await readdir(locks)).length > 0 && (await packs()) > packsBefore, 120_000, 50);
    // the whole group: the agent, its restic and restic's ssh; restic's lock is stale only once its process is gone
    // (restic asks the kernel; a killed process not yet reaped by init still answers), so wait for init to reap them
    const group = (await run('pgrep', ['-g', String(child.pid)], { allowFailure: true })).stdout.split('\n').filter(Boolean);
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    await until('init reaped the killed processes', async () => group.every((pid) => !existsSync(`/proc/${pid}`)), 120_000, 50);
    assert.ok((await readdir(locks)).length > 0, 'the killed backup left its lock');
    const snapshotsBefore = (await asA('GET', `/api/v1/hostings/${a.id}/backups`)).body.snapshots.length;
    const consistent = await repoOf(a).restic(['check', '--no-lock'], 300_000, { allowFailure: true }); // its stale lock is still there: check would wait for it
    assert.equal(consistent.code, 0, `the repository is consistent: ${consistent.stderr}`);
    await backUpAt('2026-12-07T03:00:00Z');
    const after = await health(a);
    assert.equal(after.health, 'ok', JSON.stringify(after));
    assert.equal(after.lastSuccessAt, '2026-12-07T03:00:00.000Z');
    assert.deepEqual(await readdir(locks), [], 'no lock is left');
    assert.ok((await asA('GET', `/api/v1/hostings/${a.id}/backups`)).body.snapshots.length >= Math.min(2, snapshotsBefore));
    const check = await repoOf(a).restic(['check', '--read-data'], 300_000);
    assert.equal(check.code, 0, check.stderr);
    assert.equal((await repoOf(a).restic(['dump', 'latest', path.join(data, 'b31.bin')], 60_000)).stdout.length > 0, true);
  });

  test('a repository deleted on the backup server (by staff) is made again at the next backup', async () => {
    for (const entry of await readdir(repoDir(b))) await rm(path.join(repoDir(b), entry), { recursive: true, force: true });
    await backUpAt('2026-12-08T03:00:00Z');
    const h = await health(b);
    assert.equal(h.health, 'ok', JSON.stringify(h));
    assert.equal(h.lastSuccessAt, '2026-12-08T03:00:00.000Z');
    assert.deepEqual((await m.api('GET', `/api/v1/hostings/${b.id}/backups`)).body.snapshots.map((s: { time: string }) => s.time), ['2026-12-08T03:00:00.000Z']);
  });

  test('the web server deletes the key and password of a hosting no longer on it', async () => {
    const gone = path.join(backupsDir(webRoot()), '0b0e0f00-0000-4000-8000-000000000000'); // as a hosting moved to another web server leaves it
    await mkdir(gone, { mode: 0o700 });
    await writeFile(path.join(gone, 'key'), 'a key of a hosting moved away\n', { mode: 0o600 });
    await backUpAt('2026-12-09T03:00:00Z');
    assert.equal(existsSync(gone), false);
    for (const h of [a, b]) assert.ok(existsSync(path.join(backupsDir(webRoot()), h.id, 'key')), `${h.name}'s key stays`);
  });
});
