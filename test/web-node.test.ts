// Integration: two hostings on real Apache + PHP-FPM behind real HAProxy, checked from outside.
// Needs root and the Debian packages apache2, php8.2-fpm, haproxy, acl (scripts/test-packages.txt).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EdgeSpec } from '../src/edge/spec.js';
import { fpmSocketPath } from '../src/hosting/render-fpm-pool.js';
import type { WebHostingSpec, WebNodeSpec } from '../src/hosting/spec.js';
import { createAccount, removeAccount } from './harness/hosting-accounts.js';
import { httpGet } from './harness/http.js';
import * as iso from './harness/isolation-checks.js';
import { missingServices, WebNodeHarness } from './harness/services.js';

const missing = missingServices();
const CI = process.env.CI === 'true';
if (missing.length && CI) test('web node services are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
if (missing.length && !CI) console.warn(`\n*** SKIPPING test/web-node.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

const limits = { maxChildren: 4, idleTimeoutSeconds: 10, maxRequests: 200, memoryLimitMb: 128, requestTimeoutSeconds: 60, uploadMaxMb: 16 };
const A = { name: 'h193000', uid: 193000 };
const B = { name: 'h193001', uid: 193001 };

describe('web node: Apache + PHP-FPM per hosting behind HAProxy', { skip: missing.length > 0 }, () => {
  let node: WebNodeHarness;
  let manager: http.Server;
  let managerPort = 0;
  let web: WebNodeSpec;
  let edge: EdgeSpec;
  let homeA = '';
  let homeB = '';
  let sockB = '';
  let umaskBefore = 0o022;
  const get = (host: string, p: string) => httpGet(node.edgePort, host, p);

  const hostings = (bStatus: 'active' | 'suspended'): WebHostingSpec[] => [
    { id: 'hosting-a', name: A.name, uid: A.uid, gid: A.uid, home: homeA, status: 'active', fpm: limits, sites: [
      { id: 'site-a', domain: 'site-a.example.org', aliases: ['www.site-a.example.org'], documentRoot: 'site-a', phpVersion: '8.2', status: 'active' },
      { id: 'site-a-redirect', domain: 'secure-a.example.org', aliases: [], documentRoot: 'site-a', phpVersion: '8.2', status: 'active' },
    ] },
    { id: 'hosting-b', name: B.name, uid: B.uid, gid: B.uid, home: homeB, status: bStatus, fpm: limits, sites: [
      { id: 'site-b', domain: 'site-b.example.net', aliases: [], documentRoot: 'site-b/public', phpVersion: '8.1', status: 'active' },
    ] },
  ];
  const edgeHosts = (bSuspended: boolean): EdgeSpec['hosts'] => [
    { host: 'site-a.example.org', backend: 'web1', httpsMode: 'both', suspended: false },
    { host: 'www.site-a.example.org', backend: 'web1', httpsMode: 'http-only', suspended: false },
    { host: 'secure-a.example.org', backend: 'web1', httpsMode: 'redirect', suspended: false, tls: true },
    { host: 'site-b.example.net', backend: 'web1', httpsMode: 'both', suspended: bSuspended },
  ];

  let isoA: iso.IsolatedHosting;
  let isoB: iso.IsolatedHosting;

  before(async () => {
    umaskBefore = process.umask(0o077); // the test's own umask is strict: FPM must still get 0022
    node = await WebNodeHarness.create({ '8.2': '/usr/sbin/php-fpm8.2', '8.1': '/usr/sbin/php-fpm8.2' });
    homeA = path.join(node.homeRoot, A.name);
    homeB = path.join(node.homeRoot, B.name);
    await createAccount({ ...A, home: homeA }, 'www-data');
    await createAccount({ ...B, home: homeB }, 'www-data');
    manager = http.createServer((req, res) => res.end(`manager answered ${req.url} for ${req.headers.host}`));
    await new Promise<void>((r) => manager.listen(0, '127.0.0.1', r));
    managerPort = (manager.address() as import('node:net').AddressInfo).port;
    web = node.webSpec(hostings('active'));
    edge = node.edgeSpec(edgeHosts(false), managerPort);
    sockB = fpmSocketPath(web, B.name, '8.1');
    isoA = { ...A, home: homeA, docroot: `${homeA}/var/www/site-a`, socket: fpmSocketPath(web, A.name, '8.2') };
    isoB = { ...B, home: homeB, docroot: `${homeB}/var/www/site-b/public`, socket: sockB };
    await iso.dirAs(B, `${homeB}/var/www/site-b`);
    await iso.plantVictim(isoB);
    await iso.plantAttacker(isoA, isoB);
    await iso.plantWordPress(A, isoA.docroot, '/blog/');
    await node.applyWeb(web);
    await node.applyEdge(edge);
  });

  after(async () => {
    process.umask(umaskBefore);
    await node?.stop();
    await new Promise((r) => (manager ? manager.close(r) : r(null)));
    await removeAccount(A.name);
    await removeAccount(B.name);
  });

  test('each site runs PHP as its hosting, in its own pool', async () => {
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

  test('control: without the vhost guard the same .htaccess files do run B\'s PHP', async () => {
    const file = `${web.apache.configDir}/sites/${A.name}_site-a.example.org.conf`;
    const guarded = await readFile(file, 'utf8');
    const unguarded = guarded.replace(/ {4}# Merged after every[^]*?<\/Location>\n/, '');
    assert.notEqual(unguarded, guarded);
    await writeFile(file, unguarded);
    await node.reloadApache(web);
    try {
      assert.match((await get('site-a.example.org', '/attack-sethandler-script/who.txt')).body, new RegExp(`uid=${B.uid}`));
      assert.match((await get('site-a.example.org', '/attack-rewrite-p/who.php')).body, new RegExp(`uid=${B.uid}`));
      assert.match((await get('site-a.example.org', '/inject/who.php')).body, /basedir=\/\n/);
    } finally {
      await node.applyWeb(web);
    }
    assert.doesNotMatch((await get('site-a.example.org', '/attack-sethandler-script/who.txt')).body, new RegExp(`uid=${B.uid}`));
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
    const redirect = await get('secure-a.example.org', '/page?x=1');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, 'https://secure-a.example.org/page?x=1');
  });

  test('suspend → suspended page (edge and Apache), unsuspend → back', async () => {
    await node.applyWeb({ ...web, hostings: hostings('suspended') });
    await node.applyEdge(node.edgeSpec(edgeHosts(true), managerPort));
    const r = await get('site-b.example.net', '/');
    assert.equal(r.status, 503);
    assert.match(r.body, /Site suspended/);
    const direct = await httpGet(node.apachePort, 'site-b.example.net', '/');
    assert.equal(direct.status, 503);
    assert.match(direct.body, /suspended/);
    await assert.rejects(stat(sockB), 'a suspended hosting runs no pool');
    await node.applyWeb(web);
    await node.applyEdge(edge);
    assert.match((await get('site-b.example.net', '/')).body, new RegExp(`uid=${B.uid}`));
  });

  test('the edge map changes at runtime without a reload', async () => {
    const map = `${edge.configDir}/maps/hosts.map`;
    assert.equal((await node.edgeRuntime(edge, `set map ${map} site-b.example.net abri_suspended`)).trim(), '');
    assert.equal((await get('site-b.example.net', '/')).status, 503);
    await node.edgeRuntime(edge, `del map ${map} site-b.example.net`);
    assert.equal((await get('site-b.example.net', '/')).status, 404);
    await node.edgeRuntime(edge, `add map ${map} site-b.example.net web_web1`);
    assert.match((await get('site-b.example.net', '/')).body, new RegExp(`uid=${B.uid}`));
  });

  test('a configured extra directive Apache rejects fails validation', async () => {
    await assert.rejects(node.validateApache(node.webSpec(hostings('active'), ['NoSuchDirective on'])), /NoSuchDirective/);
  });
});
