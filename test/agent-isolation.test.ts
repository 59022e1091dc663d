// Integration: isolation between two hostings when everything is built by the REAL agent (the
// in-process agent of `abri serve`, applying for real): accounts and home trees, PHP-FPM pools,
// Apache vhosts and the edge all come from the API → agent path; the test only puts files in the
// document roots as each hosting's uid and looks from outside, through the edge.
// The same checks as test/web-node.test.ts (test/harness/isolation-checks.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { createTestNode, requireNodeServices, until, type TestNode } from './helpers/node.js';
import { httpGet } from './harness/http.js';
import * as iso from './harness/isolation-checks.js';

const missing = requireNodeServices('test/agent-isolation.test.ts', test);

describe('isolation between hostings built by the real agent', { skip: missing.length > 0 }, () => {
  let node: TestNode;
  let m: TestManager;
  let a: iso.IsolatedHosting;
  let b: iso.IsolatedHosting;
  let umaskBefore = 0o022;
  let siteIds: string[] = [];
  const get: iso.Get = (host, p) => httpGet(node.edgePort, host, p);

  before(async () => {
    // a strict umask in the agent's process: what it creates must not depend on it (FPM gets 0022)
    umaskBefore = process.umask(0o077);
    node = await createTestNode(194_100);
    m = await startTestManager({ settings: { ...node.settings, ABRI_LOCAL_AGENT: '1' } });
    const hA = (await seedHosting(m, { customer: 'Asso A' })).hosting;
    const hB = (await seedHosting(m, { customer: 'Asso B' })).hosting;
    const sites = [
      (await m.api('POST', `/api/v1/hostings/${hA.id}/sites`, { domain: 'site-a.example.org', aliases: ['www.site-a.example.org'] })).body,
      (await m.api('POST', `/api/v1/hostings/${hA.id}/sites`, { domain: 'blog-a.example.org' })).body,
      (await m.api('POST', `/api/v1/hostings/${hB.id}/sites`, { domain: 'site-b.example.net', documentRoot: 'site-b/public' })).body,
    ];
    for (const s of sites) assert.ok(s.id, JSON.stringify(s));
    siteIds = sites.map((s) => s.id);
    await until('every site live', async () => {
      for (const s of sites) if ((await m.api('GET', `/api/v1/sites/${s.id}`)).body.provisioning?.status !== 'live') return false;
      return true;
    });
    const socket = (name: string) => path.join(node.root, 'run/abri/php-8.2', `${name}.sock`);
    a = { name: hA.name, uid: hA.uid, home: hA.home, docroot: `${hA.home}/var/www/site-a.example.org`, socket: socket(hA.name) };
    b = { name: hB.name, uid: hB.uid, home: hB.home, docroot: `${hB.home}/var/www/site-b/public`, socket: socket(hB.name) };
    for (const h of [a, b]) assert.ok(existsSync(h.socket), `the agent made ${h.name}'s pool at ${h.socket}`);
    await iso.plantVictim(b);
    await iso.plantAttacker(a, b);
    await iso.plantWordPress(a, `${a.home}/var/www/blog-a.example.org`, '/');
  });

  after(async () => {
    process.umask(umaskBefore);
    await m?.close();
    await node?.cleanup();
  });

  test('each site serves index.php as its hosting\'s uid, with open_basedir = its home', async () => {
    await iso.checkRunsAs(get, 'site-a.example.org', a);
    await iso.checkRunsAs(get, 'www.site-a.example.org', a);
    await iso.checkRunsAs(get, 'site-b.example.net', b);
  });

  test('a WordPress-style .htaccess (RewriteCond !-f/!-d, RewriteRule . /index.php [L]) works', async () => {
    await iso.checkWordPress(get, 'blog-a.example.org', '/');
  });

  test('a 0604 file is served; a 0600 file is not, but the hosting\'s PHP reads it', async () => {
    await iso.checkFileModes(get, 'site-a.example.org', a);
  });

  test('files PHP creates are 0644 (FPM umask 0022) and served', async () => {
    await iso.checkPhpCreatesReadableFiles(get, 'site-a.example.org', a);
  });

  test('A\'s PHP cannot read B\'s 0600 file, list B\'s home or connect to B\'s FPM socket', async () => {
    await iso.checkCannotReach(get, 'site-a.example.org', a, b);
  });

  test('a symlink in A\'s docroot to B\'s file is not followed', async () => {
    await iso.checkSymlinkNotFollowed(get, 'site-a.example.org', b);
  });

  test('no .htaccess in A (SetHandler "proxy:unix:<B\'s socket>|fcgi://x" and the like) runs B\'s PHP', async () => {
    await iso.checkNoHtaccessRunsOther(get, 'site-a.example.org', b);
  });

  test('.htaccess cannot override PHP admin settings through FastCGI variables', async () => {
    await iso.checkNoPhpAdminInjection(get, 'site-a.example.org', a);
  });

  test('the logs under var/log are not writable, removable or renamable by the hosting', async () => {
    await iso.checkLogsProtected(get, 'site-a.example.org', a, ['site-a.example.org-access.log', 'site-a.example.org-error.log']);
  });

  test('after all that, the agent still reports every site live and no server error', async () => {
    const servers = (await m.api('GET', '/api/v1/servers')).body.items;
    assert.equal(servers[0].lastError, null);
    for (const id of siteIds) {
      const site = (await m.api('GET', `/api/v1/sites/${id}`)).body;
      assert.equal(site.provisioning.status, 'live', site.domain);
    }
  });
});
