// Integration: a web node running several Apache instances (ABRI_APACHE_INSTANCES). A hosting's
// sites go to instance uid mod N, the edge sends each host to its instance's port, and a change
// reloads only the instance that holds the site. Going back to fewer instances stops the others.
// PHP-FPM likewise runs one master per block of uids (here one per hosting): a pool's change
// reloads only its master.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { offerBody, startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { createTestNode, requireNodeServices, until, type TestNode } from './helpers/node.js';
import { httpGet } from './harness/http.js';
import { loadConfig } from '../src/platform/config.js';
import { createNodeAgent } from '../src/agent/node.js';
import { LocalManagerLink } from '../src/agent/client.js';
import { buildDesiredState } from '../src/agent/store.js';
import { livePid } from '../src/platform/pid-file.js';

const missing = requireNodeServices('test/agent-apache-instances.test.ts', test);

interface Hosting { id: string; name: string; uid: number; home: string }

describe('a web node with two Apache instances', { skip: missing.length > 0 }, () => {
  let node: TestNode;
  let m: TestManager;
  const hostings: Hosting[] = [];
  const edge = (host: string, p = '/') => httpGet(node.edgePort, host, p);
  const instanceDir = (k: number) => path.join(node.root, k ? `etc/apache2/abri-${k}` : 'etc/apache2/abri');
  const pidOf = (k: number) => livePid(path.join(node.root, k ? `run/abri/apache2-${k}` : 'run/abri/apache2', 'apache2.pid'));
  const reloadsOf = async (k: number) =>
    (await readFile(path.join(node.root, k ? `var/log/apache2/abri-${k}` : 'var/log/apache2/abri', 'error.log'), 'utf8').catch(() => '')).split('resuming normal operations').length - 1;

  async function put(h: Hosting, rel: string, content: string) {
    const file = path.join(h.home, 'var/www', rel);
    await mkdir(path.dirname(file), { recursive: true });
    await chown(path.dirname(file), h.uid, h.uid);
    await writeFile(file, content, { mode: 0o644 });
    await chown(file, h.uid, h.uid);
  }

  before(async () => {
    node = await createTestNode(194_600, 10, 2);
    m = await startTestManager({ settings: { ...node.settings, ABRI_LOCAL_AGENT: '1', ABRI_FPM_POOLS_PER_MASTER: '1' } });
    for (const name of ['Instances A', 'Instances B']) hostings.push((await seedHosting(m, { customer: name })).hosting);
  });
  after(async () => {
    await m?.close();
    await node?.cleanup();
  });

  test('each hosting\'s sites are served by its own instance, through the edge', async () => {
    assert.deepEqual(hostings.map((h) => h.uid % 2), [0, 1], 'consecutive uids: one hosting per instance');
    const domains = ['one.instances-a.org', 'two.instances-b.org'];
    const siteIds: string[] = [];
    for (const [i, h] of hostings.entries()) {
      const r = await m.api('POST', `/api/v1/hostings/${h.id}/sites`, { domain: domains[i] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      siteIds.push(r.body.id);
    }
    // the agent creates the homes: files go in once it did (a home it did not create, it never adopts)
    for (const id of siteIds) await until('site live', async () => (await m.api('GET', `/api/v1/sites/${id}`)).body.provisioning.status === 'live');
    for (const [i, h] of hostings.entries()) await put(h, `${domains[i]}/index.php`, '<?php echo "uid=", posix_getuid();');
    for (const [i, h] of hostings.entries()) {
      const body = await until(`${domains[i]} served`, async () => {
        const r = await edge(domains[i]);
        return r.status === 200 && r.body;
      });
      assert.equal(body, `uid=${h.uid}`);
      // instance uid mod 2 answers on the web port + instance; the other instance does not know the site
      assert.equal((await httpGet(node.webPort + i, domains[i], '/')).body, `uid=${h.uid}`);
      assert.notEqual((await httpGet(node.webPort + 1 - i, domains[i], '/')).body, `uid=${h.uid}`);
    }
    const vhosts = async (k: number) => (await readdir(path.join(instanceDir(k), 'sites'))).filter((f) => f !== '000-default.conf');
    assert.deepEqual(await vhosts(0), [`${hostings[0].name}_${domains[0]}.conf`]);
    assert.deepEqual(await vhosts(1), [`${hostings[1].name}_${domains[1]}.conf`]);
    const servers = (await m.api('GET', '/api/v1/servers')).body.items;
    assert.equal(servers[0].lastError, null);
  });

  test('a change reloads only the instance that holds the site', async () => {
    const [a] = hostings;
    const quiet = { pid: await pidOf(1), reloads: await reloadsOf(1) };
    const before0 = await reloadsOf(0);
    await put(a, 'v2/index.html', 'version 2');
    const site = (await m.api('GET', '/api/v1/sites/one.instances-a.org')).body;
    assert.equal((await m.api('PATCH', `/api/v1/sites/${site.id}`, { documentRoot: 'v2' })).status, 200);
    await until('new document root served', async () => (await edge('one.instances-a.org')).body === 'version 2');
    assert.ok((await reloadsOf(0)) > before0, 'instance 0 reloaded');
    assert.deepEqual({ pid: await pidOf(1), reloads: await reloadsOf(1) }, quiet, 'instance 1 untouched');
    assert.match((await edge('two.instances-b.org')).body, /^uid=/);
  });

  test('one PHP-FPM master per hosting here: a change of A\'s pool reloads only A\'s master', async () => {
    const [a, b] = hostings;
    const fpmPid = (h: Hosting) => livePid(path.join(node.root, `run/abri/php-fpm-8.2-${h.uid}.pid`));
    const readies = async (h: Hosting) =>
      (await readFile(path.join(node.root, `var/log/abri/php-fpm-8.2-${h.uid}.log`), 'utf8')).split('ready to handle connections').length - 1;
    assert.ok(await fpmPid(a) && await fpmPid(b), 'a master for each hosting');
    const quiet = { pid: await fpmPid(b), readies: await readies(b) };
    const beforeA = await readies(a);
    const offer = await m.api('POST', '/api/v1/offers', offerBody({ name: 'More processes', phpMaxChildren: 7 }));
    assert.equal(offer.status, 201, JSON.stringify(offer.body));
    assert.equal((await m.api('PATCH', `/api/v1/hostings/${a.id}`, { offerId: offer.body.id })).status, 200);
    const pool = path.join(node.root, `etc/php/8.2/fpm/abri/${a.uid}/pool.d/${a.name}.conf`);
    await until('A\'s new pool applied', async () => (await readFile(pool, 'utf8')).includes('pm.max_children = 7\n') && (await readies(a)) > beforeA);
    assert.deepEqual({ pid: await fpmPid(b), readies: await readies(b) }, quiet, 'B\'s master untouched');
    assert.equal((await edge('two.instances-b.org')).body, `uid=${b.uid}`);
    assert.equal((await edge('one.instances-a.org')).body, 'version 2');
  });

  test('back to one instance: every site moves to instance 0, the other instance stops', async () => {
    await m.manager.agent!.stop();
    const settings = { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ...node.settings, ABRI_APACHE_INSTANCES: '1' };
    const config = loadConfig({}, settings);
    const server = await m.manager.app.db.selectFrom('servers').select('id').where('local', '=', true).executeTakeFirstOrThrow();
    const agent = createNodeAgent({ config, link: new LocalManagerLink(m.manager.app, server.id), log: pino({ level: 'silent' }), manager: { address: '127.0.0.1', port: 1 } });
    const stopped = await pidOf(1);
    assert.ok(stopped, 'instance 1 runs before');
    await agent.apply(await buildDesiredState(m.manager.app.db, { ...m.manager.app.config, apacheInstances: 1 }, server.id));
    assert.equal((await m.api('GET', '/api/v1/servers')).body.items[0].lastError, null);
    assert.equal(await pidOf(1), null, 'instance 1 stopped');
    assert.ok(!existsSync(instanceDir(1)), 'its configuration removed');
    assert.deepEqual((await readdir(path.join(instanceDir(0), 'sites'))).filter((f) => f.startsWith('abt')).length, 2, 'both vhosts in instance 0');
    assert.equal((await edge('one.instances-a.org')).body, 'version 2');
    assert.equal((await edge('two.instances-b.org')).body, `uid=${hostings[1].uid}`);
    assert.equal((await httpGet(node.webPort, 'two.instances-b.org', '/')).body, `uid=${hostings[1].uid}`);
    // and back to the default of 250 pools per master: both pools move to one master, the others stop
    const masters = (await readdir(path.join(node.root, 'etc/php/8.2/fpm/abri'))).filter((d) => /^\d+$/.test(d));
    assert.deepEqual(masters, [String(Math.floor(hostings[0].uid / 250) * 250)]);
    for (const h of hostings) assert.equal(await livePid(path.join(node.root, `run/abri/php-fpm-8.2-${h.uid}.pid`)), null, `the master of ${h.name} alone stopped`);
  });
});
