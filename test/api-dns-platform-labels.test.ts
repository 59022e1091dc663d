// Issue 9, finding 2: platform names taken from staff. A customer's platformSubdomain deleted the
// staff's records of the platform zone (mx30d, statusmx30d: A, AAAA, CNAME) and took the name; www,
// ns1, ns2, mail were accepted too. Now: names the platform uses are reserved (ABRI_RESERVED_LABELS
// and the platform's own host names), and a label never replaces a record someone else put there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { seedHosting } from './helpers/manager.js';
import { allRecords, dnsSettings, dnsWorld, expectProblem, expectStatus } from './helpers/dns.js';

const PD = dnsSettings.ABRI_PLATFORM_DOMAIN;

for (const database of testDatabases()) {
  test(`platform labels never take the staff's names (${database.name})`, async (t) => {
    const w = await dnsWorld(database, { ABRI_EDGE_HOSTNAME: `edge.${PD}`, ABRI_PUBLIC_URL: `https://console.${PD}` });
    const { m } = w;
    t.after(() => m.close());
    // the attacker: another customer's owner, with a hosting of their own
    const other = await seedHosting(m, { customer: 'Mallory SARL', offer: { maxSites: 20 } });
    const mallory = await m.user('owner@mallory.test');
    expectStatus(await m.join(other.customer.id, 'owner@mallory.test', 'owner'), 201);
    const asMallory = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: mallory.token });
    const sites = `/api/v1/hostings/${other.hosting.id}/sites`;

    // the staff's own records in the platform zone
    const staff = [
      { name: 'mx30d', type: 'A', content: '198.51.100.30' }, { name: 'mx30d', type: 'AAAA', content: '2001:db8::30' },
      { name: 'statusmx30d', type: 'CNAME', content: 'status.example.net' }, { name: 'lab', type: 'TXT', content: 'the lab' },
      { name: '_dmarc.reports', type: 'TXT', content: 'v=DMARC1; p=none' },
    ];
    for (const r of staff) expectStatus(await m.api('POST', `/api/v1/zones/${PD}/records`, r), 201, `${r.name} ${r.type}`);
    const staffRecords = async () => (await allRecords(m, PD)).filter((r) => !r.managed).map((r) => `${r.relativeName} ${r.type} ${r.content}`).sort();
    const before = await staffRecords();
    assert.equal(before.length, staff.length);

    await t.test('names the platform uses are reserved, for customers and staff alike', async () => {
      for (const label of ['www', 'ns1', 'ns2', 'mail', 'mx30d', 'webmail', 'autoconfig', 'autodiscover', 'status', 'manager', 'api', 'edge', 'console']) {
        const r = await asMallory('POST', sites, { domain: `${label}-site.example.org`, platformSubdomain: label });
        expectProblem(r, 409, 'site.platform_label_reserved', 'body.platformSubdomain', label);
        assert.match(r.body.detail, new RegExp(`${label}\\.${PD.replace(/\./g, '\\.')}`), 'the problem names the name');
      }
      expectProblem(await m.api('POST', `/api/v1/hostings/${w.hosting.id}/sites`, { domain: 'staff-site.example.org', platformSubdomain: 'www' }), 409, 'site.platform_label_reserved');
    });

    await t.test('a label never replaces a record someone else put in the platform zone', async () => {
      for (const label of ['statusmx30d', 'lab', 'reports']) {
        expectProblem(await asMallory('POST', sites, { domain: `${label}-site.example.org`, platformSubdomain: label }), 409, 'site.platform_label_taken', 'body.platformSubdomain', label);
      }
      // nor through a change of an existing site
      const site = expectStatus(await asMallory('POST', sites, { domain: 'mallory.example.org' }), 201);
      expectProblem(await asMallory('PATCH', `/api/v1/sites/${site.id}`, { platformSubdomain: 'statusmx30d' }), 409, 'site.platform_label_taken');
      expectProblem(await asMallory('PATCH', `/api/v1/sites/${site.id}`, { platformSubdomain: 'mx30d' }), 409, 'site.platform_label_reserved');
      assert.deepEqual(await staffRecords(), before, 'the staff\'s records are all there');
      const deleted = expectStatus(await m.api('GET', '/api/v1/audit?action=record.delete&limit=100'), 200);
      assert.equal(deleted.total, 0, 'no record was deleted, by anyone');
    });

    await t.test('labels the edge could not render are refused at the API (finding 4)', async () => {
      for (const label of ['xn--zz', 'xn--a', 'xn--0', 'xn--abc', 'a.b', 'bѕecret', '♥']) {
        const r = await asMallory('POST', sites, { domain: `bad-label-${Math.random().toString(36).slice(2, 8)}.example.org`, platformSubdomain: label });
        expectProblem(r, 400, 'request.validation', 'body.platformSubdomain', label);
      }
    });

    await t.test('a free label is given, in Unicode too, and shown as people read it', async () => {
      const r = expectStatus(await asMallory('POST', sites, { domain: 'cafe-site.example.org', platformSubdomain: 'Café' }), 201);
      assert.equal(r.platformSubdomain, 'xn--caf-dma');
      assert.equal(r.platformName, `xn--caf-dma.${PD}`);
      assert.equal(r.platformNameUnicode, `café.${PD}`);
      // the platform's wildcard serves it: the zone holds no record of its own for it
      const names = (await allRecords(m, PD)).map((x) => x.relativeName);
      assert.ok(!names.includes('xn--caf-dma'));
      // and a label in use is another site's: taken
      expectProblem(await m.api('POST', `/api/v1/hostings/${w.hosting.id}/sites`, { domain: 'second-cafe.example.org', platformSubdomain: 'café' }), 409, 'site.domain_taken');
    });

    await t.test('the platform zone stays the staff\'s: customers neither read nor change it', async () => {
      expectProblem(await asMallory('GET', `/api/v1/zones/${PD}/records`), 404, 'zone.not_found');
      expectProblem(await asMallory('POST', `/api/v1/zones/${PD}/records`, { name: 'grab', type: 'A', content: '192.0.2.66' }), 404, 'zone.not_found');
      expectProblem(await asMallory('POST', '/api/v1/zones', { name: PD }), 409, 'zone.taken');
      expectProblem(await asMallory('POST', '/api/v1/zone-claims', { name: PD }), 409, 'zone.taken');
      assert.deepEqual(await staffRecords(), before);
    });
  });
}
