// Golden-file tests of the DNS renderers: a zone as a BIND zone file (test/golden/dns-zone/, input:
// the zone content input, so managed and customer rrsets are merged as on a DNS node) and PowerDNS's
// own pdns.conf (test/golden/pdns/). Cases with throws.txt are inputs the renderers must refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPdnsConf, renderZoneFile, type PdnsSpec } from '../src/dns/render-pdns.js';
import { zoneRrsets, type ZoneContentInput } from '../src/dns/zone-content.js';
import { goldenTests } from './harness/golden.js';

goldenTests('dns-zone', (input: ZoneContentInput) => [renderZoneFile(input.zone, zoneRrsets(input))]);
goldenTests('pdns', (input: PdnsSpec) => [renderPdnsConf(input)]);

test('a zone file has one line per record and never a line an input did not ask for', () => {
  const file = renderZoneFile('example.org', [
    { name: 'example.org', type: 'TXT', ttl: 60, records: ['"a;b" "(c)"', '"$ORIGIN evil."'] },
    { name: '*.example.org', type: 'A', ttl: 60, records: ['192.0.2.1'] },
  ]);
  assert.equal(file.path, 'zones/example.org.zone');
  assert.deepEqual(file.content.split('\n').slice(2), [
    'example.org.\t60\tIN\tTXT\t"a;b" "(c)"',
    'example.org.\t60\tIN\tTXT\t"$ORIGIN evil."',
    '*.example.org.\t60\tIN\tA\t192.0.2.1',
    '',
  ]);
  for (const bad of ['x\ny', 'x\ry', 'x\u0000', 'x\u007f']) {
    assert.throws(() => renderZoneFile('example.org', [{ name: 'example.org', type: 'TXT', ttl: 60, records: [bad] }]), /control characters/, JSON.stringify(bad));
  }
  for (const zone of ['Example.org', 'example.org\n', 'exa mple.org', '']) assert.throws(() => renderZoneFile(zone, []), /zone name/, JSON.stringify(zone));
});

test('pdns.conf: query-local-address only when listening on one address, IPv6 secondaries bracketed', () => {
  const spec: PdnsSpec = { configDir: '/c', database: '/d/z.sqlite3', socketDir: '/s', listen: { host: '::', port: 53 }, apiPort: 8053, apiKey: 'a'.repeat(20),
    secondaries: [{ address: '2001:db8::2', port: 53 }], user: null };
  const lines = renderPdnsConf(spec).content.split('\n');
  assert.ok(!lines.some((l) => l.startsWith('query-local-address=')));
  assert.ok(lines.includes('also-notify=[2001:db8::2]:53'));
  assert.ok(lines.includes('allow-axfr-ips=127.0.0.1,::1,2001:db8::2'));
  assert.ok(!lines.some((l) => l.startsWith('setuid=')));
  const one = renderPdnsConf({ ...spec, listen: { host: '127.0.0.53', port: 5300 }, secondaries: [] }).content.split('\n');
  assert.ok(one.includes('query-local-address=127.0.0.53'));
  assert.ok(one.includes('also-notify='));
  assert.equal(renderPdnsConf(spec).mode, 0o600, 'the API key is in it');
});
