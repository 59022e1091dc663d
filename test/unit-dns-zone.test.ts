// Pure zone content (src/dns/zone-content.ts): the rrsets Abri keeps (SOA, NS, the edge's A/AAAA,
// ACME TXT) merged with the customer's; and the PowerDNS changes from actual to desired (zone-diff.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collidesWithManaged, managedRrsets, soaContent, zoneRrsets, type Rrset, type ZoneContentInput } from '../src/dns/zone-content.js';
import { fromPdns, rrsetChanges, toPdns } from '../src/dns/zone-diff.js';

const input = (over: Partial<ZoneContentInput> = {}): ZoneContentInput => ({
  zone: 'example.org', platform: false, edgeRecords: true, nameservers: ['ns2.abri.test', 'ns1.abri.test'], hostmaster: 'hostmaster.abri.test',
  ttl: 7200, edgeTtl: 300, edgeAddresses: ['2001:db8::10', '192.0.2.10', '192.0.2.9', '192.0.2.10'], siteNames: [], records: [], acme: [], ...over,
});
const summary = (sets: Rrset[]) => sets.map((s) => `${s.name} ${s.ttl} ${s.type} ${s.records.join(',')}`);

test('managed rrsets: SOA with serial 0, NS sorted, A/AAAA of the edge split by family at the apex and www', () => {
  assert.deepEqual(summary(managedRrsets(input())), [
    'example.org 300 A 192.0.2.10,192.0.2.9',
    'example.org 300 AAAA 2001:db8::10',
    'example.org 7200 NS ns1.abri.test.,ns2.abri.test.',
    'example.org 7200 SOA ns2.abri.test. hostmaster.abri.test. 0 10800 3600 604800 3600',
    'www.example.org 300 A 192.0.2.10,192.0.2.9',
    'www.example.org 300 AAAA 2001:db8::10',
  ]);
  assert.deepEqual(managedRrsets(input()).map((m) => m.purpose), ['edge', 'edge', 'ns', 'soa', 'edge', 'edge']);
  // the SOA names the first configured name server; its minimum (negative TTL) is at most an hour
  assert.equal(soaContent(['a.test', 'b.test'], 'h.test', 600), 'a.test. h.test. 0 10800 3600 604800 600');
  assert.equal(soaContent(['a.test'], 'h.test', 86400), 'a.test. h.test. 0 10800 3600 604800 3600');
});

test('managed rrsets: site names of the zone get the edge; other zones\' names do not', () => {
  const sets = managedRrsets(input({ edgeRecords: false, siteNames: ['blog.example.org', 'other.net', 'example.org.evil'], edgeAddresses: ['192.0.2.10'] }));
  assert.deepEqual(summary(sets), [
    'blog.example.org 300 A 192.0.2.10',
    'example.org 7200 NS ns1.abri.test.,ns2.abri.test.',
    'example.org 7200 SOA ns2.abri.test. hostmaster.abri.test. 0 10800 3600 604800 3600',
  ]);
});

test('edgeRecords false: no A/AAAA at the apex and www (unless a site uses them); no edge address: no A/AAAA at all', () => {
  const off = managedRrsets(input({ edgeRecords: false }));
  assert.deepEqual(off.map((s) => s.type), ['NS', 'SOA']);
  const apexSite = managedRrsets(input({ edgeRecords: false, siteNames: ['example.org'] }));
  assert.deepEqual(summary(apexSite).filter((s) => s.startsWith('www')), []);
  assert.deepEqual(apexSite.filter((s) => s.purpose === 'edge').map((s) => `${s.name} ${s.type}`), ['example.org A', 'example.org AAAA']);
  assert.deepEqual(managedRrsets(input({ edgeAddresses: [] })).map((s) => s.type), ['NS', 'SOA']);
  const v6only = managedRrsets(input({ edgeAddresses: ['2001:db8::1'] }));
  assert.deepEqual(v6only.filter((s) => s.purpose === 'edge').map((s) => `${s.name} ${s.type}`), ['example.org AAAA', 'www.example.org AAAA']);
});

test('the platform zone: its wildcard and apex point at the edge; www only with edgeRecords', () => {
  const sets = managedRrsets(input({ zone: 'abri.test', platform: true, edgeRecords: false, edgeAddresses: ['192.0.2.10'] }));
  assert.deepEqual(sets.filter((s) => s.purpose === 'edge').map((s) => `${s.name} ${s.type}`), ['*.abri.test A', 'abri.test A']);
  const withWww = managedRrsets(input({ zone: 'abri.test', platform: true, edgeAddresses: ['192.0.2.10'] }));
  assert.deepEqual(withWww.filter((s) => s.purpose === 'edge').map((s) => s.name), ['*.abri.test', 'abri.test', 'www.abri.test']);
});

test('ACME DNS-01 values: quoted TXT, grouped per name, deduplicated and sorted, TTL 60, only in the zone', () => {
  const sets = managedRrsets(input({ edgeAddresses: [], acme: [
    { name: '_acme-challenge.example.org', value: 'zzz' }, { name: '_acme-challenge.example.org', value: 'abc' }, { name: '_acme-challenge.example.org', value: 'abc' },
    { name: '_acme-challenge.www.example.org', value: 'w' }, { name: '_acme-challenge.other.net', value: 'x' },
  ] }));
  assert.deepEqual(summary(sets.filter((s) => s.purpose === 'acme')), [
    '_acme-challenge.example.org 60 TXT "abc","zzz"',
    '_acme-challenge.www.example.org 60 TXT "w"',
  ]);
});

test('zoneRrsets: customer records grouped by name and type, the lowest TTL wins, duplicates dropped', () => {
  const sets = zoneRrsets(input({ edgeAddresses: [], records: [
    { name: 'mail.example.org', type: 'A', content: '198.51.100.2', ttl: 3600 },
    { name: 'mail.example.org', type: 'A', content: '198.51.100.1', ttl: 600 },
    { name: 'mail.example.org', type: 'A', content: '198.51.100.1', ttl: 600 },
    { name: 'example.org', type: 'MX', content: '20 mx2.example.net.', ttl: 3600 },
    { name: 'example.org', type: 'MX', content: '10 mx1.example.net.', ttl: 1800 },
    { name: 'example.org', type: 'TXT', content: '"v=spf1 mx -all"', ttl: 3600 },
  ] }));
  assert.deepEqual(summary(sets), [
    'example.org 1800 MX 10 mx1.example.net.,20 mx2.example.net.',
    'example.org 7200 NS ns1.abri.test.,ns2.abri.test.',
    'example.org 7200 SOA ns2.abri.test. hostmaster.abri.test. 0 10800 3600 604800 3600',
    'example.org 3600 TXT "v=spf1 mx -all"',
    'mail.example.org 600 A 198.51.100.1,198.51.100.2',
  ]);
  assert.ok(sets.every((s) => !('purpose' in s)), 'the zone content carries no purpose field');
});

test('zoneRrsets: managed rrsets win; customer CNAMEs at managed names and records outside the zone are dropped', () => {
  const sets = zoneRrsets(input({ edgeAddresses: ['192.0.2.10'], siteNames: ['blog.example.org'], acme: [{ name: '_acme-challenge.example.org', value: 'v' }], records: [
    { name: 'example.org', type: 'A', content: '198.51.100.1', ttl: 60 },
    { name: 'example.org', type: 'AAAA', content: '2001:db8::99', ttl: 60 },
    { name: 'www.example.org', type: 'CNAME', content: 'elsewhere.net.', ttl: 60 },
    { name: 'blog.example.org', type: 'CNAME', content: 'elsewhere.net.', ttl: 60 },
    { name: 'blog.example.org', type: 'TXT', content: '"kept"', ttl: 60 },
    { name: 'example.org', type: 'NS', content: 'ns.evil.net.', ttl: 60 },
    { name: 'example.org', type: 'SOA', content: 'x. y. 1 1 1 1 1', ttl: 60 },
    { name: '_acme-challenge.example.org', type: 'TXT', content: '"stale"', ttl: 60 },
    { name: '_acme-challenge.example.org', type: 'CNAME', content: 'acme.elsewhere.net.', ttl: 60 },
    { name: 'x.other.org', type: 'A', content: '198.51.100.1', ttl: 60 },
  ] }));
  assert.deepEqual(summary(sets), [
    // a DNS-01 value is added to the customer's TXT records of its name, never replacing them
    '_acme-challenge.example.org 60 TXT "stale","v"',
    'blog.example.org 300 A 192.0.2.10',
    'blog.example.org 60 TXT "kept"',
    'example.org 300 A 192.0.2.10',
    'example.org 60 AAAA 2001:db8::99',
    'example.org 7200 NS ns1.abri.test.,ns2.abri.test.',
    'example.org 7200 SOA ns2.abri.test. hostmaster.abri.test. 0 10800 3600 604800 3600',
    'www.example.org 300 A 192.0.2.10',
  ]);
  const managed = managedRrsets(input({ edgeAddresses: ['192.0.2.10'] }));
  assert.equal(collidesWithManaged(managed, 'www.example.org', 'A')?.type, 'A');
  assert.equal(collidesWithManaged(managed, 'www.example.org', 'CNAME')?.name, 'www.example.org');
  assert.equal(collidesWithManaged(managed, 'www.example.org', 'TXT'), null);
  assert.equal(collidesWithManaged(managed, 'www.example.org', 'AAAA'), null, 'no IPv6 edge: AAAA at www is free');
  assert.equal(collidesWithManaged(managed, 'mail.example.org', 'CNAME'), null);
});

test('the edge\'s IPv6 addresses are written in the canonical form PowerDNS answers', () => {
  const sets = managedRrsets(input({ edgeAddresses: ['2001:DB8:0:0:0:0:0:10'] }));
  assert.deepEqual(sets.find((s) => s.type === 'AAAA')?.records, ['2001:db8::10']);
});

const desired = zoneRrsets(input({ records: [{ name: 'example.org', type: 'MX', content: '10 mx.example.net.', ttl: 3600 }] }));
const asServed = (sets: Rrset[], serial: number) => sets.map((s) => (s.type === 'SOA' ? { ...s, records: [s.records[0]!.replace(' 0 ', ` ${serial} `)] } : s));

test('rrsetChanges: nothing to do when actual equals desired, the SOA serial aside', () => {
  assert.deepEqual(rrsetChanges(desired, desired, 1), []);
  assert.deepEqual(rrsetChanges(asServed(desired, 2024010107), desired, 2024010107), []);
  // through PowerDNS's own shape (final dots, unsorted records, disabled ones dropped)
  const pdns = asServed(desired, 5).map(toPdns).map((r) => ({ ...r, name: r.name.toUpperCase(), records: [...r.records].reverse().concat([{ content: '192.0.2.250', disabled: true }].filter(() => r.type === 'A')) }));
  assert.deepEqual(rrsetChanges(fromPdns(pdns), desired, 5), []);
});

test('rrsetChanges: REPLACE for a changed SOA keeps the given serial; a TTL change is a REPLACE', () => {
  const actual = asServed(desired, 41).map((s) => (s.type === 'SOA' ? { ...s, records: [s.records[0]!.replace('10800', '3600')] } : s));
  assert.deepEqual(rrsetChanges(actual, desired, 41), [{
    name: 'example.org.', type: 'SOA', changetype: 'REPLACE', ttl: 7200,
    records: [{ content: 'ns2.abri.test. hostmaster.abri.test. 41 10800 3600 604800 3600', disabled: false }],
  }]);
  const ttl = desired.map((s) => (s.type === 'MX' ? { ...s, ttl: 60 } : s));
  assert.deepEqual(rrsetChanges(ttl, desired, 1), [{ name: 'example.org.', type: 'MX', changetype: 'REPLACE', ttl: 3600, records: [{ content: '10 mx.example.net.', disabled: false }] }]);
});

test('rrsetChanges: missing or different rrsets are REPLACEd, extra ones DELETEd', () => {
  const actual: Rrset[] = [
    ...desired.filter((s) => s.type !== 'NS' && !(s.name === 'www.example.org' && s.type === 'A')),
    { name: 'example.org', type: 'NS', ttl: 7200, records: ['ns1.abri.test.'] },
    { name: 'old.example.org', type: 'TXT', ttl: 60, records: ['"bye"'] },
    { name: 'example.org', type: 'CAA', ttl: 3600, records: ['0 issue "ca.example"'] },
  ];
  const changes = rrsetChanges(actual, desired, 9);
  assert.deepEqual(changes.map((c) => `${c.changetype} ${c.name} ${c.type}`).sort(), [
    'DELETE example.org. CAA', 'DELETE old.example.org. TXT', 'REPLACE example.org. NS', 'REPLACE www.example.org. A',
  ]);
  const ns = changes.find((c) => c.type === 'NS');
  assert.deepEqual(ns?.records?.map((r) => r.content), ['ns1.abri.test.', 'ns2.abri.test.']);
  assert.equal(changes.find((c) => c.changetype === 'DELETE')?.records, undefined, 'a DELETE carries no records');
  // from an empty zone: every rrset is written
  assert.equal(rrsetChanges([], desired, 1).length, desired.length);
});
