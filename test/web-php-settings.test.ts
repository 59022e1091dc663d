// Integration: per-site PHP settings on real Apache + PHP-FPM, applied by the production web driver.
// Two sites of ONE hosting share its pool (one per hosting and PHP version); with pm.max_children=1
// one worker serves both, alternately, and each request sees its own site's values: the vhost sends
// every managed key on every request (FPM keeps what a request set for the worker's next requests).
// Needs root and apache2, php8.2-fpm, acl (scripts/test-packages.txt).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { WebDriver } from '../src/hosting/apply-web.js';
import { nodeLayout } from '../src/node/layout.js';
import type { DesiredSite, DesiredState } from '../src/node/protocol.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { loadConfig } from '../src/platform/config.js';
import { httpGet } from './harness/http.js';
import { putAs } from './harness/isolation-checks.js';
import { createTestNode, fpmMasterDirs, requireNodeServices, type TestNode } from './helpers/node.js';

const missing = requireNodeServices('test/web-php-settings.test.ts', test);
const H = { id: 'hosting-p', name: 'abt193100', uid: 193100 };

const INI_PHP = `<?php
header('Content-Type: application/json');
$raised = @ini_set('memory_limit', '4G');
echo json_encode(['pid' => getmypid(), 'memory_limit' => ini_get('memory_limit'), 'upload_max_filesize' => ini_get('upload_max_filesize'),
  'post_max_size' => ini_get('post_max_size'), 'max_execution_time' => ini_get('max_execution_time'), 'max_input_vars' => ini_get('max_input_vars'),
  'display_errors' => ini_get('display_errors'), 'raised' => $raised !== false, 'open_basedir' => ini_get('open_basedir')]);
`;

describe('per-site PHP settings: two sites of one hosting, one FPM worker', { skip: missing.length > 0 }, () => {
  let node: TestNode;
  let web: WebDriver;
  let home = '';
  const exec = new LocalExecutor();
  const direct = (host: string, p: string) => httpGet(node.webPort, host, p);
  const php = (memoryLimitMb: number, o: Partial<NonNullable<DesiredSite['php']>> = {}) => ({
    memoryLimitMb, uploadMaxMb: 16, postMaxMb: 20, maxExecutionSeconds: 30, maxInputVars: 1000, displayErrors: false, ...o,
  });
  const site = (id: string, domain: string, p: DesiredSite['php']): DesiredSite => ({
    id, domain, aliases: [], documentRoot: id, phpVersion: '8.2', httpsMode: 'http-only', status: 'active', php: p,
  });
  const state = (revision: number, sites: DesiredSite[]): DesiredState => ({
    revision,
    server: { id: 'server-1', name: 'web1', roles: ['web'] },
    web: { hostings: [{ id: H.id, name: H.name, uid: H.uid, home, status: 'active', php: { maxChildren: 1, memoryMb: 256 }, sites }], apacheInstances: 1, purges: [] },
  });
  const one = site('one', 'one.example.org', php(96, { displayErrors: true, maxInputVars: 1500 }));
  const two = site('two', 'two.example.org', php(200, { uploadMaxMb: 8, postMaxMb: 10, maxExecutionSeconds: 120 }));

  async function apply(s: DesiredState) {
    const r = await web.reconcile(s);
    assert.equal(r.error, undefined, r.error);
    for (const o of r.objects) assert.equal(o.status, 'live', `${o.kind} ${o.id}: ${o.message}`);
  }
  const ini = async (host: string) => {
    const r = await direct(host, '/ini.php');
    assert.equal(r.status, 200, r.body);
    return JSON.parse(r.body) as Record<string, string | number | boolean>;
  };

  before(async () => {
    node = await createTestNode(193_100, 2);
    home = path.join(node.root, 'home', H.name);
    const settings = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ...node.settings, ABRI_PHP_FPM: '8.2=/usr/sbin/php-fpm8.2' }).node;
    web = new WebDriver(exec, settings, nodeLayout(node.root), pino({ level: 'silent' }));
    await apply(state(1, [one, two]));
    for (const id of ['one', 'two']) await putAs(H, `${home}/var/www/${id}/ini.php`, INI_PHP, 0o644);
    // the customer's own attempt to raise its limits from an .htaccess (FastCGI variables)
    await putAs(H, `${home}/var/www/one/.htaccess`, 'SetEnv PHP_ADMIN_VALUE "memory_limit=3G"\nProxyFCGISetEnvIf "true" PHP_ADMIN_VALUE "memory_limit=2G"\nProxyFCGISetEnvIf "true" PHP_VALUE "memory_limit=1G"\n', 0o644);
  });

  after(async () => {
    await node?.cleanup();
  });

  test('the same worker serves both sites alternately; each request sees its own site\'s values', async () => {
    const pids = new Set<number | string | boolean>();
    for (let i = 0; i < 4; i++) {
      const a = await ini('one.example.org');
      assert.deepEqual([a.memory_limit, a.upload_max_filesize, a.post_max_size, a.max_execution_time, a.max_input_vars, a.display_errors], ['96M', '16M', '20M', '30', '1500', '1']);
      const b = await ini('two.example.org');
      assert.deepEqual([b.memory_limit, b.upload_max_filesize, b.post_max_size, b.max_execution_time, b.max_input_vars, b.display_errors], ['200M', '8M', '10M', '120', '1000', '0']);
      pids.add(a.pid).add(b.pid);
      for (const r of [a, b]) {
        assert.equal(r.raised, false, 'ini_set cannot raise memory_limit past the value the site was given');
        assert.equal(r.open_basedir, `${home}/`, 'the pool\'s own admin values stay');
      }
    }
    assert.equal(pids.size, 1, `one worker served every request (pm.max_children = 1): ${[...pids].join(', ')}`);
  });

  test('a changed setting is served at the next request, the other site keeps its own', async () => {
    await apply(state(2, [{ ...one, php: php(64, { displayErrors: false }) }, two]));
    assert.equal((await ini('one.example.org')).memory_limit, '64M');
    assert.equal((await ini('one.example.org')).display_errors, '0');
    assert.equal((await ini('two.example.org')).memory_limit, '200M');
    const [master] = fpmMasterDirs(node.root);
    const pool = await readFile(path.join(master!, 'pool.d', `${H.name}.conf`), 'utf8');
    assert.doesNotMatch(pool, /^php_\w+\[(memory_limit|upload_max_filesize|post_max_size|max_execution_time|max_input_vars|display_errors)\]/m, 'the shared pool sets none of the per-site keys');
    assert.match(pool, /request_terminate_timeout = 300s/);
  });

  test('a value that is not a number is refused on its site alone; the other site and the previous config keep serving', async () => {
    const bad = { ...one, php: { ...php(64), memoryLimitMb: '64M\nopen_basedir=/' as unknown as number } };
    const r = await web.reconcile(state(3, [bad, two]));
    const sites = new Map(r.objects.filter((o) => o.kind === 'site').map((o) => [o.id, o]));
    assert.equal(sites.get('one')?.status, 'error');
    assert.equal(sites.get('one')?.code, 'render.invalid');
    assert.equal(sites.get('two')?.status, 'live');
    assert.equal((await ini('two.example.org')).memory_limit, '200M');
    assert.notEqual((await direct('one.example.org', '/ini.php')).status, 200, 'the refused site is left out, never served with a forged value');
  });
});
