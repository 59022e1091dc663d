// Rules on sites: quotas, domains, PHP versions, HTTPS modes, document roots, uniqueness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';

for (const database of testDatabases()) {
  test(`site rules (${database.name})`, async (t) => {
    const m = await startTestManager({ database, settings: { ABRI_PHP_VERSIONS: '8.2,8.3' } });
    t.after(() => m.close());
    const { hosting, offer } = await seedHosting(m, { offer: { maxSites: 2, phpVersions: ['8.2'] } });
    const sites = `/api/v1/hostings/${hosting.id}/sites`;

    await t.test('IDN domains are stored in punycode and shown in Unicode; trailing dots are dropped', async () => {
      const r = await m.api('POST', sites, { domain: 'Crèche-Les-Lutins.FR.', aliases: ['www.crèche-les-lutins.fr', 'www.crèche-les-lutins.fr'] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.domain, 'xn--crche-les-lutins-upb.fr');
      assert.equal(r.body.domainUnicode, 'crèche-les-lutins.fr');
      assert.deepEqual(r.body.aliases, ['www.xn--crche-les-lutins-upb.fr']);
      assert.equal(r.body.documentRoot, 'crèche-les-lutins.fr', 'the default document root is the domain as people read it');
      assert.equal(r.body.phpVersion, '8.2');
      assert.equal(r.body.httpsMode, 'redirect', 'redirect is the default where the offer allows TLS');
    });

    await t.test('a domain or alias already used anywhere answers 409 site.domain_taken', async () => {
      for (const body of [{ domain: 'crèche-les-lutins.fr' }, { domain: 'WWW.xn--crche-les-lutins-upb.fr' }, { domain: 'other.fr', aliases: ['crèche-les-lutins.fr'] }]) {
        const r = await m.api('POST', sites, body);
        assert.equal(r.status, 409, JSON.stringify(body));
        assert.equal(r.body.code, 'site.domain_taken');
        assert.match(r.headers.get('content-type')!, /application\/problem\+json/);
      }
    });

    await t.test('invalid domains and document roots answer 400 with the field', async () => {
      for (const body of [{ domain: 'localhost' }, { domain: '192.168.1.10' }, { domain: 'a_b.org' }, { domain: 'exa\nmple.org' },
        { domain: 'ok.org', documentRoot: '../other' }, { domain: 'ok.org', documentRoot: '/etc' }, { domain: 'ok.org', aliases: ['bad..org'] }]) {
        const r = await m.api('POST', sites, body);
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(r.body.code, 'request.validation');
        assert.ok(r.body.errors.some((e: { path: string }) => /^body\.(domain|documentRoot|aliases)/.test(e.path)), JSON.stringify(r.body));
      }
    });

    await t.test('the PHP version must be one the offer allows', async () => {
      const r = await m.api('POST', sites, { domain: 'php83.org', phpVersion: '8.3' });
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'offer.php_version_not_allowed');
    });

    await t.test('quota: a site beyond the offer answers 409 quota.sites_exceeded', async () => {
      assert.equal((await m.api('POST', sites, { domain: 'second.org', documentRoot: '' })).status, 201);
      const r = await m.api('POST', sites, { domain: 'third.org' });
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'quota.sites_exceeded');
      const h = await m.api('GET', `/api/v1/hostings/${hosting.id}`);
      assert.deepEqual(h.body.usage.sites, { used: 2, max: 2 });
    });

    await t.test('changing a site: rename frees the old name; bad PHP rejected; delete frees names', async () => {
      const site = (await m.api('GET', '/api/v1/sites/second.org')).body;
      const r = await m.api('PATCH', `/api/v1/sites/${site.id}`, { domain: 'renamed.org', aliases: ['www.renamed.org'] });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.domain, 'renamed.org');
      assert.equal((await m.api('GET', '/api/v1/sites/second.org')).status, 404);
      assert.equal((await m.api('PATCH', `/api/v1/sites/${site.id}`, { phpVersion: '8.3' })).body.code, 'offer.php_version_not_allowed');
      assert.equal((await m.api('DELETE', `/api/v1/sites/${site.id}`)).status, 204);
      assert.equal((await m.api('POST', sites, { domain: 'www.renamed.org' })).status, 201);
    });

    await t.test('HTTPS modes other than http-only need an offer with TLS', async () => {
      const { hosting: h2 } = await seedHosting(m, { offer: { tlsAllowed: false } });
      const p = `/api/v1/hostings/${h2.id}/sites`;
      const r = await m.api('POST', p, { domain: 'notls.org', httpsMode: 'redirect' });
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'offer.tls_not_allowed');
      const ok = await m.api('POST', p, { domain: 'notls.org' });
      assert.equal(ok.body.httpsMode, 'http-only');
      assert.equal((await m.api('PATCH', `/api/v1/sites/${ok.body.id}`, { httpsMode: 'both' })).status, 409);
    });

    await t.test('offers only list PHP versions the platform has; hosting offer change checks usage', async () => {
      const bad = await m.api('POST', '/api/v1/offers', { ...offer, id: undefined, createdAt: undefined, updatedAt: undefined, name: 'x', phpVersions: ['7.4'] });
      assert.equal(bad.status, 400);
      const small = (await m.api('POST', '/api/v1/offers', { ...strip(offer), name: 'Tiny', maxSites: 1 })).body;
      const r = await m.api('PATCH', `/api/v1/hostings/${hosting.id}`, { offerId: small.id });
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'quota.sites_exceeded');
    });

    await t.test('terminating a hosting removes its sites and frees their names; a terminated hosting refuses new sites', async () => {
      const r = await m.api('DELETE', `/api/v1/hostings/${hosting.id}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.status, 'terminated');
      assert.equal((await m.api('POST', sites, { domain: 'after.org' })).body.code, 'hosting.terminated');
      const { hosting: h3, customer: c3 } = await seedHosting(m);
      // the name is free, but its zone stays the former customer's (their mail records may live there)
      const taken = await m.api('POST', `/api/v1/hostings/${h3.id}/sites`, { domain: 'crèche-les-lutins.fr' });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.code, 'site.zone_taken');
      // until staff hand the zone over
      assert.equal((await m.api('PATCH', '/api/v1/zones/crèche-les-lutins.fr', { customerId: c3.id })).status, 200);
      assert.equal((await m.api('POST', `/api/v1/hostings/${h3.id}/sites`, { domain: 'crèche-les-lutins.fr' })).status, 201);
      assert.equal(h3.uid, hosting.uid + 2, 'uids are allocated in sequence and never reused');
    });
  });
}

function strip(o: Record<string, unknown>) {
  const { id, createdAt, updatedAt, ...rest } = o;
  void id; void createdAt; void updatedAt;
  return rest;
}
