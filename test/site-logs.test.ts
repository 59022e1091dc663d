// Integration: a site's logs, read on its web server by the agent (a `site-logs` query over the agent
// protocol) and shown through the API: `abri serve` with its local agent applying for real (Apache,
// PHP-FPM, HAProxy on loopback). Requests through the edge make lines; the API returns them filtered;
// another customer gets 404; a symbolic link planted in var/log is not followed; rotation keeps
// serving, and new lines go to the new file. Uids 66000–66009.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chown, lstat, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import pino from 'pino';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { createTestNode, requireNodeServices, until, type TestNode } from './helpers/node.js';
import { live } from './helpers/site-stack.js';
import { httpGet } from './harness/http.js';
import { abri, oneLineError } from './helpers/cli.js';
import { buildDesiredState } from '../src/agent/store.js';
import { LogRotationDriver } from '../src/hosting/apply-log-rotation.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { nodeLayout } from '../src/node/layout.js';

const missing = requireNodeServices('test/site-logs.test.ts', test);
const DOMAIN = 'journal.example.org';

describe('site logs through the agent', { skip: missing.length > 0 }, () => {
  let node: TestNode;
  let m: TestManager;
  let hosting: { id: string; name: string; uid: number; home: string };
  let siteId: string;
  let owner: TestManager['api'];
  const edge = (p: string) => httpGet(node.edgePort, DOMAIN, p);
  const logs = (query: string, api: TestManager['api'] = owner) => api('GET', `/api/v1/sites/${siteId}/logs?${query}`);
  const logDir = () => path.join(hosting.home, 'var/log');
  /**
   * Requests `page` until its line is in `file`. After a graceful restart, an Apache child that was
   * holding a connection the edge keeps alive serves one more request on it before it leaves, and
   * logs it into the file it had open (the rotated one): the next requests reach the new children.
   */
  const loggedIn = (file: string, page: string) =>
    until(`${page} in ${path.basename(file)}`, async () => {
      assert.equal((await edge(`/?page=${page}`)).status, 200);
      return existsSync(file) && (await readFile(file, 'utf8')).includes(`page=${page}`);
    });

  before(async () => {
    node = await createTestNode(66_000, 10);
    m = await startTestManager({ settings: { ...node.settings, ABRI_LOCAL_AGENT: '1' } });
    const seeded = await seedHosting(m, { customer: 'Gazette' });
    const user = await m.user('owner@gazette.test');
    assert.equal((await m.join(seeded.customer.id, 'owner@gazette.test', 'owner')).status, 201);
    owner = (method, p, body, o = {}) => m.api(method, p, body, { token: user.token, ...o });
    hosting = seeded.hosting;
    siteId = (await owner('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: DOMAIN, aliases: [] })).body.id;
    await live(m, `/api/v1/sites/${siteId}`);
    const docroot = path.join(hosting.home, 'var/www', DOMAIN);
    await writeFile(path.join(docroot, 'index.php'), '<?php if (isset($_GET["warn"])) trigger_error("gazette-warning-" . $_GET["warn"], E_USER_WARNING); echo "ok\\n";', { mode: 0o644 });
    await chown(path.join(docroot, 'index.php'), hosting.uid, hosting.uid);
  });
  after(async () => {
    await m?.close();
    await node?.cleanup();
  });

  test('requests make lines; the API returns the last ones, filtered, with control characters escaped', async () => {
    for (const p of ['/?page=alpha', '/?page=beta', '/missing-page-gamma', '/?page=%1b%5b31mred']) await edge(p);
    const all = await until('access lines', async () => {
      const r = await logs('kind=access&lines=50');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.lines.length >= 4 && r.body;
    });
    assert.equal(all.file, `var/log/${DOMAIN}-access.log`);
    assert.equal(all.exists, true);
    assert.equal(all.complete, true);
    assert.match(all.lines.join('\n'), /GET \/\?page=alpha HTTP/);
    const missingOnly = (await logs('kind=access&q=%22%20404%20')).body;
    assert.deepEqual(missingOnly.lines.map((l: string) => /GET (\S+)/.exec(l)?.[1]), ['/missing-page-gamma']);
    const last = (await logs('kind=access&lines=1')).body.lines;
    assert.equal(last.length, 1);
    assert.match(last[0], /page=%1b%5b31mred/); // Apache escapes it already; our own escaping is checked below
    // a raw escape sequence in the file comes out as text
    await writeFile(path.join(logDir(), `${DOMAIN}-error.log`), 'plain line\n\u001b[31mgazette-red\u0007 line\n', { flag: 'a' });
    const err = (await logs('kind=error&q=gazette-red')).body;
    assert.deepEqual(err.lines, ['\\x1b[31mgazette-red\\x07 line']);
  });

  test('the PHP error log of the hosting shows PHP\'s warnings', async () => {
    await edge('/?warn=one');
    const php = await until('php line', async () => {
      const r = await logs('kind=php&q=gazette-warning-one');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.lines.length === 1 && r.body;
    });
    assert.equal(php.file, 'var/log/php/error.log');
    assert.match(php.lines[0], /PHP Warning: +gazette-warning-one/);
  });

  test('another customer gets 404; staff see the logs; bad parameters are refused', async () => {
    const other = await seedHosting(m, { customer: 'Rival' });
    const stranger = await m.user('owner@rival.test');
    assert.equal((await m.join(other.customer.id, 'owner@rival.test', 'owner')).status, 201);
    const r = await m.api('GET', `/api/v1/sites/${siteId}/logs?kind=access`, undefined, { token: stranger.token });
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 'site.not_found');
    assert.equal((await m.api('GET', `/api/v1/sites/${DOMAIN}/logs?kind=error`)).status, 200); // the admin, by domain
    assert.equal((await logs('kind=secrets')).status, 400);
    assert.equal((await logs('lines=100000')).status, 400);
  });

  test('abri site logs prints the lines; a refused option exits 2', async () => {
    const env = { ABRI_API_URL: m.url, ABRI_TOKEN: m.adminToken };
    const r = await abri(['site', 'logs', DOMAIN, '--kind', 'access', '--grep', 'missing-page-gamma', '--lines', '5'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 1);
    assert.match(r.stdout, /GET \/missing-page-gamma HTTP/);
    assert.match(r.stderr, new RegExp(`var/log/${DOMAIN}-access\\.log: 1 line`));
    const bad = await abri(['site', 'logs', DOMAIN, '--kind', 'secrets'], env);
    assert.equal(bad.code, 2);
    assert.match(oneLineError(await abri(['site', 'logs', DOMAIN, '--lines', '5000'], env)), /1000/);
  });

  test('a symbolic link planted in var/log is not followed', async () => {
    const file = path.join(logDir(), `${DOMAIN}-error.log`);
    await rename(file, `${file}.saved`);
    await symlink('/etc/shadow', file);
    try {
      const r = await logs('kind=error');
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.equal(r.body.code, 'site.log_unsafe');
      assert.doesNotMatch(JSON.stringify(r.body), /root:/);
    } finally {
      await rm(file);
      await rename(`${file}.saved`, file);
    }
    // the hosting's own var/log/php: a link it planted to another file is refused the same way
    const php = path.join(logDir(), 'php/error.log');
    await rename(php, `${php}.saved`);
    await symlink('/etc/passwd', php);
    try {
      assert.equal((await logs('kind=php')).body.code, 'site.log_unsafe');
    } finally {
      await rm(php);
      await rename(`${php}.saved`, php);
    }
  });

  test('rotation: one graceful restart, the site keeps serving, new lines go to the new file; planted links are neither followed nor moved', async () => {
    const app = m.manager.app;
    const server = await app.db.selectFrom('servers').select('id').where('local', '=', true).executeTakeFirstOrThrow();
    const state = await buildDesiredState(app.db, app.config, server.id);
    const rotation = new LogRotationDriver(new LocalExecutor(), { ...app.config.node, logs: { rotateBytes: 1, keep: 3, checkSeconds: 0 } }, nodeLayout(node.root), pino({ level: 'silent' }));
    const access = path.join(logDir(), `${DOMAIN}-access.log`);
    const phpLog = path.join(logDir(), 'php/error.log');
    // other test files add and remove Unix accounts meanwhile (the shadow tools replace these files):
    // what the links must not reach is checked as a regular file whose first line (root's) is the
    // same and into which no gzip data was written
    const intact = async (file: string) => {
      const [stat, text] = [await lstat(file), await readFile(file)];
      return { file: stat.isFile(), root: text.toString('latin1').split('\n')[0], gzip: text.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b])) };
    };
    const [shadow, passwd] = [await intact('/etc/shadow'), await intact('/etc/passwd')];
    // the hosting plants a link as its PHP log's rotated file: dropped, never read nor compressed
    await symlink('/etc/passwd', `${phpLog}.1`);
    await edge('/?page=before-rotation');
    await edge('/?warn=zero');
    await until('lines to rotate', async () => (await readFile(access, 'utf8')).includes('before-rotation') && existsSync(phpLog));
    const before = await readFile(access, 'utf8');
    assert.deepEqual((await rotation.reconcile(state)).error, undefined);
    assert.equal(await readFile(`${access}.1`, 'utf8'), before);
    assert.equal((await lstat(`${phpLog}.1`)).isFile(), true); // its own log, moved over the dropped link
    await loggedIn(access, 'after-rotation');
    assert.equal((await edge('/')).status, 200);
    const r = (await logs('kind=access')).body;
    assert.match(r.lines.join('\n'), /after-rotation/);
    assert.doesNotMatch(r.lines.join('\n'), /page=alpha/);
    // PHP opens its log at each message: the new one is made by PHP, as the hosting
    await edge('/?warn=two');
    await until('new PHP log', async () => existsSync(phpLog) && (await readFile(phpLog, 'utf8')).includes('gazette-warning-two'));
    assert.equal((await lstat(phpLog)).uid, hosting.uid);
    // second pass: .1 → .2.gz, written to a new file whatever links lie where it goes
    const rotated = await readFile(`${access}.1`, 'utf8');
    assert.ok(rotated.startsWith(before), 'the rotated file holds the lines from before (and at most kept-alive children\'s last ones)');
    await symlink('/etc/shadow', `${access}.2.gz.tmp`);
    await symlink('/etc/shadow', `${access}.2.gz`);
    assert.deepEqual((await rotation.reconcile(state)).error, undefined);
    assert.equal((await lstat(`${access}.2.gz`)).isFile(), true);
    assert.equal(gunzipSync(await readFile(`${access}.2.gz`)).toString(), rotated);
    assert.equal((await lstat(`${access}.3.gz`)).isSymbolicLink(), true); // the planted link, moved along, never opened
    assert.equal(existsSync(`${access}.2.gz.tmp`), false);
    assert.deepEqual(await intact('/etc/shadow'), shadow);
    assert.deepEqual(await intact('/etc/passwd'), passwd);
    assert.equal((await edge('/')).status, 200);
  });

  test('rotation never signals an Apache whose configuration would not load: it serves on, and reopens once the configuration is fixed', async () => {
    await m.manager.agent!.stop(); // no drift repair behind the test's back
    const app = m.manager.app;
    const server = await app.db.selectFrom('servers').select('id').where('local', '=', true).executeTakeFirstOrThrow();
    const state = await buildDesiredState(app.db, app.config, server.id);
    const rotation = new LogRotationDriver(new LocalExecutor(), { ...app.config.node, logs: { rotateBytes: 1, keep: 3, checkSeconds: 0 } }, nodeLayout(node.root), pino({ level: 'silent' }));
    const conf = path.join(node.root, 'etc/apache2/abri/apache2.conf');
    const good = await readFile(conf, 'utf8');
    const access = path.join(logDir(), `${DOMAIN}-access.log`);
    await edge('/?page=before-broken');
    await until('a line to rotate', async () => existsSync(access) && (await readFile(access, 'utf8')).includes('before-broken'));
    await writeFile(conf, `${good}\nThisIsNotADirective on\n`);
    try {
      assert.match((await rotation.reconcile(state)).error ?? '', /Apache was not restarted/);
      assert.equal((await edge('/?page=while-broken')).status, 200);
      await until('the line in the renamed file', async () => (await readFile(`${access}.1`, 'utf8')).includes('while-broken'));
      // still broken: nothing more is rotated (the .1 Apache writes into is not compressed)
      assert.match((await rotation.reconcile(state)).error ?? '', /Apache was not restarted/);
      assert.equal(existsSync(`${access}.2.gz`) && gunzipSync(await readFile(`${access}.2.gz`)).toString().includes('while-broken'), false);
    } finally {
      await writeFile(conf, good);
    }
    assert.equal((await rotation.reconcile(state)).error, undefined);
    await loggedIn(access, 'after-fixed');
    assert.equal((await edge('/')).status, 200);
  });
});
