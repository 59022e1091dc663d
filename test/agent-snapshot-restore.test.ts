// Integration (root, btrfs on a loop device, the hostings' accounts and homes made by the web driver's
// own code, the real snapshot and restore drivers of the web server's agent): a customer restores a
// file and a folder of a snapshot into a new restored-<date>/ folder and in place, compared byte for
// byte (and modes, times, owner) with the snapshot; an in-place restore takes a safety snapshot that
// undoes it; links in a snapshot (to /etc/shadow, /etc, another hosting's home) are never followed by
// root, and a home bent by links is refused; a restore that does not fit the quota fails and leaves
// nothing; another customer gets 404 for all of it; bad paths are refused with stable codes; the CLI
// waits for a restore (exit 1 when it failed).
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-snapshot-restore.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { TestManager } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { run } from './harness/run.js';
import { missingBtrfs } from './harness/btrfs.js';
import { ManualClock } from '../src/platform/clock.js';
import { asHosting, startRestoreWorld, tree, type Hosting } from './helpers/restore-world.js';
import { abri, oneLineError } from './helpers/cli.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, settled, withEvidence } from './helpers/browser.js';

const noBtrfs = [...missingBtrfs(), ...['/usr/bin/setpriv'].filter((f) => !existsSync(f))];
if (noBtrfs.length && process.env.CI === 'true') test('a btrfs filesystem can be made on a loop device (CI=true)', () => assert.fail(`missing: ${noBtrfs.join(', ')}`));
else if (noBtrfs.length) console.warn(`\n*** SKIPPING test/agent-snapshot-restore.test.ts: missing ${noBtrfs.join(', ')} (this FAILS under CI=true) ***\n`);

type Restore = { id: string; status: string; target: string; safetySnapshot: string | null; error: { code: string; message: string | null } | null };

describe('restores from snapshots, done by the web server\'s agent as the hosting', { skip: noBtrfs.length > 0 }, () => {
  const clock = new ManualClock('2026-12-01T12:30:00Z');
  let world: Awaited<ReturnType<typeof startRestoreWorld>> | undefined;
  let m: TestManager;
  let a: Hosting;
  let b: Hosting;
  let ownerA: { token: string };
  let ownerB: { token: string };
  let snapshot = '';
  let shadow = '';

  const restoresOf = (h: Hosting) => `/api/v1/hostings/${h.id}/snapshots/restores`;
  const ask = (body: Record<string, unknown>, token = ownerA.token) => m.api('POST', restoresOf(a), body, { token });
  /** Asks for a restore at a new second (names are to the second) and waits until it is finished. */
  let second = 0;
  async function restore(body: Record<string, unknown>): Promise<Restore> {
    clock.set(new Date(Date.parse('2026-12-01T13:00:00Z') + ++second * 1000));
    const r = await ask(body);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.status, 'requested');
    return until(`restore ${r.body.id as string}`, async () => {
      const s = await m.api('GET', `${restoresOf(a)}/${r.body.id as string}`, undefined, { token: ownerA.token });
      return s.body.status === 'done' || s.body.status === 'failed' ? (s.body as Restore) : undefined;
    });
  }
  const inHome = (h: Hosting, rel: string) => path.join(h.home, rel);
  const takeSnapshot = async () => {
    const names = async () => (await readdir(inHome(a, 'backups'))).filter((n) => n.startsWith('manual-'));
    const before = await names();
    assert.equal((await m.api('POST', `/api/v1/hostings/${a.id}/snapshots`, {}, { token: ownerA.token })).status, 202);
    return until('the manual snapshot', async () => (await names()).find((n) => !before.includes(n)));
  };

  before(async () => {
    world = await startRestoreWorld(clock);
    ({ m, a, b, ownerA, ownerB } = world);
    shadow = await readFile('/etc/shadow', 'utf8');
    // A's site, with links to what it must never get: /etc/shadow, /etc, B's home
    const made = await asHosting(a, `
      cd ${inHome(a, 'var/www')}
      mkdir -p site/sub/deeper
      printf '%s' "<?php define('DB_PASSWORD', 'one');" > site/wp-config.php
      chmod 0640 site/wp-config.php
      touch -d '2026-11-20 10:00:00' site/wp-config.php
      printf 'a' > site/sub/a.txt; printf 'deep' > site/sub/deeper/d.txt; chmod 0700 site/sub/deeper
      ln -s /etc/shadow site/evil
      ln -s ${inHome(b, 'var/www')} site/peer
      ln -s /etc linkdir`);
    assert.equal(made.code, 0, made.stderr);
    assert.equal((await asHosting(b, `printf 'secret of B' > ${inHome(b, 'var/www/secret.txt')}`)).code, 0);
    snapshot = await takeSnapshot();
    // then the site changes: a new password, a folder deleted, a new file
    const changed = await asHosting(a, `cd ${inHome(a, 'var/www/site')}; printf two > wp-config.php; rm -rf sub; printf new > new.txt`);
    assert.equal(changed.code, 0, changed.stderr);
  });

  after(() => world?.close());

  test('a file and a folder, copied into a new restored-<date>/ folder: the same bytes, modes, times; the hosting\'s', async () => {
    const file = await restore({ snapshot, path: 'var/www/site/wp-config.php' });
    assert.equal(file.status, 'done', JSON.stringify(file));
    assert.match(file.target, /^restored-2026-12-01-130001\/var\/www\/site\/wp-config\.php$/);
    assert.equal(file.safetySnapshot, null);
    const src = inHome(a, `backups/${snapshot}/var/www/site/wp-config.php`);
    assert.deepEqual(await tree(inHome(a, file.target)), await tree(src));
    assert.equal(await readFile(inHome(a, file.target), 'utf8'), "<?php define('DB_PASSWORD', 'one');");
    assert.equal(await readFile(inHome(a, 'var/www/site/wp-config.php'), 'utf8'), 'two', 'the current file is untouched');
    const folder = await lstat(inHome(a, 'restored-2026-12-01-130001'));
    assert.deepEqual([folder.uid, folder.gid, folder.mode & 0o777], [a.uid, a.uid, 0o750]);
    const site = await restore({ snapshot, path: 'var/www/site/', mode: 'copy' });
    assert.equal(site.status, 'done', JSON.stringify(site));
    assert.equal(site.target, 'restored-2026-12-01-130002/var/www/site');
    const restored = await tree(inHome(a, site.target));
    assert.deepEqual(restored, await tree(inHome(a, `backups/${snapshot}/var/www/site`)));
    assert.match(restored.evil!, /^link \/etc\/shadow /, 'a link is restored as the link it was');
    assert.match(restored.peer!, /^link /);
    for (const [rel, what] of Object.entries(restored)) {
      assert.ok(!what.includes(Buffer.from(shadow).toString('base64')), `${rel} holds /etc/shadow`);
      assert.ok(!what.endsWith(' 0:0') && !what.includes(' 0:0 '), `${rel} is root's`);
    }
    // the hosting can tidy it away: the restored-… folder at the root of its home, once emptied, is removed for it
    assert.equal((await asHosting(a, `rm -rf ${inHome(a, 'restored-2026-12-01-130001')}/*`)).code, 0);
    await until('the emptied restored-… folder removed', async () => !existsSync(inHome(a, 'restored-2026-12-01-130001')));
    assert.equal(existsSync(inHome(a, 'restored-2026-12-01-130002')), true, 'one that is not empty stays');
  });

  test('in place: a safety snapshot first (listed), the file restored over the changed one, then undone from the safety snapshot', async () => {
    const r = await restore({ snapshot, path: 'var/www/site/wp-config.php', mode: 'in-place' });
    assert.equal(r.status, 'done', JSON.stringify(r));
    assert.equal(r.safetySnapshot, 'safety-2026-12-01-130003');
    assert.equal(r.target, 'var/www/site/wp-config.php');
    assert.deepEqual(await tree(inHome(a, r.target)), await tree(inHome(a, `backups/${snapshot}/var/www/site/wp-config.php`)));
    assert.equal(await readFile(inHome(a, `backups/${r.safetySnapshot}/var/www/site/wp-config.php`), 'utf8'), 'two', 'the safety snapshot holds what was replaced');
    const listed = await m.api('GET', `/api/v1/hostings/${a.id}/snapshots`, undefined, { token: ownerA.token });
    assert.ok(listed.body.snapshots.some((s: { kind: string; name: string }) => s.kind === 'safety' && s.name === r.safetySnapshot), JSON.stringify(listed.body));
    const undo = await restore({ snapshot: r.safetySnapshot, path: 'var/www/site/wp-config.php', mode: 'in-place' });
    assert.equal(undo.status, 'done', JSON.stringify(undo));
    assert.equal(await readFile(inHome(a, 'var/www/site/wp-config.php'), 'utf8'), 'two', 'undone');
    const st = await lstat(inHome(a, 'var/www/site/wp-config.php'));
    assert.deepEqual([st.uid, st.gid], [a.uid, a.uid]);
  });

  test('in place, a folder: it becomes the snapshot\'s again (a deleted folder back, a new file gone)', async () => {
    const r = await restore({ snapshot, path: 'var/www/site', mode: 'in-place' });
    assert.equal(r.status, 'done', JSON.stringify(r));
    assert.deepEqual(await tree(inHome(a, 'var/www/site')), await tree(inHome(a, `backups/${snapshot}/var/www/site`)));
    assert.equal(existsSync(inHome(a, `backups/${r.safetySnapshot!}/var/www/site/new.txt`)), true);
    assert.deepEqual((await readdir(inHome(a, 'var/www'))).filter((n) => n.startsWith('.abri-restore')), [], 'no temporary left');
  });

  test('links in a snapshot are never followed; a home bent by a link is refused; the paths that are not the hosting\'s are refused', async () => {
    for (const p of ['var/www/linkdir/shadow', 'var/www/site/peer/secret.txt']) {
      const r = await restore({ snapshot, path: p });
      assert.deepEqual([r.status, r.error?.code], ['failed', 'snapshot.restore_unsafe'], `${p}: ${JSON.stringify(r)}`);
    }
    const linkItself = await restore({ snapshot, path: 'var/www/linkdir' });
    assert.equal(linkItself.status, 'done');
    assert.equal(await readlink(inHome(a, linkItself.target)), '/etc', 'the link, not /etc');
    // the hosting makes its site folder a link to B's home, then asks for an in-place restore through it
    assert.equal((await asHosting(a, `cd ${inHome(a, 'var/www')}; mv site site.away; ln -s ${inHome(b, 'var/www')} site`)).code, 0);
    const bent = await restore({ snapshot, path: 'var/www/site/wp-config.php', mode: 'in-place' });
    assert.deepEqual([bent.status, bent.error?.code], ['failed', 'snapshot.restore_unsafe'], JSON.stringify(bent));
    // the link itself replaced in place: the restored folder takes its place, B's home is not written
    const over = await restore({ snapshot, path: 'var/www/site', mode: 'in-place' });
    assert.equal(over.status, 'done', JSON.stringify(over));
    assert.equal((await lstat(inHome(a, 'var/www/site'))).isDirectory(), true);
    assert.deepEqual(await readdir(inHome(b, 'var/www')), ['secret.txt'], 'B\'s home is untouched');
    assert.equal(await readFile(inHome(b, 'var/www/secret.txt'), 'utf8'), 'secret of B');
    // var/ and the home itself are root's: not restored in place (a copy is)
    const rootOwned = await restore({ snapshot, path: 'var', mode: 'in-place' });
    assert.deepEqual([rootOwned.status, rootOwned.error?.code], ['failed', 'snapshot.restore_not_writable'], JSON.stringify(rootOwned));
    const missing = await restore({ snapshot, path: 'var/www/nothing-here' });
    assert.deepEqual([missing.status, missing.error?.code], ['failed', 'snapshot.restore_path_not_found']);
    const gone = await restore({ snapshot: 'daily-2020-01-01', path: 'var/www/site' });
    assert.deepEqual([gone.status, gone.error?.code], ['failed', 'snapshot.restore_no_snapshot']);
  });

  test('a restore that does not fit the quota fails clearly and leaves nothing half-written', async () => {
    assert.equal((await asHosting(a, `dd if=/dev/urandom of=${inHome(a, 'var/www/big.bin')} bs=1M count=24 conv=fsync status=none`)).code, 0);
    const big = await takeSnapshot();
    const r = await restore({ snapshot: big, path: 'var/www/big.bin' });
    assert.deepEqual([r.status, r.error?.code], ['failed', 'snapshot.restore_no_space'], JSON.stringify(r));
    const folder = inHome(a, r.target.split('/')[0]!);
    const left = existsSync(folder) ? await run('find', [folder, '-type', 'f']) : { stdout: '' };
    assert.equal(left.stdout, '', 'no file of the failed restore is left');
    const temps = await run('find', [a.home, '-path', inHome(a, 'backups'), '-prune', '-o', '-name', '.abri-restore-*', '-print']);
    assert.equal(temps.stdout, '');
  });

  test('another customer gets 404 for A\'s restores; bad paths and names are refused with stable codes', async () => {
    const mine = await m.api('GET', restoresOf(a), undefined, { token: ownerA.token });
    assert.equal(mine.status, 200);
    assert.ok(mine.body.items.length >= 10);
    const one = mine.body.items[0].id as string;
    for (const [method, url, body] of [
      ['GET', restoresOf(a), undefined],
      ['GET', `${restoresOf(a)}/${one}`, undefined],
      ['POST', restoresOf(a), { snapshot, path: 'var/www/site' }],
    ] as const) {
      const r = await m.api(method, url, body, { token: ownerB.token });
      assert.deepEqual([r.status, r.body.code], [404, 'hosting.not_found'], `${method} ${url}`);
    }
    const viaOwn = await m.api('GET', `${restoresOf(b)}/${one}`, undefined, { token: ownerB.token });
    assert.deepEqual([viaOwn.status, viaOwn.body.code], [404, 'snapshot_restore.not_found']);
    for (const p of ['../etc/passwd', '/etc/shadow', 'var/www/../../..', 'var//www', '', 'backups', `backups/${snapshot}/var`, 'var/www/a\nb', './var']) {
      const r = await ask({ snapshot, path: p });
      assert.deepEqual([r.status, r.body.code], [400, 'snapshot.bad_path'], JSON.stringify(p));
    }
    for (const s of ['../x', 'latest-daily', 'manual', 'daily-2026-02-31']) {
      const r = await ask({ snapshot: s, path: 'var/www' });
      assert.deepEqual([r.status, r.body.code], [400, 'snapshot.bad_name'], s);
    }
    assert.equal((await ask({ snapshot, path: 'var/www', mode: 'over' })).status, 400);
  });

  test('abri snapshot restore --wait: done, or exit 1 with why; abri snapshot restores lists them', async () => {
    const env = { ABRI_API_URL: m.url, ABRI_TOKEN: ownerA.token };
    clock.set('2026-12-01T14:00:00Z');
    await world!.inContact();
    const ok = await abri(['snapshot', 'restore', '--hosting', a.name, '--snapshot', snapshot, '--path', 'var/www/site/wp-config.php', '--wait'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^restore \S+ done: var\/www\/site\/wp-config\.php of manual-\S+ → restored-2026-12-01-140000\/var\/www\/site\/wp-config\.php$/m);
    clock.set('2026-12-01T14:00:01Z');
    const bad = await abri(['snapshot', 'restore', '--hosting', a.name, '--snapshot', snapshot, '--path', 'var/www/nothing', '--in-place', '--wait'], env);
    assert.match(oneLineError(bad), /failed: var\/www\/nothing of manual-\S+ → var\/www\/nothing — .*\(snapshot\.restore_path_not_found\)$/);
    assert.match(oneLineError(await abri(['snapshot', 'restore', '--hosting', a.name, '--snapshot', snapshot, '--path', '../x'], env)), /snapshot\.bad_path/);
    assert.match(oneLineError(await abri(['snapshot', 'restores', '--hosting', a.name], { ...env, ABRI_TOKEN: ownerB.token })), /hosting\.not_found/);
    const list = await abri(['snapshot', 'restores', '--hosting', a.name], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^id\s+status\s+snapshot\s+path\s+mode\s+target/);
    assert.match(list.stdout, /failed\s.*snapshot\.restore_path_not_found/);
  });

  test('the Snapshots tab restores a file and shows how it went, in English and French', browserTest(), async (t) => {
    const browser = await launchBrowser();
    t.after(() => browser.close());
    const ui = await openPage(browser, { locale: 'en-GB' });
    const { page } = ui;
    await withEvidence(ui, 'restore from the snapshots tab', async () => {
      clock.set('2026-12-01T15:00:00Z');
      await world!.inContact();
      await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
      await page.goto(`${m.url}/hostings/${a.name}/snapshots`);
      await heading(page, new RegExp(a.name));
      const form = page.getByRole('form', { name: 'Restore a file or folder' });
      await form.getByLabel('Snapshot').selectOption(snapshot);
      await form.getByLabel('File or folder').fill('var/www/site/sub/a.txt');
      await form.getByRole('button', { name: 'Restore' }).click();
      await page.getByTestId('restore-asked').waitFor();
      const first = page.getByTestId('restores-table').locator('tbody tr').first();
      await until('the restore done in the list', async () => /Done/.test(await first.innerText()));
      assert.match(await first.innerText(), /var\/www\/site\/sub\/a\.txt[\s\S]*restored-2026-12-01-150000\/var\/www\/site\/sub\/a\.txt/);
      assert.equal(await readFile(inHome(a, 'restored-2026-12-01-150000/var/www/site/sub/a.txt'), 'utf8'), 'a');
      // a bad path is refused in the form, with the reason
      await form.getByLabel('File or folder').fill('../etc');
      await form.getByRole('button', { name: 'Restore' }).click();
      await page.getByTestId('form-error').waitFor();
      assert.match(await page.getByTestId('form-error').innerText(), /cannot be restored/);
      await settled(page);
      await assertAccessible(page, 'Restores (en)');
      await page.getByRole('banner').getByTestId('lang-fr').click();
      await page.waitForFunction(() => document.documentElement.lang === 'fr');
      await page.getByText('Restaurer depuis un instantané').first().waitFor();
      assert.match(await page.getByTestId('restores-table').innerText(), /Faite[\s\S]*Échouée/);
      assert.deepEqual(await missingKeys(page), []);
      await assertAccessible(page, 'Restores (fr)');
      assert.deepEqual(ui.problems, []);
    });
  });
});
