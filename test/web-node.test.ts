// Integration: two hostings on real Apache + PHP-FPM behind real HAProxy, built by the PRODUCTION
// drivers (the web driver's accounts, pools and vhosts; the edge driver's HAProxy) from a desired
// state written by the test, then checked from outside. Needs root and the Debian packages apache2,
// php8.2-fpm, haproxy, acl (scripts/test-packages.txt).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { WebDriver } from '../src/hosting/apply-web.js';
import { EdgeDriver } from '../src/edge/apply-edge.js';
import { runtimeApi } from '../src/edge/runtime-api.js';
import { nodeLayout } from '../src/node/layout.js';
import type { DesiredHosting, DesiredState } from '../src/node/protocol.js';
import type { DriverResult } from '../src/node/driver.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { loadConfig } from '../src/platform/config.js';
import { livePid } from '../src/platform/pid-file.js';
import { httpGet } from './harness/http.js';
import { run } from './harness/run.js';
import * as iso from './harness/isolation-checks.js';
import { createTestNode, fpmMasterDirs, requireNodeServices, until, type TestNode } from './helpers/node.js';

const missing = requireNodeServices('test/web-node.test.ts', test);

const A = { id: 'hosting-a', name: 'abt193000', uid: 193000 };
const B = { id: 'hosting-b', name: 'abt193001', uid: 193001 };
const C = { id: 'hosting-c', name: 'abt193002', uid: 193002 };

describe('web node: Apache + PHP-FPM per hosting behind HAProxy, applied by the production drivers', { skip: missing.length > 0 }, () => {
  let node: TestNode;
  let manager: http.Server;
  let managerPort = 0;
  let web: WebDriver;
  let edge: EdgeDriver;
  let homeA = '';
  let homeB = '';
  let sockB = '';
  let umaskBefore = 0o022;
  let isoA: iso.IsolatedHosting;
  let isoB: iso.IsolatedHosting;
  const get = (host: string, p: string) => httpGet(node.edgePort, host, p);
  const log = pino({ level: 'silent' });
  const exec = new LocalExecutor();
  const settings = (extra: Record<string, string> = {}) => loadConfig({}, {
    ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ...node.settings,
    ABRI_PHP_FPM: '8.2=/usr/sbin/php-fpm8.2,8.1=/usr/sbin/php-fpm8.2', ...extra,
  }).node;

  const hostings = (bStatus: 'active' | 'suspended'): DesiredHosting[] => [
    { id: A.id, name: A.name, uid: A.uid, home: homeA, status: 'active', php: { maxChildren: 4, memoryMb: 128 }, sites: [
      { id: 'site-a', domain: 'site-a.example.org', aliases: ['www.site-a.example.org'], documentRoot: 'site-a', phpVersion: '8.2', httpsMode: 'both', status: 'active' },
      { id: 'site-a-redirect', domain: 'secure-a.example.org', aliases: [], documentRoot: 'site-a', phpVersion: '8.2', httpsMode: 'redirect', status: 'active' },
    ] },
    { id: B.id, name: B.name, uid: B.uid, home: homeB, status: bStatus, php: { maxChildren: 4, memoryMb: 128 }, sites: [
      { id: 'site-b', domain: 'site-b.example.net', aliases: [], documentRoot: 'site-b/public', phpVersion: '8.1', httpsMode: 'both', status: 'active' },
    ] },
  ];
  const state = (bStatus: 'active' | 'suspended' = 'active', revision = 1): DesiredState => ({
    revision,
    server: { id: 'server-1', name: 'web1', roles: ['web', 'edge'] },
    web: { hostings: hostings(bStatus), apacheInstances: 1, purges: [] },
    edge: {
      backends: [{ name: 'web1', address: '127.0.0.1', instances: 1 }],
      hosts: [
        { host: 'site-a.example.org', siteId: 'site-a', backend: 'web1', instance: 0, httpsMode: 'both', suspended: false, tls: false },
        { host: 'www.site-a.example.org', siteId: 'site-a', backend: 'web1', instance: 0, httpsMode: 'http-only', suspended: false, tls: false },
        { host: 'secure-a.example.org', siteId: 'site-a-redirect', backend: 'web1', instance: 0, httpsMode: 'redirect', suspended: false, tls: true },
        { host: 'site-b.example.net', siteId: 'site-b', backend: 'web1', instance: 0, httpsMode: 'both', suspended: bStatus === 'suspended', tls: false },
      ],
      certificates: [],
    },
  });
  /** Both drivers, as the agent runs them; every object must come out live. */
  async function applyAll(s: DesiredState): Promise<DriverResult[]> {
    const results = [await web.reconcile(s), await edge.reconcile(s)];
    for (const r of results) {
      assert.equal(r.error, undefined, r.error);
      for (const o of r.objects) assert.equal(o.status, 'live', `${o.kind} ${o.id}: ${o.message}`);
    }
    return results;
  }

  before(async () => {
    umaskBefore = process.umask(0o077); // the test's own umask is strict: FPM must still get 0022
    node = await createTestNode(193_000, 3);
    homeA = path.join(node.root, 'home', A.name);
    homeB = path.join(node.root, 'home', B.name);
    manager = http.createServer((req, res) => res.end(`manager answered ${req.url} for ${req.headers.host}`));
    await new Promise<void>((r) => manager.listen(0, '127.0.0.1', r));
    managerPort = (manager.address() as import('node:net').AddressInfo).port;
    const layout = nodeLayout(node.root);
    web = new WebDriver(exec, settings(), layout, log);
    edge = new EdgeDriver(exec, settings(), layout, { address: '127.0.0.1', port: managerPort }, log);
    await applyAll(state());
    const socket = (name: string, v: string) => path.join(node.root, `run/abri/php-${v}`, `${name}.sock`);
    sockB = socket(B.name, '8.1');
    isoA = { ...A, home: homeA, docroot: `${homeA}/var/www/site-a`, socket: socket(A.name, '8.2') };
    isoB = { ...B, home: homeB, docroot: `${homeB}/var/www/site-b/public`, socket: sockB };
    await iso.plantVictim(isoB);
    await iso.plantAttacker(isoA, isoB);
    await iso.plantWordPress(A, isoA.docroot, '/blog/');
  });

  after(async () => {
    process.umask(umaskBefore);
    await new Promise((r) => (manager ? manager.close(r) : r(null)));
    await node?.cleanup();
  });

  test('the driver made each account, home tree and pool: each site runs PHP as its hosting, in its own pool', async () => {
    for (const h of [isoA, isoB]) {
      const st = await stat(h.home);
      assert.equal(st.uid, 0, 'the home is root\'s');
      assert.equal(st.gid, h.uid);
      assert.equal(st.mode & 0o7777, 0o710);
    }
    await iso.checkRunsAs(get, 'site-a.example.org', isoA);
    const alias = await get('WWW.Site-A.example.org:80', '/index.php');
    assert.match(alias.body, new RegExp(`uid=${A.uid}`));
    await iso.checkRunsAs(get, 'site-b.example.net', isoB); // B runs in the pool of the configured name "8.1"
  });

  test('a WordPress-style .htaccess rewrite reaches the front controller', async () => {
    await iso.checkWordPress(get, 'site-a.example.org', '/blog/');
  });

  test('0604 files are served, 0600 files are not (but the hosting\'s PHP reads them)', async () => {
    await iso.checkFileModes(get, 'site-a.example.org', isoA);
  });

  test('files PHP creates are 0644 and served by Apache (FPM master umask 0022)', async () => {
    await iso.checkPhpCreatesReadableFiles(get, 'site-a.example.org', isoA);
  });

  test('A cannot read B\'s files, list B\'s home or connect to B\'s pool', async () => {
    await iso.checkCannotReach(get, 'site-a.example.org', isoA, isoB);
  });

  test('a symlink in A\'s docroot to B\'s file is not followed', async () => {
    await iso.checkSymlinkNotFollowed(get, 'site-a.example.org', isoB);
  });

  test('no .htaccess trick runs B\'s PHP from A\'s site', async () => {
    await iso.checkNoHtaccessRunsOther(get, 'site-a.example.org', isoB);
  });

  test('the per-site logs under var/log cannot be forged, moved or replaced by the hosting', async () => {
    await iso.checkLogsProtected(get, 'site-a.example.org', isoA, ['site-a.example.org-access.log', 'site-a.example.org-error.log']);
  });

  test('.htaccess cannot override PHP admin settings through FastCGI variables', async () => {
    await iso.checkNoPhpAdminInjection(get, 'site-a.example.org', isoA);
  });

  test('edge: unknown host → 404 page, ACME challenge → manager, redirect mode → 301', async () => {
    const unknown = await get('nobody.example.com', '/');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /Site not found/);
    const acme = await get('site-b.example.net', '/.well-known/acme-challenge/x');
    assert.equal(acme.body, 'manager answered /.well-known/acme-challenge/x for site-b.example.net');
    const acmeUnknown = await get('nobody.example.com', '/.well-known/acme-challenge/y');
    assert.match(acmeUnknown.body, /^manager answered/);
  });

  test('suspend → suspended page (edge and Apache), unsuspend → back', async () => {
    await applyAll(state('suspended', 2));
    const r = await get('site-b.example.net', '/');
    assert.equal(r.status, 503);
    assert.match(r.body, /Site suspended/);
    const direct = await httpGet(node.webPort, 'site-b.example.net', '/');
    assert.equal(direct.status, 503);
    assert.match(direct.body, /suspended/);
    await assert.rejects(stat(sockB), 'a suspended hosting runs no pool');
    await applyAll(state('active', 3));
    assert.match((await get('site-b.example.net', '/')).body, new RegExp(`uid=${B.uid}`));
  });

  test('the edge map changes at runtime without a reload', async () => {
    const socket = nodeLayout(node.root).edgeSocket;
    const map = path.join(node.root, 'etc/haproxy/abri/maps/hosts.map');
    assert.equal((await runtimeApi(socket, [`set map ${map} site-b.example.net abri_suspended`])).trim(), '');
    assert.equal((await get('site-b.example.net', '/')).status, 503);
    await runtimeApi(socket, [`del map ${map} site-b.example.net`]);
    assert.equal((await get('site-b.example.net', '/')).status, 404);
    await runtimeApi(socket, [`add map ${map} site-b.example.net web_web1`]);
    assert.match((await get('site-b.example.net', '/')).body, new RegExp(`uid=${B.uid}`));
  });

  test('an extra directive Apache rejects is the node\'s error: nothing is reloaded, the sites keep serving', async () => {
    const broken = new WebDriver(exec, settings({ ABRI_APACHE_EXTRA: 'NoSuchDirective on' }), nodeLayout(node.root), log);
    const withNewSite = state('active', 4);
    withNewSite.web!.hostings[0]!.sites.push({ id: 'site-a-new', domain: 'new-a.example.org', aliases: [], documentRoot: 'new-a', phpVersion: '8.2', httpsMode: 'both', status: 'active' });
    const r = await broken.reconcile(withNewSite);
    assert.match(r.error ?? '', /NoSuchDirective/);
    const sites = new Map(r.objects.filter((x) => x.kind === 'site').map((o) => [o.id, o]));
    const added = sites.get('site-a-new')!;
    assert.equal(added.status, 'error', 'the change that could not be applied');
    assert.equal(added.code, 'server.failed', 'a site is told the server failed, not the node\'s own detail');
    assert.doesNotMatch(added.message ?? '', /NoSuchDirective/);
    for (const id of ['site-a', 'site-a-redirect', 'site-b']) assert.equal(sites.get(id)!.status, 'live', `${id} keeps being served by the previous configuration`);
    assert.match((await get('site-b.example.net', '/')).body, new RegExp(`uid=${B.uid}`));
    assert.ok(!(await readFile(path.join(node.root, 'etc/apache2/abri/apache2.conf'), 'utf8')).includes('NoSuchDirective'), 'rolled back');
    await applyAll(state('active', 5));
  });

  test('a vhost Apache refuses, a pool PHP-FPM refuses: that hosting alone is left out, the others\' changes go live', async (t) => {
    const homeC = path.join(node.root, 'home', C.name);
    const withC = (revision: number, extraSites: string[] = [], childrenA = 4): DesiredState => {
      const s = state('active', revision);
      s.web!.hostings[0]!.php.maxChildren = childrenA;
      s.web!.hostings.push({ id: C.id, name: C.name, uid: C.uid, home: homeC, status: 'active', php: { maxChildren: 2, memoryMb: 64 }, sites: [
        { id: 'site-c', domain: 'site-c.example.com', aliases: [], documentRoot: 'site-c', phpVersion: '8.2', httpsMode: 'both', status: 'active' },
      ] });
      for (const d of extraSites) s.web!.hostings[0]!.sites.push({ id: `site-${d}`, domain: d, aliases: [], documentRoot: 'site-a', phpVersion: '8.2', httpsMode: 'both', status: 'active' });
      return s;
    };
    const direct = (host: string, p = '/index.php') => httpGet(node.webPort, host, p);
    await applyAll(withC(10));
    await iso.putAs(C, path.join(homeC, 'var/www/site-c/index.html'), 'C\n', 0o644);
    assert.equal((await direct('site-c.example.com', '/')).body, 'C\n');
    const byId = (r: DriverResult) => new Map(r.objects.map((o) => [`${o.kind}/${o.id}`, o]));

    // something around C's unchanged vhost goes away (its log directory): Apache refuses the whole
    // configuration; A's new site must still go live, and only C's site is reported
    await rm(path.join(homeC, 'var/log'), { recursive: true });
    const first = await web.reconcile(withC(11, ['more-a.example.org']), { repair: false });
    assert.equal(first.error, undefined, 'not the node\'s error');
    const o1 = byId(first);
    assert.equal(o1.get('site/site-more-a.example.org')!.status, 'live');
    assert.match((await direct('more-a.example.org')).body, new RegExp(`uid=${A.uid}`), 'A\'s change is live');
    const c1 = o1.get('site/site-c')!;
    assert.equal(c1.status, 'error');
    assert.equal(c1.code, 'web.apache_refused');
    assert.match(c1.message!, /site-c\.example\.com/);
    assert.doesNotMatch(c1.message!, /site-a|site-b|more-a/, 'the message names only C\'s site');
    for (const id of ['site/site-a', 'site/site-b', 'hosting/hosting-c']) assert.equal(o1.get(id)!.status, 'live', id);

    // a repair pass makes C's log directory again: everything is live before the next breakage (C's
    // hosting then stands as applied, so the pass below leaves its account alone and PHP-FPM meets it)
    const healed = await web.reconcile(withC(11, ['more-a.example.org']));
    for (const o of healed.objects) assert.equal(o.status, 'live', `${o.kind} ${o.id}: ${o.message}`);

    // C's Unix user goes away (a local admin's userdel): PHP-FPM refuses C's unchanged pool when A's
    // pool changes (A's pm.max_children); A's change must still go live
    await run('userdel', [C.name]);
    const second = await web.reconcile(withC(12, ['more-a.example.org', 'most-a.example.org'], 3), { repair: false });
    assert.equal(second.error, undefined, 'not the node\'s error');
    const o2 = byId(second);
    assert.equal(o2.get('site/site-most-a.example.org')!.status, 'live');
    assert.match((await direct('most-a.example.org')).body, new RegExp(`uid=${A.uid}`));
    const poolA = fpmMasterDirs(node.root).map((d) => path.join(d, 'pool.d', `${A.name}.conf`)).find((f) => existsSync(f));
    assert.match(await readFile(poolA!, 'utf8'), /pm\.max_children = 3\n/, 'A\'s new pool is live');
    const hc = o2.get('hosting/hosting-c')!;
    assert.equal(hc.code, 'web.fpm_refused', `hosting C: ${hc.status} ${hc.message}`);
    assert.match(hc.message!, new RegExp(`pool of ${C.name}`));
    assert.doesNotMatch(hc.message!, new RegExp(`${A.name}|${B.name}`), 'names only C');
    assert.equal(o2.get('site/site-c')!.code, 'web.hosting_failed');
    assert.match((await get('site-b.example.net', '/')).body, new RegExp(`uid=${B.uid}`), 'B still served');

    // the periodic repair pass makes C's account and log directory again (Abri made them for C): C is back
    const repaired = await web.reconcile(withC(13, ['more-a.example.org', 'most-a.example.org'], 3));
    for (const o of repaired.objects) assert.equal(o.status, 'live', `${o.kind} ${o.id}: ${o.message}`);
    await applyAll(state('active', 14));
  });

  // last: PHP values a request managed to set stay in that FPM worker until it is recycled
  test('control: without the vhost guard the same .htaccess files do run B\'s PHP; the next pass puts the guard back', async () => {
    const file = path.join(node.root, 'etc/apache2/abri/sites', `${A.name}_site-a.example.org.conf`);
    const guarded = await readFile(file, 'utf8');
    const unguarded = guarded.replace(/ {4}# Merged after every[^]*?<\/Location>\n/, '');
    assert.notEqual(unguarded, guarded);
    await writeFile(file, unguarded);
    await reloadApache();
    try {
      // the pools the previous test reloaded may still be starting their workers ("File not found." meanwhile)
      const served = (p: string, re: RegExp) => until(`${p} answered by the attack`, async () => re.test((await get('site-a.example.org', p)).body), 30_000, 200);
      for (const [p, re] of [['/attack-sethandler-script/who.txt', new RegExp(`uid=${B.uid}`)], ['/attack-rewrite-p/who.php', new RegExp(`uid=${B.uid}`)], ['/inject/who.php', /basedir=\/\n/]] as const) await served(p, re);
    } finally {
      await applyAll(state()); // a repair pass: the drifted vhost is rewritten, validated and reloaded
    }
    assert.equal(await readFile(file, 'utf8'), guarded);
    assert.doesNotMatch((await get('site-a.example.org', '/attack-sethandler-script/who.txt')).body, new RegExp(`uid=${B.uid}`));
  });

  /** A graceful restart of the node's Apache on the files as they are (the control above). */
  async function reloadApache() {
    const errorLog = path.join(node.root, 'var/log/apache2/abri/error.log');
    const count = async () => (await readFile(errorLog, 'utf8')).split('resuming normal operations').length;
    const before = await count();
    process.kill((await livePid(path.join(node.root, 'run/abri/apache2/apache2.pid')))!, 'SIGUSR1');
    for (let i = 0; i < 600 && (await count()) === before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok((await count()) > before, 'Apache reloaded');
  }

});
