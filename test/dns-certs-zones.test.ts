// Integration: DNS zones on a real PowerDNS primary (run by Abri's agent) and secondary (an
// autosecondary fed by NOTIFY/AXFR): they agree after a change, every record type arrives as typed,
// a zone deleted behind Abri's back comes back, a renumbering goes through in bulk (the agent sends
// the NOTIFYs itself) and leaves the secondary holding every record as the primary does.
// (dns-certs-acme: the certificates.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { until } from './helpers/node.js';
import { missingDnsCertsServices, useDnsCertsEnvironment } from './helpers/dns-certs.js';
import { dig, pdnsRecords } from './harness/pdns-secondary.js';

const missing = missingDnsCertsServices('test/dns-certs-zones.test.ts');

describe('DNS on PowerDNS: primary and secondary', { skip: missing.length > 0 }, () => {
  const { e, primary, api, addSite, pdnsApi } = useDnsCertsEnvironment({ uidBase: 194_700, acme: false });

  test('the zone is served by the primary and the secondary, and they agree after a change', async () => {
    await addSite({ domain: 'shop-abri.test', aliases: ['www.shop-abri.test'], httpsMode: 'redirect' });
    await until('the primary has the zone', async () => (await dig(primary, 'shop-abri.test', 'A')).length > 0, 30_000);
    const zone = (await api('GET', '/api/v1/zones/shop-abri.test')).body;
    assert.equal(zone.dns, 'managed');
    assert.deepEqual(await dig(primary, 'shop-abri.test', 'A'), ['127.0.0.1']);
    assert.deepEqual(await dig(primary, 'shop-abri.test', 'MX'), ['10 mx.abri.test.']);
    await until('secondary has the zone', async () => (await dig(e.secondary, 'www.shop-abri.test', 'A')).join() === '127.0.0.1', 20_000);
    const added = await api('POST', `/api/v1/zones/${zone.id}/records`, { name: 'blog', type: 'CNAME', content: 'shop-abri.test' });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    await until('secondary answers the new record', async () => (await dig(e.secondary, 'blog.shop-abri.test', 'CNAME')).join() === 'shop-abri.test.', 20_000);
    assert.deepEqual(await dig(primary, 'blog.shop-abri.test', 'CNAME'), ['shop-abri.test.']);
    const check = (await api('GET', `/api/v1/zones/${zone.id}/check`)).body;
    assert.equal(check.ok, true, JSON.stringify(check));
    assert.deepEqual(check.nameservers.map((n: { role: string }) => n.role).sort(), ['primary', 'secondary']);
    assert.equal(new Set(check.nameservers.map((n: { serial: number }) => n.serial)).size, 1);
    const state = await until('zone live', async () => {
      const z = (await api('GET', `/api/v1/zones/${zone.id}`)).body;
      return z.provisioning.status === 'live' && z;
    }, 20_000);
    assert.equal(state.provisioning.status, 'live');
  });

  test('every record type reaches the primary and the secondary as typed; applying again changes nothing', async () => {
    await addSite({ domain: 'own-abri.test', aliases: ['www.own-abri.test'], httpsMode: 'both' });
    const zone = (await api('GET', '/api/v1/zones/own-abri.test')).body;
    const add = async (name: string, type: string, content: string) => {
      const r = await api('POST', `/api/v1/zones/${zone.id}/records`, { name, type, content });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };
    await add('@', 'TXT', 'google-site-verification=abc "quoted" é');
    await add('_dmarc', 'TXT', 'v=DMARC1; p=none');
    await add('@', 'CAA', '0 issue letsencrypt.org');
    await add('v6', 'AAAA', '2001:DB8:0:0::10');
    await add('_sip._tcp', 'SRV', '10 5 5060 sip.own-abri.test');
    await add('sub', 'NS', 'ns.elsewhere.example');
    await add('long', 'TXT', 'x'.repeat(300));
    const expected: Array<[string, string, string[]]> = [
      ['own-abri.test', 'CAA', ['0 issue "letsencrypt.org"']],
      ['v6.own-abri.test', 'AAAA', ['2001:db8::10']],
      ['_sip._tcp.own-abri.test', 'SRV', ['10 5 5060 sip.own-abri.test.']],
      ['_dmarc.own-abri.test', 'TXT', ['"v=DMARC1; p=none"']],
    ];
    for (const [name, type, answer] of expected) {
      await until(`${type} ${name} on the secondary`, async () => (await dig(e.secondary, name, type)).join() === answer.join(), 20_000);
      assert.deepEqual(await dig(primary, name, type), answer);
    }
    assert.ok((await dig(primary, 'own-abri.test', 'TXT')).some((t) => t.includes(String.raw`google-site-verification=abc \"quoted\" \195\169`)), 'quotes and UTF-8 bytes escaped');
    assert.deepEqual((await dig(primary, 'long.own-abri.test', 'TXT'))[0]!.split('" "').map((p) => p.replace(/"/g, '').length), [255, 45]);
    // the content Abri keeps is the content PowerDNS answers: a second apply patches nothing
    const serial = async () => Number((await dig(primary, 'own-abri.test', 'SOA'))[0]!.split(' ')[2]);
    await until('zone live', async () => (await api('GET', `/api/v1/zones/${zone.id}`)).body.provisioning.status === 'live', 20_000);
    const before = await serial();
    const agent = e.m.manager.agent!;
    const applied = agent.applied;
    const state = await (await import('../src/agent/store.js')).buildDesiredState(e.m.manager.app.db, e.m.manager.app.config, (await api('GET', '/api/v1/servers')).body.items[0].id);
    await agent.apply(state);
    await agent.apply(state);
    assert.ok(agent.applied >= applied + 2);
    assert.equal(await serial(), before, 'the zone was not changed again');
  });

  test('a zone deleted behind Abri\'s back comes back (drift repair)', async () => {
    const { key, port } = await pdnsApi();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/servers/localhost/zones/own-abri.test.`, { method: 'DELETE', headers: { 'X-API-Key': key } });
    assert.equal(res.status, 204);
    assert.deepEqual(await dig(primary, 'own-abri.test', 'A'), []);
    await until('zone recreated', async () => (await dig(primary, 'own-abri.test', 'A')).join() === '127.0.0.1', 30_000);
    // recreated above its former serial: the secondary, which kept the zone, takes the new one
    const [p, s] = await Promise.all([dig(primary, 'own-abri.test', 'SOA'), dig(e.secondary, 'own-abri.test', 'SOA')]);
    assert.ok(Number(p[0]!.split(' ')[2]) >= Number(s[0]!.split(' ')[2]), `primary ${p[0]} is not behind the secondary ${s[0]}`);
  });

  test('renumbering the edge changes every zone at once (in bulk), on the primary and the secondary', async () => {
    await addSite({ domain: 'bulk-abri.test', httpsMode: 'both' }); // a fourth managed zone, with the platform's and the two above
    const local = (await api('GET', '/api/v1/servers')).body.items[0];
    const zones = (await api('GET', '/api/v1/zones?limit=100')).body.items.filter((z: { dns: string }) => z.dns === 'managed').map((z: { name: string }) => z.name);
    assert.ok(zones.length >= 4, `${zones.length} zones`);
    const serial = async (zone: string) => Number((await dig(primary, zone, 'SOA'))[0]!.split(' ')[2]);
    const before = await serial('own-abri.test');
    assert.equal((await api('PATCH', `/api/v1/servers/${local.id}`, { publicAddresses: ['127.0.0.2'] })).status, 200);
    for (const zone of zones) {
      await until(`${zone} renumbered on the secondary`, async () => (await dig(e.secondary, zone, 'A')).join() === '127.0.0.2', 30_000);
      assert.deepEqual(await dig(primary, zone, 'A'), ['127.0.0.2']);
    }
    assert.ok((await serial('own-abri.test')) > before, 'the serial went up');
    // every record of every zone, on the secondary as on the primary
    const primaryDb = path.join(e.node.root, 'var/lib/abri/pdns/pdns.sqlite3');
    await until('the secondary holds every record as the primary', async () => (await pdnsRecords(primaryDb)).join('\n') === (await pdnsRecords(e.secondary.database)).join('\n'), 30_000);
    // the agent notified them (PowerDNS would have sent one burst): its list of zones to notify is gone
    await until('the NOTIFYs are done', async () => !existsSync(path.join(e.node.root, 'var/lib/abri/pdns/abri-notify-pending.json')), 30_000);
    const log = await readFile(path.join(e.node.root, 'var/log/abri/pdns.log'), 'utf8').catch(() => '');
    assert.doesNotMatch(log, /database is locked|permission denied|readonly database/i);
    const records = (await api('GET', '/api/v1/zones/own-abri.test/records')).body.items;
    assert.ok(records.some((r: { type: string; content: string; managed: boolean }) => r.type === 'A' && r.content === '127.0.0.2' && r.managed));
    // and back, still in bulk; the zones are then unchanged for PowerDNS's own API too
    assert.equal((await api('PATCH', `/api/v1/servers/${local.id}`, { publicAddresses: [] })).status, 200);
    for (const zone of zones) await until(`${zone} back on the primary`, async () => (await dig(primary, zone, 'A')).join() === '127.0.0.1', 30_000);
    const { key, port } = await pdnsApi();
    const z = await (await fetch(`http://127.0.0.1:${port}/api/v1/servers/localhost/zones/own-abri.test.`, { headers: { 'X-API-Key': key } })).json() as { rrsets: Array<{ name: string; type: string; records: Array<{ content: string }> }> };
    assert.deepEqual(z.rrsets.find((r) => r.name === 'www.own-abri.test.' && r.type === 'A')?.records.map((r) => r.content), ['127.0.0.1']);
  });
});
