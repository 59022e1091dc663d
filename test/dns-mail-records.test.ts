// A mail domain whose DNS is elsewhere, checked against a real DNS: a throw-away PowerDNS plays the
// domain's DNS host (test/harness/pdns-world.ts) and Abri asks it as its resolver. The records the API
// lists (its DKIM key among them), once published there, are found; a second SPF or a wrong port is not
// taken for them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { startPdnsWorld, type PdnsWorld, type WorldRrset } from './harness/pdns-world.js';
import { findExecutable } from './harness/run.js';

const FILE = 'test/dns-mail-records.test.ts';
const missing = ['pdns_server', 'sqlite3'].filter((b) => !findExecutable(b));
if (missing.length && process.env.CI === 'true') test('DNS services are installed (CI=true)', () => { throw new Error(`missing: ${missing.join(', ')}`); });
else if (missing.length) console.warn(`\n*** SKIPPING ${FILE}: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

type Rec = { name: string; type: string; content: string; ok: boolean; found: string[] };

describe('the mail records of an external zone, checked against a real DNS', { skip: missing.length > 0 }, () => {
  let world: PdnsWorld;
  let m: TestManager;
  before(async () => {
    world = await startPdnsWorld();
    m = await startTestManager({ settings: { ABRI_PLATFORM_DOMAIN: 'abri-maildns.test', ABRI_DNS_RESOLVER: world.resolver } });
  });
  after(async () => {
    await m?.close();
    await world?.stop();
  });

  test('listed, then found once the domain\'s DNS host publishes them; a second SPF is not', async () => {
    await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['192.0.2.25'] });
    const { hosting } = await seedHosting(m);
    assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'ext-mail.test', dns: 'external' })).status, 201);
    const d = await m.api('POST', `/api/v1/hostings/${hosting.id}/mail-domains`, { name: 'ext-mail.test' });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    const toSet: Array<{ name: string; type: string; content: string }> = d.body.dns.records;
    const check = async () => (await m.api('GET', '/api/v1/zones/ext-mail.test/check')).body.required.filter((r: Rec) => r.type !== 'A' && r.type !== 'AAAA') as Rec[];
    assert.ok((await check()).every((r) => !r.ok), 'nothing published yet');

    // the DNS host publishes them as the customer typed them (TXT quoted by the DNS host, in strings of
    // at most 255 characters: the DKIM key is longer)
    const rrsets = (extra: WorldRrset[] = []): WorldRrset[] => [
      ...toSet.map((r) => ({ name: r.name, type: r.type, records: [r.type === 'TXT' ? (r.content.match(/.{1,255}/g) ?? []).map((p) => `"${p}"`).join(' ') : r.content] })).filter((r) => !extra.some((e) => e.name === r.name && e.type === r.type)),
      ...extra,
    ];
    await world.setZone('ext-mail.test', rrsets());
    const found = await check();
    assert.deepEqual(found.filter((r) => !r.ok).map((r) => `${r.name} ${r.type} ${r.found.join(',')}`), []);
    assert.equal(found.length, 11); // MX, SPF, DMARC, autoconfig, autodiscover, 5 SRV, DKIM
    assert.ok(found.some((r) => r.name.endsWith('._domainkey.ext-mail.test') && r.type === 'TXT' && r.content.startsWith('v=DKIM1; k=rsa; p=')), 'the DKIM key is checked too');

    // a second SPF (the old provider's) next to Abri's, and an SRV with another port: not set
    await world.setZone('ext-mail.test', rrsets([
      { name: 'ext-mail.test', type: 'TXT', records: ['"v=spf1 mx -all"', '"v=spf1 include:old.example -all"'] },
      { name: '_imaps._tcp.ext-mail.test', type: 'SRV', records: ['0 1 9993 mail-1.abri-maildns.test.'] },
    ]));
    assert.deepEqual((await check()).filter((r) => !r.ok).map((r) => `${r.name} ${r.type}`).sort(), ['_imaps._tcp.ext-mail.test SRV', 'ext-mail.test TXT']);
  });
});
