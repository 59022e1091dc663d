// Integration (root, real services): the web database admin as the agent installs it and the edge
// routes it. The manager's local agent holds the edge, web and database roles; with only
// ABRI_DBADMIN_KEY (and the URL on the platform's name) set, it creates the pool's user, writes the
// wrapper and its key file, starts the admin's own PHP-FPM and Apache; HAProxy sends
// /dbadmin/ of the platform's name there. A real browser: the customer clicks "Open in Adminer" in
// the Databases tab and lands in Adminer, through the edge, signed in as the database user, seeing
// only its own databases. Refused: a replayed, forged or another customer's ticket, a ticket of a
// removed user, Adminer's own login form, another server, user or driver typed into its address,
// /dbadmin/ on a customer's site name. The key file is unreadable by the web server and hostings.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-dbadmin.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { createTestNode, requireNodeServices, until, type TestNode } from './helpers/node.js';
import { live } from './helpers/site-stack.js';
import { browserTest, launchBrowser, logIn, openPage, settled } from './helpers/browser.js';
import { missingMariadb, startMariadb, type TestMariadb } from './harness/mariadb.js';
import { freePort } from './harness/services.js';
import { run } from './harness/run.js';
import { ADMINER, DbadminDriver, dbadminNodeSpec } from '../src/databases/apply-dbadmin.js';
import { buildDesiredState } from '../src/agent/store.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { livePid } from '../src/platform/pid-file.js';
import { nodeLayout } from '../src/node/layout.js';
import { adminerPost, adminerGet, dbadminMissing, removeDbadminUser, USER, UID } from './helpers/dbadmin.js';

const missing = [...requireNodeServices('agent-dbadmin', test), ...missingMariadb(), ...dbadminMissing(), ...(browserTest().skip ? ['chromium'] : [])];
if (missing.length && process.env.CI === 'true') test('MariaDB, PHP-FPM, Apache, HAProxy, Adminer and Chromium are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-dbadmin.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

const KEY = 'dbadmin-test-key-'.padEnd(48, 'x');
const PLATFORM = 'panel.localhost'; // Chromium resolves *.localhost to the loopback by itself

describe('the web database admin, installed by the agent and routed by the edge', { skip: missing.length > 0 }, () => {
  let node: TestNode;
  let maria: TestMariadb;
  let m: TestManager;
  let browser: Browser;
  let owner: { token: string };
  let bravo: { token: string };
  let wp: { id: string; name: string; user: { id: string; name: string; password: string } };
  let theirs: { id: string; name: string; user: { id: string; name: string } };
  let siteDomain: string;
  let adminUrl: string;
  const ticketOf = async (userId: string, token: string) => m.api('POST', `/api/v1/database-users/${userId}/dbadmin-ticket`, undefined, { token });
  const post = (ticket: string, cookie?: string) => adminerPost(node.edgePort, PLATFORM, { ticket }, cookie);

  before(async () => {
    await removeDbadminUser();
    node = await createTestNode(66100, 100);
    maria = await startMariadb();
    adminUrl = `http://${PLATFORM}:${node.edgePort}/dbadmin/`;
    m = await startTestManager({ settings: {
      ...node.settings, ABRI_LOCAL_AGENT: '1', ABRI_RECONCILE_SECONDS: '1',
      ABRI_MARIADB_SOCKET: maria.socket, ABRI_DATABASE_PORT: String(maria.port), ABRI_DATABASE_MEASURE_SECONDS: '0',
      ABRI_DBADMIN_KEY: KEY, ABRI_DBADMIN_URL: adminUrl, ABRI_DBADMIN_LISTEN: `127.0.0.1:${await freePort()}`, ABRI_DBADMIN_USER: USER, ABRI_DBADMIN_UID: String(UID),
    } });
    const local = (await m.api('GET', '/api/v1/servers')).body.items[0];
    assert.equal((await m.api('PATCH', `/api/v1/servers/${local.id}`, { roles: ['edge', 'web', 'database'] })).status, 200);
    const a = await seedHosting(m, { customer: 'Alpha', offer: { maxDatabases: 3 } });
    const b = await seedHosting(m, { customer: 'Bravo', offer: { maxDatabases: 3 } });
    owner = await m.user('owner@alpha.test');
    bravo = await m.user('owner@bravo.test');
    assert.equal((await m.join(a.customer.id, 'owner@alpha.test', 'owner')).status, 201);
    assert.equal((await m.join(b.customer.id, 'owner@bravo.test', 'owner')).status, 201);
    siteDomain = 'alpha-shop.test';
    const site = await m.api('POST', `/api/v1/hostings/${a.hosting.id}/sites`, { domain: siteDomain }, { token: owner.token });
    assert.equal(site.status, 201, JSON.stringify(site.body));
    wp = (await m.api('POST', `/api/v1/hostings/${a.hosting.id}/databases`, { name: 'wp', user: true }, { token: owner.token })).body;
    theirs = (await m.api('POST', `/api/v1/hostings/${b.hosting.id}/databases`, { name: 'shop', user: true }, { token: bravo.token })).body;
    for (const p of [`/api/v1/sites/${site.body.id}`, `/api/v1/database-users/${wp.user.id}`, `/api/v1/database-users/${theirs.user.id}`]) await live(m, p);
    await until('the database admin served through the edge', async () => {
      const r = await adminerGet(node.edgePort, PLATFORM, '/dbadmin/').catch(() => null);
      return r?.status === 200 && r.body.includes('abri-login');
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await m?.close();
    await maria?.stop();
    await node?.cleanup();
    await removeDbadminUser();
  });

  test('the agent installed it: its own user, a key file only that user can read, the wrapper in front of Debian\'s Adminer', async () => {
    const spec = dbadminNodeSpec({ revision: 0, server: { id: '', name: '', roles: [] }, dbadmin: { path: '/dbadmin/', key: '' } }, m.manager.app.config.node, nodeLayout(node.root));
    const key = await stat(spec.configFile);
    assert.equal(key.mode & 0o777, 0o640);
    assert.equal(key.uid, 0);
    assert.equal(Number((await run('id', ['-g', USER])).stdout.trim()), key.gid);
    assert.equal(Number((await run('id', ['-u', USER])).stdout.trim()), UID);
    const hostingUser = (await m.api('GET', '/api/v1/hostings')).body.items[0].name;
    for (const who of ['www-data', hostingUser]) {
      const read = await run('runuser', ['-u', who, '--', 'cat', spec.configFile], { allowFailure: true });
      assert.notEqual(read.code, 0, `${who} cannot read the key`);
      assert.doesNotMatch(read.stdout, /dbadmin-test-key/);
    }
    // the request that saw it served started a worker of the pool (ondemand): it runs as the admin's user
    const master = (await run('cat', [spec.fpm.pidFile])).stdout.trim();
    const workers = (await run('ps', ['-o', 'user=', '--ppid', master], { allowFailure: true })).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    assert.ok(workers.length > 0 && workers.every((w) => w === USER || w === String(UID)), workers.join(','));
    assert.ok((await stat(ADMINER)).isFile());
  });

  test('“Open in Adminer” in the Databases tab: signed in through the edge, as the user, seeing only its databases', async () => {
    const { page } = await openPage(browser, { locale: 'en-GB' });
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${wp.user.name.split('_')[0]}/databases`);
    await settled(page);
    const [adminer] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: `Open ${wp.user.name} in Adminer` }).click()]);
    await adminer.waitForURL(/username=/);
    const url = new URL(adminer.url());
    assert.equal(url.origin, new URL(adminUrl).origin, 'on the platform\'s own name, through the edge');
    assert.deepEqual([url.searchParams.get('server'), url.searchParams.get('username')], [`127.0.0.1:${maria.port}`, wp.user.name]);
    await adminer.getByRole('link', { name: 'SQL command' }).first().waitFor();
    const html = await adminer.content();
    assert.ok(html.includes(wp.name), 'its own database is listed');
    assert.ok(!html.includes(theirs.name), 'another hosting\'s database is not');
    for (const secret of [wp.user.password]) assert.ok(!html.includes(secret) && !adminer.url().includes(secret), 'no password in the page or its address');
    await adminer.close();
  });

  test('a ticket opens once; a forged one, another customer\'s, or one of a removed user is refused', async () => {
    const t = (await ticketOf(wp.user.id, owner.token)).body.ticket as string;
    assert.equal((await post(t)).status, 302);
    const replay = await post(t);
    assert.equal(replay.status, 403);
    assert.match(replay.body, /expired or was already used/);
    const [u, exp, n, sig] = ((await ticketOf(wp.user.id, owner.token)).body.ticket as string).split('.');
    for (const forged of [[u, String(Number(exp) + 600_000), n, sig], [u, exp, n, `${sig!.slice(0, -2)}AA`], ['not', 'a', 'ticket']]) {
      assert.equal((await post(forged.join('.'))).status, 403, forged.join('.'));
    }
    assert.equal((await ticketOf(wp.user.id, bravo.token)).status, 404, 'Bravo gets no ticket for Alpha\'s user');
    // Bravo's own ticket signs Bravo's user in, and only it
    const signed = await post((await ticketOf(theirs.user.id, bravo.token)).body.ticket);
    const cookie = sessionCookie(signed.headers['set-cookie']);
    assert.equal((await adminerGet(node.edgePort, PLATFORM, `/dbadmin/?server=127.0.0.1:${maria.port}&username=${theirs.user.name}`, cookie)).status, 200);
    assert.equal((await adminerGet(node.edgePort, PLATFORM, `/dbadmin/?server=127.0.0.1:${maria.port}&username=${wp.user.name}`, cookie)).status, 403, 'not Alpha\'s user');
    // a ticket issued, then its user removed: refused
    const hostingId = (await m.api('GET', `/api/v1/databases/${wp.id}`)).body.hostingId;
    const extra = await m.api('POST', `/api/v1/hostings/${hostingId}/database-users`, { name: 'gone', databases: [wp.name] }, { token: owner.token });
    assert.equal(extra.status, 201, JSON.stringify(extra.body));
    await live(m, `/api/v1/database-users/${extra.body.id}`);
    const late = (await ticketOf(extra.body.id, owner.token)).body.ticket as string;
    assert.equal((await m.api('DELETE', `/api/v1/database-users/${extra.body.id}`, undefined, { token: owner.token })).status, 204);
    assert.equal((await post(late)).status, 403, 'the user is gone');
  });

  test('Adminer opens nothing else; /dbadmin/ of a customer\'s site name is not the admin', async () => {
    const login = await adminerPost(node.edgePort, PLATFORM, { 'auth[driver]': 'server', 'auth[server]': `127.0.0.1:${maria.port}`, 'auth[username]': 'root', 'auth[password]': '', 'auth[db]': '' });
    assert.equal(login.status, 403, 'Adminer’s own login form is refused');
    const cookie = sessionCookie((await post((await ticketOf(wp.user.id, owner.token)).body.ticket)).headers['set-cookie']);
    const as = (query: string) => adminerGet(node.edgePort, PLATFORM, `/dbadmin/?${query}`, cookie);
    const own = await as(`server=127.0.0.1:${maria.port}&username=${wp.user.name}`);
    assert.equal(own.status, 200);
    assert.match(own.body, /SQL command/);
    for (const query of [`server=localhost&username=${wp.user.name}`, `server=127.0.0.1:${maria.port}&username=root`, `sqlite=127.0.0.1:${maria.port}&username=${wp.user.name}`]) {
      const r = await as(query);
      assert.equal(r.status, 403, query);
      assert.doesNotMatch(r.body, /SQL command/, query);
    }
    const onSite = await adminerGet(node.edgePort, siteDomain, `/dbadmin/?server=127.0.0.1:${maria.port}&username=${wp.user.name}`, cookie);
    assert.doesNotMatch(onSite.body, /Adminer|SQL command/, 'a site\'s name never reaches the admin');
  });

  test('a configuration PHP-FPM refuses is put back and the admin keeps serving; not asked for, it stops and its files go', async () => {
    await m.manager.agent?.stop(); // from here on this test applies by hand
    m.manager.agent = null;
    const config = m.manager.app.config;
    const layout = nodeLayout(node.root);
    const serverId = (await m.api('GET', '/api/v1/servers')).body.items[0].id;
    const state = await buildDesiredState(m.manager.app.db, config, serverId);
    const driver = (settings: typeof config.node) => new DbadminDriver(new LocalExecutor(), settings, layout, m.url, pino({ level: 'silent' }));
    const spec = dbadminNodeSpec(state, config.node, layout);
    const fpmConf = path.join(spec.fpm.configDir, 'php-fpm.conf');
    const before = await readFile(fpmConf, 'utf8');
    const served = async () => {
      const r = await adminerGet(node.edgePort, PLATFORM, '/dbadmin/').catch(() => null);
      return r?.status === 200 && r.body.includes('abri-login');
    };
    // the pool's socket for a web server user that does not exist: php-fpm -t refuses it
    const bad = await driver({ ...config.node, web: { ...config.node.web, user: 'abri-no-such-user' } }).reconcile(state);
    assert.match(bad.error ?? '', /^the database admin: .*php-fpm.* -t .*cannot get uid for user 'abri-no-such-user'/s);
    assert.equal(await readFile(fpmConf, 'utf8'), before, 'the previous configuration is back');
    assert.ok(await served(), 'and keeps serving');
    // the platform without a database admin: both services stop, every file of it goes
    const good = driver(config.node);
    const { dbadmin: _, ...without } = state;
    assert.deepEqual(await good.reconcile(without), { objects: [] });
    for (const gone of [spec.configFile, spec.sessionDir, spec.apache.configDir, spec.fpm.configDir, spec.wrapper]) assert.ok(!existsSync(gone), gone);
    assert.equal(await livePid(spec.fpm.pidFile), null);
    assert.equal(await livePid(path.join(spec.apache.runDir, 'apache2.pid')), null);
    assert.ok(!(await served()));
    // asked for again: installed and served again
    assert.deepEqual(await good.reconcile(state), { objects: [] });
    await until('served again', served);
  });
});

function sessionCookie(setCookie: string[] | undefined): string {
  const c = (setCookie ?? []).map((x) => x.split(';')[0]!).filter((x) => x.startsWith('adminer_sid=')).at(-1);
  assert.ok(c, 'a session cookie');
  return c;
}
