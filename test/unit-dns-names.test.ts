// Pure rules of DNS names (src/dns/names.ts) and of what a name may hold (checkOwner,
// nameConflicts in src/dns/records.ts): owner names typed in a zone, targets, zones of host names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayName, inZone, ownerName, registeredDomain, relativeName, targetName, zoneFor } from '../src/dns/names.js';
import { checkOwner, nameConflicts } from '../src/dns/records.js';

const zone = 'example.org';
const label = (c: string, n: number) => c.repeat(n);

test('ownerName: "@", empty, relative and absolute names of the zone', () => {
  const rows: Array<[string, string]> = [
    ['@', 'example.org'], ['', 'example.org'], ['  @ ', 'example.org'],
    ['www', 'www.example.org'], ['WWW', 'www.example.org'], [' mail ', 'mail.example.org'], ['a.b.c', 'a.b.c.example.org'],
    // the zone's own names, typed without the final dot, are not made relative twice
    ['www.example.org', 'www.example.org'], ['WWW.Example.ORG', 'www.example.org'], ['example.org', 'example.org'], ['EXAMPLE.ORG', 'example.org'],
    // absolute names
    ['www.example.org.', 'www.example.org'], ['example.org.', 'example.org'], ['*.example.org.', '*.example.org'],
    // a name that only looks absolute is relative (BIND semantics)
    ['www.other.org', 'www.other.org.example.org'],
    ['sub.example.org.example.org', 'sub.example.org.example.org'],
  ];
  for (const [input, expected] of rows) assert.deepEqual(ownerName(input, zone), { ok: true, value: expected }, JSON.stringify(input));
});

test('ownerName: wildcard only as the first label; service labels (_dmarc, _sip._tcp); IDN → punycode', () => {
  const ok: Array<[string, string]> = [
    ['*', '*.example.org'], ['*.www', '*.www.example.org'], ['_dmarc', '_dmarc.example.org'], ['_sip._tcp', '_sip._tcp.example.org'],
    ['_acme-challenge.www', '_acme-challenge.www.example.org'], ['sel1._domainkey', 'sel1._domainkey.example.org'], ['a_b', 'a_b.example.org'],
    ['_a', '_a.example.org'], ['x', 'x.example.org'], ['0', '0.example.org'],
    ['bücher', 'xn--bcher-kva.example.org'], ['BÜCHER', 'xn--bcher-kva.example.org'], ['xn--bcher-kva', 'xn--bcher-kva.example.org'],
    ['www.bücher.example.org.', 'www.xn--bcher-kva.example.org'],
  ];
  for (const [input, expected] of ok) assert.deepEqual(ownerName(input, zone), { ok: true, value: expected }, JSON.stringify(input));
  const bad: Array<[string, RegExp]> = [
    ['a.*', /\* as its first label/], ['*.*', /\* as its first label/], ['**', /invalid label "\*\*"/], ['*a', /invalid label/],
    ['__a', /invalid label "__a"/], ['_', /invalid label "_"/], ['-a', /invalid label "-a"/], ['a-', /invalid label "a-"/], ['a_', /invalid label "a_"/],
  ];
  for (const [input, reason] of bad) {
    const r = ownerName(input, zone);
    assert.equal(r.ok, false, JSON.stringify(input));
    if (!r.ok) assert.match(r.reason, reason, JSON.stringify(input));
  }
});

test('ownerName: refuses names outside the zone, bad characters, control characters and empty labels', () => {
  const bad: Array<[string, RegExp]> = [
    ['www.other.org.', /not in the zone example\.org/], ['org.', /not in the zone/], ['xexample.org.', /not in the zone/], ['example.org.evil.', /not in the zone/],
    ['a b', /letters, digits, hyphens/], ['a/b', /letters/], ['a@b', /letters/], ['a:b', /letters/], ['"a"', /letters/], ['a;b', /letters/], ['$ORIGIN', /letters/],
    ['a\nb', /control characters or line breaks/], ['www\n', /control characters/], ['a\u0000', /control/], ['a\u2028b', /control/], ['a\u0085', /control/],
    ['a..b', /empty or invalid label/], ['.a', /empty or invalid label/], ['..', /empty or invalid label/], ['www..', /empty or invalid label/],
  ];
  for (const [input, reason] of bad) {
    const r = ownerName(input, zone);
    assert.equal(r.ok, false, `${JSON.stringify(input)} → ${JSON.stringify(r)}`);
    if (!r.ok) assert.match(r.reason, reason, JSON.stringify(input));
  }
});

test('ownerName: labels of at most 63 characters (underscore included), names of at most 253', () => {
  assert.equal(ownerName(label('a', 63), zone).ok, true);
  assert.equal(ownerName(label('a', 64), zone).ok, false);
  assert.equal(ownerName(`_${label('a', 62)}`, zone).ok, true);
  const u64 = ownerName(`_${label('a', 63)}`, zone);
  assert.equal(u64.ok, false, '_ + 63 letters is a 64-character label');
  // 253 characters in all (zone included), written relative, absolute, absolute with the final dot
  const own = [label('a', 63), label('b', 63), label('c', 63), label('d', 253 - 3 * 64 - zone.length - 1)].join('.');
  const full = `${own}.${zone}`;
  assert.equal(full.length, 253);
  for (const input of [own, full, `${full}.`]) assert.deepEqual(ownerName(input, zone), { ok: true, value: full }, `${input.length} characters`);
  const longer = `d${own}`;
  for (const input of [longer, `${longer}.${zone}`, `${longer}.${zone}.`]) {
    const r = ownerName(input, zone);
    assert.equal(r.ok, false, `${input.length} characters`);
    if (!r.ok) assert.match(r.reason, /too long|253/);
  }
  assert.deepEqual(ownerName(label('x', 300), zone), { ok: false, reason: 'is too long' });
});

test('targetName: absolute host names with the final dot; root only when allowed', () => {
  const ok: Array<[string, string]> = [
    ['mx.example.net', 'mx.example.net.'], ['MX.Example.NET.', 'mx.example.net.'], [' host.example.net ', 'host.example.net.'], ['bücher.de', 'xn--bcher-kva.de.'],
    ['_x.example.net', '_x.example.net.'], ['a-b.example.net', 'a-b.example.net.'], ['1.example.net', '1.example.net.'], [`${label('a', 63)}.example.net`, `${label('a', 63)}.example.net.`],
  ];
  for (const [input, expected] of ok) assert.deepEqual(targetName(input), { ok: true, value: expected }, input);
  assert.deepEqual(targetName('.', true), { ok: true, value: '.' });
  assert.deepEqual(targetName('', true), { ok: true, value: '.' });
  const bad: Array<[string, RegExp]> = [
    ['.', /must be a host name/], ['', /must be a host name/], ['localhost', /at least two labels/], ['a..example.net', /two labels/],
    ['*.example.net', /host name like/], ['a b.example.net', /host name like/], ['a_b.example.net', /invalid label "a_b"/], ['a.-b.net', /invalid label "-b"/],
    [`${label('a', 64)}.example.net`, /invalid label/], ['host.example.net\n', /control characters/], ['192.0.2.1', /not an IP address/], ['example.123', /not an IP address/],
    [`${Array.from({ length: 5 }, () => label('a', 63)).join('.')}.net`, /at most 253/],
  ];
  for (const [input, reason] of bad) {
    const r = targetName(input);
    assert.equal(r.ok, false, `${JSON.stringify(input)} → ${JSON.stringify(r)}`);
    if (!r.ok) assert.match(r.reason, reason, JSON.stringify(input));
  }
});

test('zoneFor: the longest zone holding the name; registeredDomain: the public-suffix-aware parent', () => {
  const zones = new Set(['example.org', 'a.example.org', 'example.co.uk']);
  const rows: Array<[string, string | null]> = [
    ['example.org', 'example.org'], ['www.example.org', 'example.org'], ['a.example.org', 'a.example.org'], ['x.y.a.example.org', 'a.example.org'],
    ['b.example.org', 'example.org'], ['xexample.org', null], ['other.org', null], ['org', null], ['shop.example.co.uk', 'example.co.uk'], ['co.uk', null],
  ];
  for (const [name, expected] of rows) assert.equal(zoneFor(name, zones), expected, name);
  assert.equal(zoneFor('org', new Set(['org'])), null, 'a top-level domain is never a zone of the platform');
  const rd: Array<[string, string | null]> = [
    ['www.x.org', 'x.org'], ['x.org', 'x.org'], ['a.b.c.x.org', 'x.org'], ['a.example.co.uk', 'example.co.uk'], ['example.co.uk', 'example.co.uk'],
    ['WWW.X.ORG', 'x.org'], ['alice.github.io', 'alice.github.io'], ['www.xn--crche-les-lutins-upb.fr', 'xn--crche-les-lutins-upb.fr'],
    ['co.uk', null], ['org', null], ['localhost', null], ['192.0.2.1', null],
  ];
  for (const [host, expected] of rd) assert.equal(registeredDomain(host), expected, host);
});

test('inZone, relativeName, displayName', () => {
  assert.equal(inZone('example.org', zone), true);
  assert.equal(inZone('a.b.example.org', zone), true);
  assert.equal(inZone('xexample.org', zone), false);
  assert.equal(inZone('example.org.uk', zone), false);
  assert.equal(relativeName('example.org', zone), '@');
  assert.equal(relativeName('www.example.org', zone), 'www');
  assert.equal(relativeName('_sip._tcp.example.org', zone), '_sip._tcp');
  assert.equal(relativeName('*.example.org', zone), '*');
  // a name outside the zone stays absolute instead of being cut at a wrong place
  assert.equal(relativeName('other.org', zone), 'other.org.');
  assert.equal(relativeName('xexample.org', zone), 'xexample.org.');
  assert.equal(displayName('www.xn--bcher-kva.example.org'), 'www.bücher.example.org');
  assert.equal(displayName('_dmarc.example.org'), '_dmarc.example.org');
});

test('checkOwner: no CNAME at the apex, NS only below it (never at a wildcard), SRV needs _service._proto', () => {
  const rows: Array<[Parameters<typeof checkOwner>[0], string, RegExp | null]> = [
    ['CNAME', 'example.org', /CNAME cannot be at the apex/], ['CNAME', 'www.example.org', null], ['CNAME', '*.example.org', null],
    ['NS', 'example.org', /name servers of the zone itself/], ['NS', 'sub.example.org', null], ['NS', '*.example.org', /wildcard/],
    ['SRV', '_sip._tcp.example.org', null], ['SRV', '_xmpp-server._tcp.example.org', null], ['SRV', '_sips._tls.example.org', null],
    ['SRV', '_sip._udp.voip.example.org', null], ['SRV', '_diameter._sctp.example.org', null],
    ['SRV', 'sip.example.org', /_service._protocol/], ['SRV', '_sip.example.org', /_service._protocol/], ['SRV', '_sip._xyz.example.org', /_service._protocol/],
    ['SRV', 'example.org', /_service._protocol/], ['SRV', 'x._sip._tcp.example.org', /_service._protocol/],
    ['A', 'example.org', null], ['MX', 'example.org', null], ['TXT', '_dmarc.example.org', null], ['CAA', 'example.org', null], ['AAAA', '*.example.org', null],
    ['A', 'x.other.org', /must be in the zone example\.org/], ['TXT', 'xexample.org', /must be in the zone/],
  ];
  for (const [type, name, reason] of rows) {
    const r = checkOwner(type, name, zone);
    if (reason === null) assert.equal(r, null, `${type} at ${name}`);
    else assert.match(r ?? '(accepted)', reason, `${type} at ${name}`);
  }
});

test('nameConflicts: a CNAME is alone at its name, and a name has at most one CNAME', () => {
  const r = (name: string, type: string, content = 'x') => ({ name, type, content });
  assert.deepEqual(nameConflicts([]), []);
  assert.deepEqual(nameConflicts([r('www.example.org', 'CNAME'), r('mail.example.org', 'A'), r('mail.example.org', 'MX'), r('mail.example.org', 'A', 'y')]), []);
  const both = nameConflicts([r('www.example.org', 'CNAME'), r('www.example.org', 'TXT')]);
  assert.deepEqual(both.map((c) => c.name), ['www.example.org']);
  assert.match(both[0]!.reason, /CNAME, which must be alone.*also a TXT/);
  const two = nameConflicts([r('x.example.org', 'CNAME', 'a.net.'), r('x.example.org', 'CNAME', 'b.net.')]);
  assert.deepEqual(two, [{ name: 'x.example.org', reason: 'x.example.org has more than one CNAME' }]);
  // one conflict per name, every name reported
  const many = nameConflicts([r('a.example.org', 'CNAME'), r('a.example.org', 'A'), r('a.example.org', 'AAAA'), r('b.example.org', 'CNAME'), r('b.example.org', 'SOA')]);
  assert.deepEqual(many.map((c) => c.name).sort(), ['a.example.org', 'b.example.org']);
  // names differ by exact string: no conflict across names
  assert.deepEqual(nameConflicts([r('a.example.org', 'CNAME'), r('b.a.example.org', 'A')]), []);
});
