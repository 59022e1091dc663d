// Integration (root, a real MariaDB started by test/harness/mariadb.ts, the agent of a server with
// the database role over the agent protocol): databases and users made through the API exist in
// MariaDB and work with the password shown once; another hosting's user reaches none of them, even
// where an unescaped GRANT pattern would match (hostings abd1000 and abd10000); a reset password
// replaces the old one; removal drops; a database Abri did not create is refused and left alone,
// without blocking the others; past databaseMb writes stop, and come back under 90 %.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-databases.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { sql } from 'kysely';
import pino from 'pino';
import type { Connection } from 'mariadb';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { missingMariadb, startMariadb, type TestMariadb } from './harness/mariadb.js';
import { loadConfig } from '../src/platform/config.js';
import { createNodeAgent } from '../src/agent/node.js';
import { HttpManagerLink } from '../src/agent/client.js';
import type { Agent } from '../src/agent/loop.js';

const missing = missingMariadb();
if (missing.length && process.env.CI === 'true') test('MariaDB is installed and runs (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-databases.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

interface Db { id: string; name: string; host: string; port: number; user?: { id: string; name: string; password: string } }

describe('databases on a real MariaDB, applied by the database server\'s agent', { skip: missing.length > 0 }, () => {
  let maria: TestMariadb;
  let m: TestManager;
  let agent: Agent;
  let nodeRoot: string;
  const hostings: Record<string, { id: string; name: string }> = {};
  const open: Connection[] = [];
  /** sessions the agent ended (it does when a user loses privileges, its password or itself): expected, kept to check */
  const ended: Error[] = [];
  const keep = (c: Connection) => {
    c.on('error', (e: Error) => {
      if (!/socket has unexpectedly been closed|Connection killed/i.test(e.message)) throw e;
      ended.push(e);
    });
    open.push(c);
    return c;
  };
  const as = async (d: Db, password = d.user!.password, database?: string) => {
    return keep(await maria.connectAs(d.user!.name, password, database));
  };
  const rootQuery = async <T = unknown>(q: string, values?: unknown[]) => {
    const c = await maria.root();
    try {
      return (await c.query(q, values)) as T;
    } finally {
      await c.end();
    }
  };
  const state = async (path: string) => (await m.api('GET', path)).body.provisioning;
  const live = (path: string) => until(`${path} live`, async () => {
    const p = await state(path);
    if (p.status === 'error') throw new Error(`${p.code}: ${p.message}`);
    return p.status === 'live';
  });
  const create = async (hosting: string, name: string, user = true): Promise<Db> => {
    const r = await m.api('POST', `/api/v1/hostings/${hostings[hosting]!.id}/databases`, { name, user });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const schemas = async () => (await rootQuery<Array<{ n: string }>>('SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA')).map((r) => r.n);

  before(async () => {
    maria = await startMariadb();
    m = await startTestManager({ settings: { ABRI_HOSTING_PREFIX: 'abd', ABRI_UID_MIN: '1000', ABRI_UID_MAX: '20000', ABRI_DATABASE_PORT: String(maria.port) } });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'db-test', roles: ['database'], addresses: ['127.0.0.1'] })).body;
    hostings.a = (await seedHosting(m, { customer: 'Alpha', offer: { maxDatabases: 5, databaseMb: 1 } })).hosting;
    // the next hosting is abd10000: abd1000 is a prefix of its name (the GRANT wildcard trap)
    await sql`SELECT setval('hosting_uids', 9999)`.execute(m.manager.app.db);
    hostings.b = (await seedHosting(m, { customer: 'Bravo', offer: { maxDatabases: 5 } })).hosting;
    assert.deepEqual([hostings.a.name, hostings.b.name], ['abd1000', 'abd10000']);
    nodeRoot = await mkdtemp('/tmp/abri-dbnode-');
    const config = loadConfig({}, {
      ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: nodeRoot, ABRI_RECONCILE_SECONDS: '1',
      ABRI_MARIADB_SOCKET: maria.socket, ABRI_DATABASE_MEASURE_SECONDS: '0',
    });
    agent = createNodeAgent({ config, link: new HttpManagerLink(m.url, server.agentToken), log: pino({ level: 'silent' }), manager: { address: '127.0.0.1', port: 1 } }).start();
  });

  after(async () => {
    for (const c of open) await c.end().catch((e: unknown) => console.error(e));
    await agent?.stop();
    await m?.close();
    await maria?.stop();
    if (nodeRoot) await rm(nodeRoot, { recursive: true, force: true });
  });

  test('a database and its user made through the API: PHP connects with the shown host, port and password', async () => {
    const wp = await create('a', 'wp');
    await live(`/api/v1/databases/${wp.id}`);
    await live(`/api/v1/database-users/${wp.user!.id}`);
    assert.deepEqual([wp.host, wp.port], ['127.0.0.1', maria.port]);
    const c = await as(wp, wp.user!.password, wp.name);
    await c.query('CREATE TABLE posts (id INT PRIMARY KEY AUTO_INCREMENT, title TEXT)');
    await c.query('INSERT INTO posts (title) VALUES (?)', ['hello']);
    assert.deepEqual(await c.query('SELECT title FROM posts'), [{ title: 'hello' }]);
    const grants = (await c.query<Array<Record<string, string>>>('SHOW GRANTS')).map((g) => Object.values(g)[0]);
    assert.ok(grants.some((g) => g.includes('ON `abd1000\\_wp`.*')), `escaped pattern: ${grants.join(' | ')}`);
    assert.ok(!grants.some((g) => /ALL PRIVILEGES|GRANT OPTION|ON \*\.\* .*(SELECT|FILE|PROCESS|SUPER)/.test(g)), grants.join(' | '));
  });

  test('another hosting\'s user reaches none of it, even where an unescaped pattern would match (abd1000__x vs abd10000_x)', async () => {
    const victim = await create('b', 'x');
    const trap = await create('a', '_x'); // abd1000__x: unescaped, its pattern would match abd10000_x
    assert.equal(trap.name, 'abd1000__x');
    await live(`/api/v1/databases/${victim.id}`);
    await live(`/api/v1/database-users/${trap.user!.id}`);
    const owner = await as(victim, victim.user!.password, victim.name);
    await owner.query('CREATE TABLE secrets (s TEXT)');
    await owner.query("INSERT INTO secrets VALUES ('bravo secret')");
    const attacker = await as(trap);
    const visible = (await attacker.query<Array<{ Database: string }>>('SHOW DATABASES')).map((r) => r.Database);
    assert.deepEqual(visible.filter((n) => n !== 'information_schema').sort(), ['abd1000__x'], `sees only its own: ${visible.join(', ')}`);
    for (const q of ['USE abd10000_x', 'SELECT * FROM abd10000_x.secrets', 'DROP TABLE abd10000_x.secrets', 'CREATE TABLE abd10000_x.t (a INT)',
      'SELECT * FROM abd1000_wp.posts', 'SELECT * FROM mysql.user', 'SELECT * FROM abri.managed', 'CREATE DATABASE abd1000_new', "GRANT SELECT ON `abd1000\\_\\_x`.* TO 'abd10000_x'@'%'"]) {
      await assert.rejects(attacker.query(q), /denied|Access/i, q);
    }
    // nor the other way round
    const bravo = await as(victim);
    await assert.rejects(bravo.query('SELECT * FROM abd1000__x.t'), /denied/i);
    await assert.rejects(as(victim, 'not the password'), /Access denied/);
    assert.deepEqual(await owner.query('SELECT s FROM secrets'), [{ s: 'bravo secret' }], 'untouched');
  });

  test('a new password replaces the old one; removal drops the user, then the database', async () => {
    const list = (await m.api('GET', `/api/v1/hostings/${hostings.a!.id}/databases`)).body.items as Db[];
    const wp = list.find((d) => d.name === 'abd1000_wp')!;
    const user = (await m.api('GET', '/api/v1/database-users/abd1000_wp')).body;
    const old = (await m.api('POST', `/api/v1/database-users/${user.id}/password`)).body;
    const reset = (await m.api('POST', `/api/v1/database-users/${user.id}/password`)).body;
    await live(`/api/v1/database-users/${user.id}`);
    const withUser = { ...wp, user: { ...user, password: reset.password } };
    assert.deepEqual(await (await as(withUser, reset.password, wp.name)).query('SELECT title FROM posts'), [{ title: 'hello' }]);
    await assert.rejects(as(withUser, old.password), /Access denied/, 'the previous password stops working');
    assert.equal((await m.api('DELETE', `/api/v1/database-users/${user.id}`)).status, 204);
    await until('user dropped', async () => !(await rootQuery<unknown[]>("SELECT 1 FROM mysql.global_priv WHERE User = 'abd1000_wp'")).length);
    await assert.rejects(as(withUser, reset.password), /Access denied/);
    assert.equal((await m.api('DELETE', `/api/v1/databases/${wp.id}`)).status, 204);
    await until('database dropped', async () => !(await schemas()).includes('abd1000_wp'));
  });

  test('a database Abri did not create is refused and left alone; the others of the same change still go live', async () => {
    await rootQuery('CREATE DATABASE abd1000_foreign');
    await rootQuery('CREATE TABLE abd1000_foreign.keep (a INT)');
    await rootQuery('CREATE DATABASE somebody_else');
    await rootQuery("CREATE USER 'abd1000_foreign'@'%' IDENTIFIED BY 'theirs'");
    const foreign = await create('a', 'foreign');
    const fine = await create('b', 'fine', false);
    await until('foreign refused', async () => (await state(`/api/v1/databases/${foreign.id}`)).code === 'database.not_ours');
    const userState = await state(`/api/v1/database-users/${foreign.user!.id}`);
    assert.equal(userState.code, 'database.not_ours');
    await live(`/api/v1/databases/${fine.id}`);
    assert.ok((await schemas()).includes('somebody_else'));
    assert.deepEqual(await rootQuery('SELECT COUNT(*) AS n FROM abd1000_foreign.keep'), [{ n: 0n }]);
    const theirs = keep(await maria.connectAs('abd1000_foreign', 'theirs'));
    await assert.rejects(theirs.query('SELECT 1 FROM abd1000_foreign.keep'), /denied/, 'no privilege was granted on it');
    // removing it through the API leaves it on the server: it was never Abri's
    assert.equal((await m.api('DELETE', `/api/v1/databases/${foreign.id}`)).status, 204);
    assert.equal((await m.api('DELETE', `/api/v1/database-users/${foreign.user!.id}`)).status, 204);
    await live(`/api/v1/databases/${fine.id}`);
    assert.ok((await schemas()).includes('abd1000_foreign'));
    assert.equal((await rootQuery<unknown[]>("SELECT 1 FROM mysql.global_priv WHERE User = 'abd1000_foreign'")).length, 1);
  });

  test('past databaseMb the hosting\'s databases refuse writes (reads and DELETE work); under 90 % writes come back', async () => {
    const trap = (await m.api('GET', '/api/v1/databases/abd1000__x')).body;
    const user = (await m.api('GET', '/api/v1/database-users/abd1000__x')).body;
    const password = (await m.api('POST', `/api/v1/database-users/${user.id}/password`)).body.password;
    await live(`/api/v1/database-users/${user.id}`);
    const d = { ...trap, user: { ...user, password } };
    const c = await as(d, password, d.name);
    await c.query('CREATE TABLE big (b LONGBLOB)');
    for (let i = 0; i < 4; i++) await c.query('INSERT INTO big VALUES (REPEAT(?, 512 * 1024))', ['x']); // 2 MB, the quota is 1 MB
    const refused = await until('writes refused', async () => {
      const r = (await m.api('GET', `/api/v1/databases/${d.id}`)).body;
      return r.readOnly && (await state(`/api/v1/databases/${d.id}`)).status === 'live' ? r : undefined;
    });
    assert.equal(refused.readOnly.code, 'quota.database_space_exceeded');
    assert.ok(refused.sizeBytes > 1024 * 1024);
    assert.equal(c.isValid(), false, 'the agent ended the session that had write privileges');
    const after = await as(d, password, d.name);
    await assert.rejects(after.query("INSERT INTO big VALUES ('y')"), /INSERT command denied/);
    await assert.rejects(after.query('CREATE TABLE more (a INT)'), /CREATE command denied/);
    assert.equal((await after.query<Array<{ n: bigint }>>('SELECT COUNT(*) AS n FROM big'))[0]!.n, 4n);
    await after.query('DROP TABLE big');
    await until('writes back', async () => (await m.api('GET', `/api/v1/databases/${d.id}`)).body.readOnly === null && (await state(`/api/v1/databases/${d.id}`)).status === 'live');
    const again = await as(d, password, d.name);
    await again.query('CREATE TABLE small (a INT)');
    await again.query('INSERT INTO small VALUES (1)');
  });

  test('a terminated hosting\'s users are locked out, its databases kept; its purge drops them', async () => {
    const user = (await m.api('GET', '/api/v1/database-users/abd10000_x')).body;
    const password = (await m.api('POST', `/api/v1/database-users/${user.id}/password`)).body.password;
    await live(`/api/v1/database-users/${user.id}`);
    const d = { ...(await m.api('GET', '/api/v1/databases/abd10000_x')).body, user: { ...user, password } };
    const session = await as(d, password, d.name);
    assert.equal((await m.api('DELETE', `/api/v1/hostings/${hostings.b!.id}`)).status, 200);
    await until('locked', async () => (await rootQuery<unknown[]>("SELECT 1 FROM mysql.global_priv WHERE User = 'abd10000_x' AND JSON_VALUE(Priv, '$.account_locked') = 1")).length === 1);
    await assert.rejects(as(d, password), /locked|Access denied/);
    await until('its open session ended', async () => !session.isValid());
    assert.ok((await schemas()).includes('abd10000_x'), 'the data is kept until the purge');
    assert.equal((await m.api('POST', `/api/v1/hostings/${hostings.b!.id}/purge`, { force: true })).status, 200);
    await until('databases dropped', async () => !(await schemas()).some((n) => n.startsWith('abd10000_')));
    assert.equal((await rootQuery<unknown[]>("SELECT 1 FROM mysql.global_priv WHERE User LIKE 'abd10000\\_%'")).length, 0);
    assert.ok((await schemas()).includes('abd1000__x'), 'the other hosting\'s databases stay');
  });
});
