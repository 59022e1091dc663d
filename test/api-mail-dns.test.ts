// The DNS records of mail domains: in a zone Abri publishes they appear with the mail domain and go
// with it (MX, SPF, DMARC, autoconfig/autodiscover, SRV with the platform's mail ports, ManageSieve's too, the mail
// server's address under the platform's domain), the customer cannot override them, and the
// customer's own MX/SPF come back once the mail domain is gone; for external DNS, the records to set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';
import { quoteTxt } from '../src/dns/records.js';

const PORTS = 'smtp=25,submission=10587,smtps=10465,imap=143,imaps=10993,pop3=110,pop3s=10995,sieve=14190,replies=10026';
type Rec = { name: string; type: string; content: string; managed: boolean; purpose: string | null };

/** A loopback UDP port nobody listens on: the DNS checks fail at once (refused), never by timing out. */
async function closedPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((ok) => s.bind(0, '127.0.0.1', ok));
  const { port } = s.address();
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

for (const database of testDatabases()) {
  test(`mail records in zones (${database.name})`, async (t) => {
    const m = await startTestManager({ database, settings: { ABRI_MAIL_PORTS: PORTS, ABRI_PLATFORM_DOMAIN: 'abri-maildns.test', ABRI_DNS_RESOLVER: `127.0.0.1:${await closedPort()}` } });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const { a, b, asA, asB } = await alphaAndBravo(m);
    assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/sites`, { domain: 'alpha-dns.test' })).status, 201);
    assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/sites`, { domain: 'alpha-ext.test', dns: 'external' })).status, 201);
    assert.equal((await m.api('POST', `/api/v1/hostings/${b.hosting.id}/sites`, { domain: 'bravo-dns.test' })).status, 201);
    await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['192.0.2.25', '2001:db8::25'] });
    const dnsServer = (await m.api('POST', '/api/v1/servers', { name: 'ns-1', roles: ['dns'], addresses: ['192.0.2.53'] })).body;
    const zone = (await asA('GET', '/api/v1/zones/alpha-dns.test')).body;
    const records = async (as = asA, z = zone.id): Promise<Rec[]> => (await as('GET', `/api/v1/zones/${z}/records?limit=200`)).body.items;
    const mailOf = (rs: Rec[]) => rs.filter((r) => r.purpose === 'mail' || r.purpose === 'spf').map((r) => `${r.name} ${r.type} ${r.content}`).sort();
    const published = async (name: string) => (await buildDesiredState(db, m.manager.app.config, dnsServer.id)).dns!.zones.find((z) => z.name === name)!.rrsets;

    // the customer's own mail records, from before (mail hosted elsewhere), and a verification TXT
    for (const body of [{ name: '@', type: 'MX', content: '10 mx.elsewhere.test' }, { name: '@', type: 'TXT', content: 'v=spf1 include:elsewhere.test -all' }, { name: '@', type: 'TXT', content: 'site-verification=abc' }]) {
      assert.equal((await asA('POST', `/api/v1/zones/${zone.id}/records`, body)).status, 201, JSON.stringify(body));
    }
    const revision = async () => Number((await db.selectFrom('zones').select('revision').where('id', '=', zone.id).executeTakeFirstOrThrow()).revision);
    const before = await revision();

    await t.test('a mail domain brings its records, kept by the platform, with the mail ports', async () => {
      const r = await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alpha-dns.test' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual([r.body.dns.zone, r.body.dns.managed], ['alpha-dns.test', true]);
      const host = 'mail-1.abri-maildns.test.';
      assert.deepEqual(mailOf(await records()), [
        `_dmarc.alpha-dns.test TXT "v=DMARC1; p=none"`,
        `_imaps._tcp.alpha-dns.test SRV 0 1 10993 ${host}`,
        `_pop3s._tcp.alpha-dns.test SRV 0 1 10995 ${host}`,
        `_sieve._tcp.alpha-dns.test SRV 0 1 14190 ${host}`,
        `_submission._tcp.alpha-dns.test SRV 0 1 10587 ${host}`,
        `_submissions._tcp.alpha-dns.test SRV 0 1 10465 ${host}`,
        `${r.body.dkim.keys[0].name} TXT ${quoteTxt(r.body.dkim.keys[0].content)}`, // its DKIM key (api-mail-dkim.test.ts)
        `alpha-dns.test MX 10 ${host}`,
        `alpha-dns.test TXT "v=spf1 mx -all"`,
        `autoconfig.alpha-dns.test CNAME ${host}`,
        `autodiscover.alpha-dns.test CNAME ${host}`,
      ]);
      assert.ok((await records()).filter((x) => x.purpose === 'mail' || x.purpose === 'spf').every((x) => x.managed));
      assert.ok((await revision()) > before, 'the zone is stamped with the change: its DNS servers publish it');
      // what the DNS servers publish: Abri's MX and one SPF (the customer's other TXT kept), the mail server's address in the platform's zone
      const rrsets = await published('alpha-dns.test');
      assert.deepEqual(rrsets.find((s) => s.name === 'alpha-dns.test' && s.type === 'MX')!.records, [`10 ${host}`]);
      assert.deepEqual(rrsets.find((s) => s.name === 'alpha-dns.test' && s.type === 'TXT')!.records, ['"site-verification=abc"', '"v=spf1 mx -all"']);
      const platform = await published('abri-maildns.test');
      assert.deepEqual(platform.filter((s) => s.name === 'mail-1.abri-maildns.test').map((s) => `${s.type} ${s.records.join(',')}`), ['A 192.0.2.25', 'AAAA 2001:db8::25']);
    });

    await t.test('the customer can neither override nor double them; other records still go in', async () => {
      for (const [body, code] of [
        [{ name: '@', type: 'MX', content: '5 mx.evil.test' }, 'record.managed_conflict'],
        [{ name: '@', type: 'TXT', content: 'v=spf1 +all' }, 'record.managed_conflict'],
        [{ name: '_dmarc', type: 'TXT', content: 'v=DMARC1; p=reject' }, 'record.managed_conflict'],
        [{ name: 'autoconfig', type: 'CNAME', content: 'evil.test' }, 'record.managed_conflict'],
        [{ name: 'autodiscover', type: 'A', content: '203.0.113.9' }, 'record.cname_conflict'],
        [{ name: '_imaps._tcp', type: 'SRV', content: '0 1 993 evil.test' }, 'record.managed_conflict'],
      ] as const) {
        assert.equal((await asA('POST', `/api/v1/zones/${zone.id}/records`, body)).body.code, code, JSON.stringify(body));
      }
      assert.equal((await asA('POST', `/api/v1/zones/${zone.id}/records`, { name: '@', type: 'TXT', content: 'other-verification=1' })).status, 201);
      // managed records have no id: nothing to change or delete
      assert.ok((await records()).filter((x) => x.managed).every((x) => (x as unknown as { id: string | null }).id === null));
    });

    await t.test('another customer sees none of it', async () => {
      assert.equal((await asB('GET', `/api/v1/zones/${zone.id}/records`)).status, 404);
      const bz = (await asB('GET', '/api/v1/zones/bravo-dns.test')).body;
      assert.deepEqual(mailOf(await records(asB, bz.id)), []);
      assert.equal((await asB('POST', `/api/v1/hostings/${b.hosting.id}/mail-domains`, { name: 'alpha-dns.test' })).body.code, 'mail_domain.not_in_hosting');
    });

    await t.test('external DNS: the records to set are listed, and checked', async () => {
      const r = await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alpha-ext.test' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.dns.managed, false);
      const shown = r.body.dns.records.map((x: Rec) => `${x.name} ${x.type} ${x.content}`);
      assert.ok(shown.includes('alpha-ext.test MX 10 mail-1.abri-maildns.test.') && shown.includes('alpha-ext.test TXT v=spf1 mx -all') && shown.includes('_dmarc.alpha-ext.test TXT v=DMARC1; p=none'), shown.join('\n'));
      const check = (await asA('GET', '/api/v1/zones/alpha-ext.test/check')).body;
      const required = check.required.filter((x: Rec) => x.type !== 'A' && x.type !== 'AAAA').map((x: Rec) => `${x.name} ${x.type} ${x.content}`);
      assert.deepEqual(required.sort(), [...shown].sort());
      assert.equal(check.ok, false);
      assert.ok(check.required.every((x: { ok: boolean }) => !x.ok));
      assert.equal((await buildDesiredState(db, m.manager.app.config, dnsServer.id)).dns!.zones.find((z) => z.name === 'alpha-ext.test'), undefined, 'an external zone is not published');
    });

    await t.test('a site cannot take the mail server\'s name in the platform\'s zone', async () => {
      const r = await asA('POST', `/api/v1/hostings/${a.hosting.id}/sites`, { domain: 'other-alpha.test', platformSubdomain: 'mail-1' });
      assert.equal(r.body.code, 'site.platform_label_reserved', JSON.stringify(r.body));
    });

    await t.test('the mail server renamed: its records follow', async () => {
      const was = await revision();
      const mail = (await m.api('GET', '/api/v1/servers/mail-1')).body;
      assert.equal((await m.api('PATCH', `/api/v1/servers/${mail.id}`, { name: 'mail-one' })).status, 200);
      assert.ok((await revision()) > was, 'the zones are published again');
      assert.ok(mailOf(await records()).includes('alpha-dns.test MX 10 mail-one.abri-maildns.test.'));
      assert.deepEqual((await published('abri-maildns.test')).filter((s) => s.name.startsWith('mail-')).map((s) => `${s.name} ${s.type}`), ['mail-one.abri-maildns.test A', 'mail-one.abri-maildns.test AAAA']);
    });

    await t.test('removing the mail domain removes them; the customer\'s own come back', async () => {
      assert.equal((await asA('DELETE', '/api/v1/mail-domains/alpha-dns.test')).status, 204);
      assert.deepEqual(mailOf(await records()), []);
      const rrsets = await published('alpha-dns.test');
      assert.deepEqual(rrsets.find((s) => s.name === 'alpha-dns.test' && s.type === 'MX')!.records, ['10 mx.elsewhere.test.']);
      assert.ok(rrsets.find((s) => s.name === 'alpha-dns.test' && s.type === 'TXT')!.records.includes('"v=spf1 include:elsewhere.test -all"'));
      assert.equal(rrsets.find((s) => s.name === '_dmarc.alpha-dns.test'), undefined);
    });
  });
}
