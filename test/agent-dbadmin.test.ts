// Integration (root, real services): Debian's Adminer behind Abri's sign-on, in a PHP-FPM pool of its
// own behind Apache (test/harness/dbadmin.ts), a real MariaDB applied by the database server's agent,
// and a real browser. The customer clicks "Open in Adminer" next to a database user, lands in Adminer
// signed in as that user without typing anything, and runs a query; neither password is ever in a
// page or an address. Attacks against the real Adminer: a ticket replayed or forged, Adminer's own
// login form, another server, user or driver typed into its address: all refused.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-dbadmin.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { browserTest, launchBrowser, logIn, openPage, settled } from './helpers/browser.js';
import { missingMariadb, startMariadb, type TestMariadb } from './harness/mariadb.js';
import { freePort, missingDbadmin, startDbadmin, type TestDbadmin } from './harness/dbadmin.js';
import { loadConfig } from '../src/platform/config.js';
import { createNodeAgent } from '../src/agent/node.js';
import { HttpManagerLink } from '../src/agent/client.js';
import type { Agent } from '../src/agent/loop.js';

const missing = [...missingMariadb(), ...missingDbadmin(), ...(browserTest().skip ? ['chromium'] : [])];
if (missing.length && process.env.CI === 'true') test('MariaDB, PHP-FPM, Apache, Adminer and Chromium are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-dbadmin.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

const KEY = 'dbadmin-test-key-'.padEnd(48, 'x');

describe('the web database admin: Adminer signed in with a ticket', { skip: missing.length > 0 }, () => {
  let maria: TestMariadb;
  let m: TestManager;
  let agent: Agent;
  let admin: TestDbadmin;
  let browser: Browser;
  let nodeRoot: string;
  let owner: { token: string };
  let wp: { id: string; name: string; user: { id: string; name: string; password: string } };
  let theirs: { name: string };
  const live = (path: string) => until(`${path} live`, async () => (await m.api('GET', path)).body.provisioning.status === 'live');
  const ticket = async () => (await m.api('POST', `/api/v1/database-users/${wp.user.id}/dbadmin-ticket`, undefined, { token: owner.token })).body.ticket as string;
  const postTicket = (t: string, cookie?: string) =>
    fetch(admin.url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) }, body: new URLSearchParams({ ticket: t }) });

  before(async () => {
    maria = await startMariadb();
    const port = await freePort();
    m = await startTestManager({ settings: { ABRI_DATABASE_PORT: String(maria.port), ABRI_DBADMIN_URL: `http://127.0.0.1:${port}/dbadmin/`, ABRI_DBADMIN_KEY: KEY } });
    admin = await startDbadmin({ port, manager: m.url, key: KEY });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'db-test', roles: ['database'], addresses: ['127.0.0.1'] })).body;
    const a = await seedHosting(m, { customer: 'Alpha', offer: { maxDatabases: 3 } });
    const b = await seedHosting(m, { customer: 'Bravo', offer: { maxDatabases: 3 } });
    owner = await m.user('owner@alpha.test');
    assert.equal((await m.join(a.customer.id, 'owner@alpha.test', 'owner')).status, 201);
    nodeRoot = await mkdtemp('/tmp/abri-dbnode-');
    const config = loadConfig({}, {
      ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: nodeRoot, ABRI_RECONCILE_SECONDS: '1',
      ABRI_MARIADB_SOCKET: maria.socket, ABRI_DATABASE_MEASURE_SECONDS: '0',
    });
    agent = createNodeAgent({ config, link: new HttpManagerLink(m.url, server.agentToken), log: pino({ level: 'silent' }), manager: { address: '127.0.0.1', port: 1 } }).start();
    wp = (await m.api('POST', `/api/v1/hostings/${a.hosting.id}/databases`, { name: 'wp', user: true }, { token: owner.token })).body;
    theirs = (await m.api('POST', `/api/v1/hostings/${b.hosting.id}/databases`, { name: 'shop', user: true })).body.user;
    await live(`/api/v1/database-users/${wp.user.id}`);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await agent?.stop();
    await admin?.stop();
    await m?.close();
    await maria?.stop();
    if (nodeRoot) await rm(nodeRoot, { recursive: true, force: true });
  });

  test('“Open in Adminer”: signed in as the user without typing, a query runs; no password in a page or an address', async () => {
    const { page } = await openPage(browser, { locale: 'en-GB' });
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${wp.user.name.split('_')[0]}/databases`);
    await settled(page);
    const [adminer] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: `Open ${wp.user.name} in Adminer` }).click()]);
    await adminer.waitForURL(/username=/);
    await adminer.getByRole('link', { name: 'SQL command' }).first().waitFor();
    const url = new URL(adminer.url());
    assert.deepEqual([url.searchParams.get('server'), url.searchParams.get('username')], [`127.0.0.1:${maria.port}`, wp.user.name]);
    // the SQL page in a tab without JavaScript (Adminer's highlighter hides the plain text area), same session
    const plainContext = await browser.newContext({ javaScriptEnabled: false });
    await plainContext.addCookies(await page.context().cookies(admin.url));
    const sqlPage = await plainContext.newPage();
    await sqlPage.goto(`${admin.url}?server=127.0.0.1:${maria.port}&username=${wp.user.name}&db=${wp.name}&sql=`);
    await sqlPage.locator('textarea[name="query"]').fill('CREATE TABLE notes (id INT PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, \'from adminer\'); SELECT CURRENT_USER() AS who, 6 * 7 AS answer, body FROM notes;');
    await sqlPage.locator('input[type="submit"][value="Execute"]').click();
    await sqlPage.locator('table', { hasText: 'answer' }).waitFor();
    const result = await sqlPage.locator('table', { hasText: 'answer' }).innerText();
    assert.match(result, new RegExp(`${wp.user.name}@%\\s+42\\s+from adminer`), result);
    const root = await maria.root();
    try {
      assert.deepEqual(await root.query(`SELECT body FROM \`${wp.name}\`.notes`), [{ body: 'from adminer' }], 'the user’s own database, for real');
    } finally {
      await root.end();
    }
    const row = await m.manager.app.db.selectFrom('databaseUsers').select('consoleSecret').where('id', '=', wp.user.id).executeTakeFirstOrThrow();
    const consolePassword = m.manager.app.secrets().open(row.consoleSecret!);
    for (const p of [page, adminer, sqlPage]) {
      const html = await p.content();
      for (const secret of [wp.user.password, consolePassword]) {
        assert.ok(!html.includes(secret) && !p.url().includes(secret), 'no password in a page or its address');
      }
    }
    const cookies = JSON.stringify(await page.context().cookies());
    assert.ok(!cookies.includes(consolePassword) && !cookies.includes(wp.user.password), 'nor in a cookie');
    await adminer.close();
    await plainContext.close();
  });

  test('a ticket opens once: replayed, forged or without a ticket, Adminer is not signed in', async () => {
    const t = await ticket();
    const first = await postTicket(t);
    assert.equal(first.status, 302, await first.text());
    const replay = await postTicket(t);
    assert.equal(replay.status, 403);
    assert.match(await replay.text(), /expired or was already used/);
    const [u, exp, n, sig] = (await ticket()).split('.');
    for (const forged of [[u, String(Number(exp) + 600_000), n, sig], [u, exp, n, `${sig!.slice(0, -2)}AA`], ['not', 'a', 'ticket']]) {
      assert.equal((await postTicket(forged.join('.'))).status, 403, forged.join('.'));
    }
  });

  test('Adminer opens nothing else: its login form, another server, another user, another driver', async () => {
    const login = await fetch(admin.url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'auth[driver]': 'server', 'auth[server]': `127.0.0.1:${maria.port}`, 'auth[username]': 'root', 'auth[password]': '', 'auth[db]': '' }) });
    assert.equal(login.status, 403, 'Adminer’s own login form is refused');
    const signedIn = await postTicket(await ticket());
    // the last session cookie set (the wrapper and Adminer each renew the session id on sign-in)
    const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]!).filter((c) => c.startsWith('adminer_sid=')).at(-1)!;
    assert.match(cookie, /^adminer_sid=/);
    const as = (query: string) => fetch(`${admin.url}?${query}`, { headers: { cookie } });
    const own = await as(`server=127.0.0.1:${maria.port}&username=${wp.user.name}`);
    assert.equal(own.status, 200);
    assert.match(await own.text(), /SQL command/, 'signed in: Adminer offers its SQL page');
    const otherPort = await freePort();
    for (const query of [
      `server=127.0.0.1:${otherPort}&username=${wp.user.name}`, `server=localhost&username=${wp.user.name}`,
      `server=127.0.0.1:${maria.port}&username=root`, `server=127.0.0.1:${maria.port}&username=${theirs.name}`,
    ]) {
      const r = await as(query);
      assert.equal(r.status, 403, query);
      const html = await r.text();
      assert.match(html, /Open the database admin from Abri/, query);
      assert.doesNotMatch(html, /SQL command/, `${query}: not signed in`);
    }
    for (const driver of ['sqlite', 'pgsql']) assert.equal((await as(`${driver}=127.0.0.1:${maria.port}&username=${wp.user.name}`)).status, 403, driver);
    const without = await fetch(`${admin.url}?server=127.0.0.1:${maria.port}&username=${wp.user.name}`);
    assert.equal(without.status, 403, 'no session, no sign-in');
  });
});
