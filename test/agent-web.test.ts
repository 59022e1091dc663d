// Integration: `abri serve` with its in-process agent applying for real (root, real Apache, PHP-FPM,
// HAProxy on loopback). A site added through the API is served through the edge (how fast is
// measured by `npm run bench`, not here).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chown, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { createTestNode, requireNodeServices, until, type TestNode } from './helpers/node.js';
import { httpGet } from './harness/http.js';
import { loadConfig } from '../src/platform/config.js';
import { createNodeAgent } from '../src/agent/node.js';
import { LocalManagerLink } from '../src/agent/client.js';

const missing = requireNodeServices('test/agent-web.test.ts', test);

describe('the local agent applies sites for real', { skip: missing.length > 0 }, () => {
  let node: TestNode;
  let m: TestManager;
  let hosting: { id: string; name: string; uid: number; home: string };
  const edge = (host: string, p = '/') => httpGet(node.edgePort, host, p);
  const siteState = async (id: string) => (await m.api('GET', `/api/v1/sites/${id}`)).body.provisioning;

  async function put(file: string, content: string) {
    await writeFile(file, content, { mode: 0o644 });
    await chown(file, hosting.uid, hosting.uid);
  }

  before(async () => {
    node = await createTestNode(194_000);
    m = await startTestManager({ settings: { ...node.settings, ABRI_LOCAL_AGENT: '1' } });
    hosting = (await seedHosting(m)).hosting;
  });
  after(async () => {
    await m?.close();
    await node?.cleanup();
  });

  test('a site added through the API serves PHP as the hosting\'s uid through the edge', async () => {
    const site = (await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'live.example.org', aliases: ['www.live.example.org'] })).body;
    const state = await until('site live', async () => ((await siteState(site.id)).status === 'live' ? await siteState(site.id) : false));
    assert.equal(state.status, 'live');
    const docroot = path.join(hosting.home, 'var/www/live.example.org');
    await put(path.join(docroot, 'index.php'), '<?php echo "uid=", posix_getuid(), "\\n";');
    const r = await edge('www.live.example.org');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body.trim(), `uid=${hosting.uid}`);
    const servers = (await m.api('GET', '/api/v1/servers')).body.items;
    assert.equal(servers[0].mode, 'apply');
    assert.equal(servers[0].lastError, null);
  });

  test('unknown hosts get the 404 page; suspend shows the suspended page; unsuspend brings the site back', async () => {
    assert.equal((await edge('nobody.example.org')).status, 404);
    await m.api('POST', `/api/v1/hostings/${hosting.id}/suspend`, {});
    await until('suspended page', async () => (await edge('live.example.org')).status === 503);
    await m.api('POST', `/api/v1/hostings/${hosting.id}/reactivate`, {});
    const back = await until('site back', async () => {
      const r = await edge('live.example.org');
      return r.status === 200 && r;
    });
    assert.equal(back.body.trim(), `uid=${hosting.uid}`);
  });

  test('a deleted vhost file comes back (drift repair)', async () => {
    const vhost = path.join(node.root, 'etc/apache2/abri/sites', `${hosting.name}_live.example.org.conf`);
    await rm(vhost);
    await until('vhost restored', async () => (await import('node:fs')).existsSync(vhost), 10_000);
  });

  test('a config Apache rejects is reported as an error and the previous config keeps serving', async () => {
    await m.manager.agent!.stop();
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ...node.settings, ABRI_APACHE_EXTRA: 'ThisIsNotAnApacheDirective on' });
    const server = await m.manager.app.db.selectFrom('servers').select('id').where('local', '=', true).executeTakeFirstOrThrow();
    const broken = createNodeAgent({ config, link: new LocalManagerLink(m.manager.app, server.id), log: pino({ level: 'silent' }), manager: { address: '127.0.0.1', port: 1 } });
    await broken.apply(await import('../src/agent/store.js').then((s) => s.buildDesiredState(m.manager.app.db, m.manager.app.config, server.id)));
    const servers = (await m.api('GET', '/api/v1/servers')).body.items;
    assert.match(servers[0].lastError, /ThisIsNotAnApacheDirective/);
    const r = await edge('live.example.org');
    assert.equal(r.status, 200, 'the previous configuration still serves');
    const conf = await (await import('node:fs/promises')).readFile(path.join(node.root, 'etc/apache2/abri/apache2.conf'), 'utf8');
    assert.ok(!conf.includes('ThisIsNotAnApacheDirective'), 'the rejected config was rolled back on disk');
    m.manager.agent = createNodeAgent({ config: loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ...node.settings }), link: new LocalManagerLink(m.manager.app, server.id), log: pino({ level: 'silent' }), manager: { address: '127.0.0.1', port: 1 } }).start();
    await until('error cleared', async () => (await m.api('GET', '/api/v1/servers')).body.items[0].lastError === null);
  });

  test('removing a site makes the edge answer 404', async () => {
    const site = (await m.api('GET', '/api/v1/sites/live.example.org')).body;
    assert.equal((await m.api('DELETE', `/api/v1/sites/${site.id}`)).status, 204);
    await until('404 after delete', async () => (await edge('live.example.org')).status === 404);
  });

  test('terminating keeps the files; a purge (audited, after retention or forced) deletes them and the account', async () => {
    const site = (await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'bye.example.org' })).body;
    await until('site live', async () => (await siteState(site.id)).status === 'live');
    await put(path.join(hosting.home, 'var/www/bye.example.org/index.html'), 'bye');
    assert.equal((await edge('bye.example.org')).body, 'bye');
    const terminated = await m.api('DELETE', `/api/v1/hostings/${hosting.id}`);
    assert.equal(terminated.body.status, 'terminated');
    await until('404 after termination', async () => (await edge('bye.example.org')).status === 404);
    const fs = await import('node:fs');
    assert.ok(fs.existsSync(path.join(hosting.home, 'var/www/bye.example.org/index.html')), 'files are kept');
    const early = await m.api('POST', `/api/v1/hostings/${hosting.id}/purge`, {});
    assert.equal(early.status, 409);
    assert.equal(early.body.code, 'hosting.retention_pending');
    const purge = await m.api('POST', `/api/v1/hostings/${hosting.id}/purge`, { force: true });
    assert.equal(purge.status, 200, JSON.stringify(purge.body));
    const done = await until('purged', async () => {
      const h = (await m.api('GET', `/api/v1/hostings/${hosting.id}`)).body;
      return h.purgedAt && h;
    });
    assert.ok(done.purgedAt);
    assert.ok(!fs.existsSync(hosting.home), 'home deleted');
    const passwd = await (await import('node:fs/promises')).readFile('/etc/passwd', 'utf8');
    assert.ok(!passwd.split('\n').some((l) => l.startsWith(`${hosting.name}:`)), 'user deleted');
    const audit = (await m.api('GET', `/api/v1/audit?action=hosting.purge`)).body.items;
    assert.equal(audit.length, 1);
  });
});
