// Integration: two hostings on real Apache + PHP-FPM behind real HAProxy, checked from outside.
// Needs root and the Debian packages apache2, php8.2-fpm, haproxy, acl (scripts/test-packages.txt).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { chmod, chown, lchown, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EdgeSpec } from '../src/edge/spec.js';
import { fpmSocketPath } from '../src/hosting/render-fpm-pool.js';
import type { WebHostingSpec, WebNodeSpec } from '../src/hosting/spec.js';
import { createAccount, removeAccount } from './harness/hosting-accounts.js';
import { httpGet } from './harness/http.js';
import { run } from './harness/run.js';
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
    { host: 'secure-a.example.org', backend: 'web1', httpsMode: 'redirect', suspended: false },
    { host: 'site-b.example.net', backend: 'web1', httpsMode: 'both', suspended: bSuspended },
  ];

  async function put(owner: { uid: number }, file: string, content: string, mode: number) {
    await dir(owner, path.dirname(file));
    await writeFile(file, content);
    await chown(file, owner.uid, owner.uid);
    await chmod(file, mode);
  }
  async function dir(owner: { uid: number }, d: string) {
    await mkdir(d, { recursive: true });
    await chown(d, owner.uid, owner.uid);
    await chmod(d, 0o755);
  }

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
    const wwwA = `${homeA}/var/www/site-a`;
    const wwwB = `${homeB}/var/www/site-b/public`;
    await dir(A, wwwA);
    await dir(B, `${homeB}/var/www/site-b`);
    await dir(B, wwwB);
    const who = '<?php echo "uid=", posix_getuid(), " basedir=", ini_get("open_basedir"), "\\n";';
    await put(A, `${wwwA}/index.php`, who, 0o644);
    await put(B, `${wwwB}/index.php`, who, 0o644);
    await put(B, `${wwwB}/secret.txt`, 'secret of B\n', 0o600);
    await put(B, `${wwwB}/static.txt`, 'static of B\n', 0o604);
    await put(A, `${wwwA}/static.txt`, 'static of A\n', 0o604);
    await put(A, `${wwwA}/secret.txt`, 'secret of A\n', 0o600);
    await put(A, `${wwwA}/read-secret.php`, '<?php echo file_get_contents(__DIR__ . "/secret.txt");', 0o644);
    await put(A, `${wwwA}/write.php`, '<?php file_put_contents(__DIR__ . "/created.txt", "made by PHP\\n"); mkdir(__DIR__ . "/made-dir"); echo "ok";', 0o644);
    await put(A, `${wwwA}/probe.php`, `<?php
      $r = [];
      $r['readB'] = @file_get_contents(${JSON.stringify(`${wwwB}/secret.txt`)}) === false ? 'denied' : 'READ';
      $r['listB'] = @scandir(${JSON.stringify(homeB)}) === false ? 'denied' : 'LISTED';
      $s = @stream_socket_client(${JSON.stringify(`unix://${sockB}`)}, $errno, $errstr, 2);
      $r['socketB'] = $s === false ? "denied: $errstr" : 'CONNECTED';
      echo json_encode($r);`, 0o644);
    await put(A, `${wwwA}/blog/.htaccess`, 'RewriteEngine On\nRewriteBase /blog/\nRewriteRule ^index\\.php$ - [L]\nRewriteCond %{REQUEST_FILENAME} !-f\nRewriteCond %{REQUEST_FILENAME} !-d\nRewriteRule . /blog/index.php [L]\n', 0o644);
    await put(A, `${wwwA}/blog/index.php`, '<?php echo "wordpress front controller for ", $_SERVER["REQUEST_URI"];', 0o644);
    await symlink(`${wwwB}/static.txt`, `${wwwA}/link-to-b.txt`);
    await lchown(`${wwwA}/link-to-b.txt`, A.uid, A.uid);
    // Attacks: every way an .htaccess can choose a handler or FastCGI variables, aimed at B's pool.
    const target = `proxy:unix:${sockB}|fcgi://x`;
    const attacks: Record<string, string> = {
      'sethandler': `SetHandler "${target}"`,
      'sethandler-script': `SetHandler "${target}"\nProxyFCGISetEnvIf "true" SCRIPT_FILENAME "${wwwB}/index.php"`,
      'sethandler-if': `SetHandler "${target}"\n<If "true">\nProxyFCGISetEnvIf "true" SCRIPT_FILENAME "${wwwB}/index.php"\n</If>`,
      'filesmatch': `<FilesMatch "\\.php$">\nSetHandler "${target}"\n</FilesMatch>\nProxyFCGISetEnvIf "true" SCRIPT_FILENAME "${wwwB}/index.php"`,
      'addhandler': `AddHandler "${target}" .php\nProxyFCGISetEnvIf "true" SCRIPT_FILENAME "${wwwB}/index.php"`,
      'rewrite-h': `RewriteEngine On\nRewriteRule ^ - [H=${target}]\nProxyFCGISetEnvIf "true" SCRIPT_FILENAME "${wwwB}/index.php"`,
      'rewrite-p': `RewriteEngine On\nRewriteRule ^ "unix:${sockB}|fcgi://localhost${wwwB}/index.php" [P]`,
    };
    for (const [name, htaccess] of Object.entries(attacks)) {
      await put(A, `${wwwA}/attack-${name}/.htaccess`, `${htaccess}\n`, 0o644);
      await put(A, `${wwwA}/attack-${name}/who.php`, who, 0o644);
      await put(A, `${wwwA}/attack-${name}/who.txt`, who, 0o644);
    }
    await put(A, `${wwwA}/inject/.htaccess`, 'SetEnv PHP_ADMIN_VALUE "open_basedir=/"\nSetEnv PHP_VALUE "open_basedir=/"\n', 0o644);
    await put(A, `${wwwA}/inject/who.php`, who, 0o644);
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
    const a = await get('site-a.example.org', '/');
    assert.equal(a.status, 200, a.body);
    assert.match(a.body, new RegExp(`^uid=${A.uid} basedir=${homeA}/$`, 'm'));
    const alias = await get('WWW.Site-A.example.org:80', '/index.php');
    assert.match(alias.body, new RegExp(`uid=${A.uid}`));
    const b = await get('site-b.example.net', '/');
    assert.match(b.body, new RegExp(`^uid=${B.uid} basedir=${homeB}/$`, 'm'), 'B runs in the pool of the configured name "8.1"');
  });

  test('a WordPress-style .htaccess rewrite reaches the front controller', async () => {
    const r = await get('site-a.example.org', '/blog/2024/05/hello-world/');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, 'wordpress front controller for /blog/2024/05/hello-world/');
  });

  test('0604 files are served, 0600 files are not (but the hosting\'s PHP reads them)', async () => {
    assert.equal((await get('site-a.example.org', '/static.txt')).body, 'static of A\n');
    assert.equal((await get('site-a.example.org', '/secret.txt')).status, 403);
    assert.equal((await get('site-a.example.org', '/read-secret.php')).body, 'secret of A\n');
  });

  test('files PHP creates are 0644 and served by Apache (FPM master umask 0022)', async () => {
    assert.equal((await get('site-a.example.org', '/write.php')).body, 'ok');
    const created = await stat(`${homeA}/var/www/site-a/created.txt`);
    assert.equal(created.mode & 0o777, 0o644);
    assert.equal(created.uid, A.uid);
    assert.equal((await stat(`${homeA}/var/www/site-a/made-dir`)).mode & 0o777, 0o755);
    assert.equal((await get('site-a.example.org', '/created.txt')).body, 'made by PHP\n');
  });

  test('A cannot read B\'s files, list B\'s home or connect to B\'s pool', async () => {
    const r = JSON.parse((await get('site-a.example.org', '/probe.php')).body);
    assert.equal(r.readB, 'denied');
    assert.equal(r.listB, 'denied');
    assert.match(r.socketB, /^denied/);
    // the same without open_basedir: plain Unix permissions already stop A's uid
    const cat = await run('runuser', ['-u', A.name, '--', 'cat', `${homeB}/var/www/site-b/public/secret.txt`], { allowFailure: true });
    assert.notEqual(cat.code, 0);
    assert.match(cat.stderr, /Permission denied/);
    const ls = await run('runuser', ['-u', A.name, '--', 'ls', homeB], { allowFailure: true });
    assert.notEqual(ls.code, 0);
  });

  test('a symlink in A\'s docroot to B\'s file is not followed', async () => {
    const r = await get('site-a.example.org', '/link-to-b.txt');
    assert.equal(r.status, 403);
    assert.doesNotMatch(r.body, /static of B/);
  });

  test('no .htaccess trick runs B\'s PHP from A\'s site', async () => {
    for (const name of ['sethandler', 'sethandler-script', 'sethandler-if', 'filesmatch', 'addhandler', 'rewrite-h', 'rewrite-p']) {
      for (const file of ['who.php', 'who.txt']) {
        const r = await get('site-a.example.org', `/attack-${name}/${file}`);
        assert.doesNotMatch(r.body, new RegExp(`uid=${B.uid}`), `attack ${name} on ${file} ran B's PHP (${r.status})`);
        assert.doesNotMatch(r.body, /htaccess/, `the .htaccess of attack ${name} must be read (${r.status})`);
      }
    }
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
    const r = await get('site-a.example.org', '/inject/who.php');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, `uid=${A.uid} basedir=${homeA}/\n`);
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
