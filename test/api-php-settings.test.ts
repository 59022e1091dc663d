// Per-site PHP settings through the API (applied for real by test/web-php-settings.test.ts): sizes
// parsed, the offer's bounds, post_max_size ≥ upload_max_filesize, defaults, a lowered offer, what
// the web server is sent, and another customer's (and a read-only member's) attempts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';
import { effectivePhp, patchPhp } from '../src/hosting/rules-php.js';
import { sizeMb } from '../src/hosting/model-php.js';

test('PHP settings rules: sizes, defaults, bounds, a lowered bound', () => {
  assert.deepEqual(['256M', '1G', '2g', '64m'].map(sizeMb), [256, 1024, 2048, 64]);
  const b = { phpMemoryMb: 256, phpUploadMaxMb: 64, phpMaxExecutionSeconds: 300 };
  assert.deepEqual(effectivePhp({}, b), { memoryLimitMb: 256, uploadMaxMb: 64, postMaxMb: 64, maxExecutionSeconds: 30, maxInputVars: 1000, displayErrors: false });
  assert.deepEqual(effectivePhp({ postMaxMb: 16 }, b).uploadMaxMb, 16, 'uploads default to the POST size when it is lower');
  assert.deepEqual(effectivePhp({ memoryLimitMb: 512 }, b).memoryLimitMb, 256, 'a bound lowered since is served');
  assert.throws(() => patchPhp({}, { memoryLimit: '512M' }, b, 'Starter'), /memory_limit may be at most 256M/);
  assert.throws(() => patchPhp({}, { uploadMaxFilesize: '32M', postMaxSize: '16M' }, b, 'Starter'), (e: { code: string }) => e.code === 'php.post_below_upload');
  assert.deepEqual(patchPhp({ memoryLimitMb: 128, displayErrors: true }, { memoryLimit: null }, b, 'Starter'), { displayErrors: true });
});

for (const database of testDatabases()) {
  test(`PHP settings of sites (${database.name})`, async (t) => {
    const m = await startTestManager({ database });
    t.after(() => m.close());
    const server = (await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.10'] })).body;
    const a = await seedHosting(m, { customer: 'Alpha', offer: { phpMemoryMb: 512, phpUploadMaxMb: 128, phpMaxExecutionSeconds: 120 } });
    const b = await seedHosting(m, { customer: 'Bravo' });
    const owner = await m.user('owner@alpha.test');
    assert.equal((await m.join(a.customer.id, 'owner@alpha.test', 'owner')).status, 201);
    const reader = await m.user('reader@alpha.test');
    assert.equal((await m.join(a.customer.id, 'reader@alpha.test', 'readonly')).status, 201);
    const other = await m.user('owner@bravo.test');
    assert.equal((await m.join(b.customer.id, 'owner@bravo.test', 'owner')).status, 201);
    const asA = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: owner.token });
    const site = (await asA('POST', `/api/v1/hostings/${a.hosting.id}/sites`, { domain: 'php.alpha.test' })).body;
    const second = (await asA('POST', `/api/v1/hostings/${a.hosting.id}/sites`, { domain: 'two.alpha.test' })).body;
    const url = `/api/v1/sites/${site.id}/php`;

    await t.test('defaults come from the offer; the bounds are shown', async () => {
      const r = await asA('GET', url);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.values, { memoryLimit: '512M', uploadMaxFilesize: '128M', postMaxSize: '128M', maxExecutionTime: 30, maxInputVars: 1000, displayErrors: false });
      assert.deepEqual(r.body.chosen, {});
      assert.deepEqual(r.body.max, { memoryLimit: '512M', uploadMaxFilesize: '128M', postMaxSize: '128M', maxExecutionTime: 120, maxInputVars: 100000 });
    });

    await t.test('values are parsed and bounded with clear errors; nothing reaches a config but numbers', async () => {
      for (const [body, code, path] of [
        [{ memoryLimit: '1T' }, 'request.validation', 'body.memoryLimit'], [{ memoryLimit: '128' }, 'request.validation', 'body.memoryLimit'],
        [{ memoryLimit: '-1' }, 'request.validation', 'body.memoryLimit'], [{ memoryLimit: '128M\nopen_basedir=/' }, 'request.validation', 'body.memoryLimit'],
        [{ memoryLimit: '128M;x' }, 'request.validation', 'body.memoryLimit'], [{ memoryLimit: '"128M"' }, 'request.validation', 'body.memoryLimit'],
        [{ maxExecutionTime: 0 }, 'request.validation', 'body.maxExecutionTime'], [{ maxExecutionTime: '30' }, 'request.validation', 'body.maxExecutionTime'],
        [{ displayErrors: 'on' }, 'request.validation', 'body.displayErrors'], [{ openBasedir: '/' }, 'request.validation', ''],
        [{ memoryLimit: '1G' }, 'php.above_offer', 'body.memoryLimit'], [{ maxExecutionTime: 121 }, 'php.above_offer', 'body.maxExecutionTime'],
        [{ uploadMaxFilesize: '256M', postMaxSize: '256M' }, 'php.above_offer', 'body.uploadMaxFilesize'],
        [{ uploadMaxFilesize: '64M', postMaxSize: '32M' }, 'php.post_below_upload', 'body.postMaxSize'],
      ] as Array<[Record<string, unknown>, string, string]>) {
        const r = await asA('PATCH', url, body);
        assert.equal(r.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.code, code, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
        if (path) assert.ok(r.body.errors?.some((e: { path: string }) => e.path === path), JSON.stringify(r.body));
      }
      const over = await asA('PATCH', url, { memoryLimit: '1G' });
      assert.deepEqual(over.body.params, { setting: 'memory_limit', max: '512M', offer: a.offer.name });
    });

    await t.test('a change is stored, audited and sent to the web server with the site; null goes back to the default', async () => {
      const r = await asA('PATCH', url, { memoryLimit: '384M', uploadMaxFilesize: '32M', postMaxSize: '48M', maxExecutionTime: 90, maxInputVars: 5000, displayErrors: true });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.values, { memoryLimit: '384M', uploadMaxFilesize: '32M', postMaxSize: '48M', maxExecutionTime: 90, maxInputVars: 5000, displayErrors: true });
      const audit = await m.api('GET', `/api/v1/audit?q=site.php`);
      assert.ok(audit.body.items.some((e: { action: string; target: string }) => e.action === 'site.php' && e.target === 'php.alpha.test'), JSON.stringify(audit.body));
      await m.api('PATCH', `/api/v1/hostings/${a.hosting.id}`, { serverId: server.id });
      const state = await buildDesiredState(m.manager.app.db, { platformDomain: null, apacheInstances: 1, dns: m.manager.app.config.dns } as never, server.id);
      const sites = state.web!.hostings.find((h) => h.id === a.hosting.id)!.sites;
      assert.deepEqual(sites.find((s) => s.id === site.id)!.php, { memoryLimitMb: 384, uploadMaxMb: 32, postMaxMb: 48, maxExecutionSeconds: 90, maxInputVars: 5000, displayErrors: true });
      assert.deepEqual(sites.find((s) => s.id === second.id)!.php!.memoryLimitMb, 512, 'the other site keeps the default');
      const back = await asA('PATCH', url, { displayErrors: null, memoryLimit: null });
      assert.deepEqual([back.body.values.displayErrors, back.body.values.memoryLimit, back.body.chosen.memoryLimit], [false, '512M', undefined]);
    });

    await t.test('staff lower the offer: the site is served at the new bound, and told so', async () => {
      await asA('PATCH', url, { memoryLimit: '500M' });
      assert.equal((await m.api('PATCH', `/api/v1/offers/${a.offer.id}`, { phpMemoryMb: 256 })).status, 200);
      const r = await asA('GET', url);
      assert.deepEqual([r.body.values.memoryLimit, r.body.chosen.memoryLimit, r.body.lowered], ['256M', '500M', ['memoryLimit']]);
    });

    await t.test('another customer cannot read or change them; a read-only member reads only', async () => {
      const asB = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: other.token });
      for (const ref of [site.id, site.domain]) {
        assert.equal((await asB('GET', `/api/v1/sites/${ref}/php`)).status, 404);
        const w = await asB('PATCH', `/api/v1/sites/${ref}/php`, { memoryLimit: '16M' });
        assert.equal(w.status, 404);
        assert.equal(w.body.code, 'site.not_found');
      }
      const asReader = (method: string, body?: unknown) => m.api(method, url, body, { token: reader.token });
      assert.equal((await asReader('GET')).status, 200);
      assert.equal((await asReader('PATCH', { memoryLimit: '16M' })).status, 403);
      assert.equal((await asA('GET', url)).body.chosen.memoryLimit, '500M', 'unchanged');
    });

    await t.test('a suspended hosting\'s settings are read-only for its customer', async () => {
      assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/suspend`, {})).status, 200);
      const r = await asA('PATCH', url, { maxInputVars: 2000 });
      assert.equal(r.body.code, 'hosting.suspended', JSON.stringify(r.body));
    });
  });
}
