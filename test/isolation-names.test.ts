// Tenant isolation: a customer cannot take another customer's names (zones, names inside them,
// platform labels), and a claim without its proof takes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { assertProblem, ok, seed, settings, snapshotOfA } from './helpers/isolation.js';

for (const database of testDatabases()) {
  test(`a customer cannot take another customer's names: zones, sites in its zone, claims without proof, platform labels (${database.name})`, async (t) => {
    const m = await startTestManager({ database, settings: { ...settings, ABRI_PLATFORM_DOMAIN: 'abri-iso.test' } });
    t.after(() => m.close());
    const s = await seed(m);
    const asB = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: s.b.token });
    const labelA = await m.api('PATCH', `/api/v1/sites/${s.siteA.id}`, { platformSubdomain: 'alpha' });
    ok(labelA, 200, 'A takes a platform label');
    const zoneUnderSuffix = await m.api('POST', '/api/v1/zones', { name: 'alpha.github.io', customerId: s.customerA.id });
    ok(zoneUnderSuffix, 201, 'A\'s zone under a private public suffix');
    const before = await snapshotOfA(m, s);

    // the zone itself, a zone inside it, a zone around it
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'alpha-site.test' }), 409, /^zone\.taken$/, 'b adds A\'s zone');
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'ALPHA-SITE.test.' }), 409, /^zone\.taken$/, 'b adds A\'s zone, spelt otherwise');
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'sub.alpha-site.test' }), 400, /^zone\.invalid$/, 'b adds a zone inside A\'s');
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'beta.alpha.github.io' }), 400, /^zone\.invalid$/, 'b adds a zone inside A\'s (private suffix)');
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'github.io' }), 400, /^request\.validation$/, 'b adds the public suffix above A\'s zone');
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'abri-iso.test' }), 409, /^zone\.taken$/, 'b adds the platform\'s zone');
    // a site in A's zone, or on A's platform label
    for (const domain of ['x.alpha-site.test', 'www.alpha-site.test', 'x.alpha.github.io']) {
      const r = await asB('POST', `/api/v1/hostings/${s.hostingB.id}/sites`, { domain });
      assertProblem(r, 409, /^site\.(zone_taken|domain_taken)$/, `b's site ${domain}`);
    }
    assertProblem(await asB('PATCH', `/api/v1/sites/${s.siteB.id}`, { aliases: ['alias.alpha-site.test'] }), 409, /^site\.zone_taken$/, 'b aliases a name of A\'s zone');
    assertProblem(await asB('PATCH', `/api/v1/sites/${s.siteB.id}`, { platformSubdomain: 'alpha' }), 409, /^site\.domain_taken$/, 'b takes A\'s platform label');
    assertProblem(await asB('PATCH', `/api/v1/sites/${s.siteB.id}`, { platformSubdomain: 'www' }), 409, /^site\.platform_label_reserved$/, 'b takes a reserved label');
    // a claim is allowed, but without the proof it takes nothing
    const claim = await asB('POST', '/api/v1/zone-claims', { name: 'alpha-site.test' });
    ok(claim, 201, 'b claims A\'s domain');
    assert.equal(claim.body.heldByAnotherCustomer, true);
    assertProblem(await asB('POST', `/api/v1/zone-claims/${claim.body.id}/verify`), 409, /^claim\.not_proven$/, 'b verifies without proof');
    assertProblem(await asB('POST', '/api/v1/zone-claims', { name: 'alpha-site.test', customerId: s.customerA.id }), 404, /^customer\.not_found$/, 'b claims for A');
    // B's names in the isolated lists were not A's
    assert.deepEqual(await snapshotOfA(m, s), before, 'customer A\'s objects changed');
  });
}
