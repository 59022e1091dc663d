// Integration (root, btrfs on a loop device, the hostings' accounts and homes made by the web driver's
// own code): the web server's agent snapshots the homes on their offer's schedule. Moving its clock
// over three hours with "keep 2 hourly" takes three and keeps the last two, each with the files of its
// hour; the hosting reads them but can neither write, rename nor delete in backups/ or a snapshot;
// another hosting can neither read them nor list them (API, CLI); the usage does not grow with them;
// a node that slept takes each missed kind once, an agent restarted takes nothing twice; a plain home
// has none and says so (API, CLI, UI in EN/FR); snapshots asked for now are taken, the last 3 kept.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-snapshots.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { run } from './harness/run.js';
import { createBtrfsLoop, missingBtrfs, type BtrfsLoop } from './harness/btrfs.js';
import { loadConfig } from '../src/platform/config.js';
import { ManualClock } from '../src/platform/clock.js';
import { lstatIfExists } from '../src/platform/if-exists.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { Agent } from '../src/agent/loop.js';
import { HttpManagerLink } from '../src/agent/client.js';
import { nodeLayout } from '../src/node/layout.js';
import type { DesiredState } from '../src/node/protocol.js';
import { HomeStorage } from '../src/hosting/apply-storage.js';
import { SnapshotDriver } from '../src/snapshots/apply-snapshots.js';
import { snapshotsQuery } from '../src/snapshots/apply-list.js';
import { AccountsDriver } from './helpers/accounts-driver.js';
import { abri, oneLineError } from './helpers/cli.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, logOut, missingKeys, openPage, settled, withEvidence } from './helpers/browser.js';

const noBtrfs = [...missingBtrfs(), ...['/usr/bin/setpriv'].filter((f) => !existsSync(f))];
if (noBtrfs.length && process.env.CI === 'true') test('a btrfs filesystem can be made on a loop device (CI=true)', () => assert.fail(`missing: ${noBtrfs.join(', ')}`));
else if (noBtrfs.length) console.warn(`\n*** SKIPPING test/agent-snapshots.test.ts: missing ${noBtrfs.join(', ')} (this FAILS under CI=true) ***\n`);

const MiB = 1024 * 1024;
interface Hosting { id: string; name: string; uid: number; home: string }

/** A command run as the hosting's uid and gid (no supplementary groups). */
const asHosting = (h: Hosting, cmd: string[]) => run('setpriv', ['--reuid', String(h.uid), '--regid', String(h.uid), '--clear-groups', ...cmd], { allowFailure: true });
const writeAs = (h: Hosting, rel: string, text: string) => asHosting(h, ['sh', '-c', 'printf %s "$1" > "$2" && sync', 'sh', text, path.join(h.home, rel)]);

/** A snapshot driver that counts its passes (to know the agent has reconciled). */
class CountedSnapshots extends SnapshotDriver {
  passes = 0;
  override async reconcile(state: DesiredState) {
    const r = await super.reconcile(state);
    this.passes++;
    return r;
  }
}

describe('snapshots of the homes, taken by the web server\'s agent into backups/', { skip: noBtrfs.length > 0 }, () => {
  let fs: BtrfsLoop;
  let m: TestManager;
  let root: string;
  let plainHomes: string;
  let agent: Agent | null = null;
  let snaps: CountedSnapshots;
  let link: HttpManagerLink;
  const clock = new ManualClock('2026-12-01T12:30:00Z');
  const exec = new LocalExecutor();
  const log = pino({ level: 'silent' });
  let storage: HomeStorage;
  let a: Hosting;
  let b: Hosting;
  let c: Hosting;
  let ownerA: { token: string };
  let ownerB: { token: string };

  const layout = () => nodeLayout(path.join(root, 'node'));
  const startAgent = (driver: CountedSnapshots) => {
    snaps = driver;
    agent = new Agent({
      link, mode: 'apply', log, reconcileMs: 1000, waitMs: 2000,
      queries: { 'hosting-snapshots': snapshotsQuery(exec, layout().root) },
      drivers: [new AccountsDriver(layout().accountsDir, storage), driver],
    }).start();
    return until('the snapshot driver reconciled', async () => driver.passes > 0);
  };
  const backups = async (h: Hosting) => (await readdir(path.join(h.home, 'backups'))).sort();
  const usage = async (h: Hosting) => (await new HomeStorage(exec, { measureSeconds: 0, measureFiles: 100_000 }).measure([h]))![0]!.bytes;

  before(async () => {
    fs = await createBtrfsLoop();
    root = await mkdtemp('/tmp/abri-snapshots-');
    await chmod(root, 0o755);
    await mkdir(path.join(root, 'node'), { mode: 0o755 });
    plainHomes = path.join(root, 'plain');
    await mkdir(plainHomes, { mode: 0o711 });
    m = await startTestManager({ settings: { ABRI_HOSTING_PREFIX: 'asn', ABRI_UID_MIN: '67000', ABRI_UID_MAX: '67099', ABRI_HOSTING_ROOT: path.join(fs.mountpoint, 'www') } });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'web-snap', roles: ['web'], addresses: ['127.0.0.1'] })).body;
    const seededA = await seedHosting(m, { customer: 'Alpha', offer: { snapshotsHourly: 2, snapshotsDaily: 0, snapshotsWeekly: 0, snapshotsMonthly: 0 } });
    const seededB = await seedHosting(m, { customer: 'Bravo' }); // the default schedule
    const seededC = await seedHosting(m, { customer: 'Charlie' });
    [a, b, c] = [seededA.hosting, seededB.hosting, seededC.hosting];
    // Charlie's home on a filesystem without btrfs (this machine's /tmp), before any agent made it
    c.home = path.join(plainHomes, c.name);
    await m.manager.app.db.updateTable('hostings').set({ home: c.home }).where('id', '=', c.id).execute();
    ownerA = await m.user('owner@alpha.test');
    assert.equal((await m.join(seededA.customer.id, 'owner@alpha.test', 'owner')).status, 201);
    ownerB = await m.user('owner@bravo.test');
    assert.equal((await m.join(seededB.customer.id, 'owner@bravo.test', 'owner')).status, 201);
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: layout().root, ABRI_RECONCILE_SECONDS: '1' });
    storage = new HomeStorage(exec, config.node.disk, log);
    link = new HttpManagerLink(m.url, server.agentToken);
    await startAgent(new CountedSnapshots(exec, layout().root, true, log, clock));
    for (const h of [a, b, c]) await until(`${h.name}'s home`, async () => (await lstatIfExists(path.join(h.home, 'backups')))?.uid === 0);
  });

  after(async () => {
    const errors: unknown[] = [];
    const steps = [
      async () => {
        snaps?.stop();
        await agent?.stop();
      },
      async () => {
        for (const h of [a, b, c].filter(Boolean)) {
          await run('userdel', ['-f', h.name], { allowFailure: true });
          await run('groupdel', [h.name], { allowFailure: true });
        }
      },
      () => m?.close(),
      () => fs?.cleanup(),
      async () => {
        if (root) await rm(root, { recursive: true, force: true });
      },
    ];
    for (const step of steps) await Promise.resolve().then(step).catch((e: unknown) => errors.push(e));
    if (errors.length) throw errors[0];
  });

  test('backups/ is root:<hosting> 0750 in every home', async () => {
    for (const h of [a, b, c]) {
      const st = await lstat(path.join(h.home, 'backups'));
      assert.deepEqual([st.uid, st.gid, st.mode & 0o7777], [0, h.uid, 0o750], h.name);
    }
  });

  test('over three hours, "keep 2 hourly" takes three snapshots and keeps the last two, each with the files of its hour; the usage does not grow', async () => {
    assert.equal((await asHosting(a, ['dd', 'if=/dev/urandom', `of=${path.join(a.home, 'var/www/big.bin')}`, 'bs=1M', 'count=4', 'conv=fsync', 'status=none'])).code, 0);
    const before = await usage(a);
    for (const [hour, text] of [['13', 'one'], ['14', 'two'], ['15', 'three']]) {
      assert.equal((await writeAs(a, 'var/www/page.txt', text)).code, 0);
      clock.set(`2026-12-01T${hour}:00:00Z`);
      await snaps.runDue();
    }
    assert.deepEqual(await backups(a), ['hourly-2026-12-01-1400', 'hourly-2026-12-01-1500', 'latest-hourly']);
    assert.equal(await readlink(path.join(a.home, 'backups/latest-hourly')), 'hourly-2026-12-01-1500');
    assert.equal(await readFile(path.join(a.home, 'backups/hourly-2026-12-01-1400/var/www/page.txt'), 'utf8'), 'two');
    assert.equal(await readFile(path.join(a.home, 'backups/latest-hourly/var/www/page.txt'), 'utf8'), 'three');
    // Bravo's offer keeps the default 6 hourly: all three are there
    assert.deepEqual((await backups(b)).filter((n) => n.startsWith('hourly-')), ['hourly-2026-12-01-1300', 'hourly-2026-12-01-1400', 'hourly-2026-12-01-1500']);
    // each snapshot references the 4 MiB file, yet the home's usage is the same
    const after = await usage(a);
    assert.ok(Math.abs(after - before) < MiB, `usage ${before} → ${after} bytes: snapshots are not counted`);
    assert.deepEqual(await readdir(path.join(c.home, 'backups')), [], 'a plain directory gets none');
  });

  test('the hosting reads its snapshots and can neither write, rename nor delete in backups/ or in a snapshot', async () => {
    const snap = path.join(a.home, 'backups/hourly-2026-12-01-1400');
    assert.equal((await asHosting(a, ['cat', path.join(snap, 'var/www/page.txt')])).stdout, 'two');
    const attempts: string[][] = [
      ['touch', path.join(a.home, 'backups/mine')],
      ['mv', snap, path.join(a.home, 'backups/renamed')],
      ['mv', snap, path.join(a.home, 'var/www/taken')],
      ['rm', '-rf', snap],
      ['rm', '-f', path.join(a.home, 'backups/latest-hourly')],
      ['ln', '-sfn', '/etc', path.join(a.home, 'backups/latest-hourly')],
      ['btrfs', 'subvolume', 'delete', snap],
      ['touch', path.join(snap, 'var/www/new')],
      ['rm', '-f', path.join(snap, 'var/www/page.txt')],
      ['sh', '-c', `echo changed > ${path.join(snap, 'var/www/page.txt')}`],
      ['chmod', '777', path.join(snap, 'var/www')],
    ];
    for (const cmd of attempts) assert.notEqual((await asHosting(a, cmd)).code, 0, `${cmd.join(' ')} must fail`);
    assert.deepEqual(await backups(a), ['hourly-2026-12-01-1400', 'hourly-2026-12-01-1500', 'latest-hourly']);
    assert.equal(await readFile(path.join(snap, 'var/www/page.txt'), 'utf8'), 'two');
    // another hosting reads nothing of them
    for (const cmd of [['ls', path.join(a.home, 'backups')], ['cat', path.join(snap, 'var/www/page.txt')], ['ls', snap]]) {
      assert.notEqual((await asHosting(b, cmd)).code, 0, `${b.name}: ${cmd.join(' ')} must fail`);
    }
  });

  test('the API lists them (newest first, where they are); staff see their space; another customer gets 404; a plain home says "no snapshots"', async () => {
    const mine = await m.api('GET', `/api/v1/hostings/${a.id}/snapshots`, undefined, { token: ownerA.token });
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    assert.equal(mine.body.available, true);
    assert.deepEqual(mine.body.schedule, { hourly: 2, daily: 0, weekly: 0, monthly: 0 });
    assert.deepEqual(mine.body.snapshots.map((s: { name: string; kind: string; path: string; takenAt: string; exclusiveBytes: null }) => [s.kind, s.name, s.path, s.takenAt, s.exclusiveBytes]), [
      ['hourly', 'hourly-2026-12-01-1500', 'backups/hourly-2026-12-01-1500', '2026-12-01T15:00:00.000Z', null],
      ['hourly', 'hourly-2026-12-01-1400', 'backups/hourly-2026-12-01-1400', '2026-12-01T14:00:00.000Z', null],
    ]);
    assert.equal(mine.body.totalExclusiveBytes, null, 'customers do not see the space');
    const staff = await m.api('GET', `/api/v1/hostings/${a.id}/snapshots`);
    assert.equal(staff.status, 200);
    for (const s of staff.body.snapshots) assert.equal(typeof s.exclusiveBytes, 'number', JSON.stringify(s));
    assert.equal(staff.body.totalExclusiveBytes, staff.body.snapshots.reduce((sum: number, s: { exclusiveBytes: number }) => sum + s.exclusiveBytes, 0));
    const theirs = await m.api('GET', `/api/v1/hostings/${a.id}/snapshots`, undefined, { token: ownerB.token });
    assert.equal(theirs.status, 404);
    assert.equal(theirs.body.code, 'hosting.not_found');
    const plain = await m.api('GET', `/api/v1/hostings/${c.id}/snapshots`);
    assert.equal(plain.status, 200);
    assert.deepEqual([plain.body.available, plain.body.snapshots], [false, []]);
  });

  test('abri snapshot list: a table for the owner, one line of error for another customer', async () => {
    const env = (token: string) => ({ ABRI_API_URL: m.url, ABRI_TOKEN: token });
    const r = await abri(['snapshot', 'list', '--hosting', a.name], env(ownerA.token));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /backups\/ folder, read-only .*kept: 2 hourly, 0 daily/);
    assert.match(r.stdout, /^kind\s+name\s+takenAt\s+path\n/);
    assert.match(r.stdout, /^hourly\s+hourly-2026-12-01-1500\s+2026-12-01T15:00:00\.000Z\s+backups\/hourly-2026-12-01-1500$/m);
    assert.match(oneLineError(await abri(['snapshot', 'list', '--hosting', a.name], env(ownerB.token))), /hosting\.not_found/);
    const staff = await abri(['snapshot', 'list', '--hosting', a.name], env(m.adminToken));
    assert.match(staff.stdout, /^kind\s+name\s+takenAt\s+path\s+exclusiveMb\n/);
    const plain = await abri(['snapshot', 'list', '--hosting', c.name], env(m.adminToken));
    assert.equal(plain.code, 0);
    assert.match(plain.stderr, /^no snapshots: this hosting's home is not on btrfs/);
    assert.equal(oneLineError(await abri(['snapshot', 'list'], env(m.adminToken)), 2).includes('--hosting'), true);
  });

  test('the Snapshots tab of the hosting, in English and French; a plain home says it has none', browserTest(), async (t) => {
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const ui = await openPage(browser, { locale: 'en-GB' });
    const { page } = ui;
    await withEvidence(ui, 'snapshots tab', async () => {
      await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
      await page.goto(`${m.url}/hostings/${a.name}`);
      await heading(page, new RegExp(a.name));
      await page.getByRole('link', { name: 'Snapshots', exact: true }).click();
      await page.getByTestId('snapshots-table').waitFor();
      await settled(page);
      const rows = await page.getByTestId('snapshots-table').locator('tbody tr').allInnerTexts();
      assert.equal(rows.length, 2, rows.join('\n'));
      assert.match(rows[0]!, /backups\/hourly-2026-12-01-1500\s+Hourly/);
      assert.match(await page.getByTestId('snapshots-schedule').innerText(), /The last 2 hourly snapshots are kept[\s\S]*No daily snapshots\./);
      assert.equal(await page.getByTestId('snapshots-space').count(), 0, 'customers do not see the space');
      await assertAccessible(page, 'Snapshots (en)');
      await page.getByRole('banner').getByTestId('lang-fr').click();
      await page.waitForFunction(() => document.documentElement.lang === 'fr');
      await page.getByText('Les 2 derniers instantanés horaires sont gardés', { exact: false }).waitFor();
      assert.match(await page.getByTestId('snapshots-table').innerText(), /Horaire/);
      assert.deepEqual(await missingKeys(page), []);
      await assertAccessible(page, 'Snapshots (fr)');
      // staff see the space they take; a plain home says it has none
      await logOut(page);
      await m.user('staff@abri.test', 'staff');
      await logIn(page, m.url, 'staff@abri.test', 'correct horse battery');
      await page.goto(`${m.url}/hostings/${a.name}/snapshots`);
      await page.getByTestId('snapshots-space').waitFor();
      assert.match(await page.getByTestId('snapshots-table').innerText(), /Place propre|Own space/);
      await page.goto(`${m.url}/hostings/${c.name}/snapshots`);
      await page.getByTestId('snapshots-unavailable').waitFor();
      await settled(page);
      assert.match(await page.getByTestId('snapshots-unavailable').innerText(), /btrfs/);
      assert.deepEqual(await missingKeys(page), []);
      assert.deepEqual(ui.problems, []);
    });
  });

  test('a node that slept takes each missed kind once; an agent restarted at the same instant takes nothing twice', async () => {
    clock.set('2026-12-02T09:15:00Z');
    await snaps.runDue();
    assert.deepEqual(await backups(a), ['hourly-2026-12-01-1500', 'hourly-2026-12-02-0900', 'latest-hourly']);
    const bNames = await backups(b);
    assert.deepEqual(bNames.filter((n) => !n.startsWith('hourly-2026-12-01')), ['daily-2026-12-02', 'hourly-2026-12-02-0900', 'latest-daily', 'latest-hourly']);
    snaps.stop();
    await agent!.stop();
    await startAgent(new CountedSnapshots(exec, layout().root, true, log, clock));
    await snaps.runDue();
    assert.deepEqual(await backups(b), bNames);
    clock.set('2026-12-02T09:59:00Z');
    await snaps.runDue();
    assert.deepEqual(await backups(b), bNames, 'nothing more within the hour');
  });
  test('a snapshot asked for now (manual) is taken at the next change the server gets; the last 3 are kept; another customer cannot ask', async () => {
    const manual = async () => (await backups(a)).filter((n) => n.startsWith('manual-'));
    assert.equal((await m.api('POST', `/api/v1/hostings/${a.id}/snapshots`, {}, { token: ownerB.token })).status, 404); // another customer
    for (let i = 1; i <= 4; i++) {
      clock.set(`2026-12-02T09:59:0${i}Z`);
      const r = await m.api('POST', `/api/v1/hostings/${a.id}/snapshots`, {}, { token: ownerA.token });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.deepEqual([r.body.requests, r.body.kept], [i, 3]);
      await until(`manual snapshot ${i}`, async () => (await manual()).includes(`manual-2026-12-02-09590${i}`));
    }
    // the pass that took the 4th prunes the oldest, then points latest-manual at the 4th: wait for both (a loaded machine shows the steps between)
    await until('the oldest manual snapshot pruned and latest-manual on the 4th', async () => (await manual()).join() === 'manual-2026-12-02-095902,manual-2026-12-02-095903,manual-2026-12-02-095904' && (await readlink(path.join(a.home, 'backups/latest-manual')).catch(() => '')) === 'manual-2026-12-02-095904');
    assert.deepEqual((await backups(a)).filter((n) => n.startsWith('hourly-')), ['hourly-2026-12-01-1500', 'hourly-2026-12-02-0900'], 'the scheduled ones are untouched');
    const listed = await m.api('GET', `/api/v1/hostings/${a.id}/snapshots`, undefined, { token: ownerA.token });
    assert.deepEqual(listed.body.snapshots.slice(0, 1).map((s: { kind: string; name: string }) => [s.kind, s.name]), [['manual', 'manual-2026-12-02-095904']]);
    const st = await lstat(path.join(a.home, 'backups/manual-2026-12-02-095904'));
    assert.deepEqual([st.uid, st.ino], [0, 256]);
    assert.notEqual((await asHosting(a, ['touch', path.join(a.home, 'backups/manual-2026-12-02-095904/var/www/x')])).code, 0);
  });
});
