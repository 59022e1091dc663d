// Pure rules of DNS record contents (src/dns/records.ts): what a user types → the canonical
// presentation form PowerDNS stores and answers (so desired and actual content compare equal), or
// the reason it is refused. Owner names, zones and zone content: unit-dns-names/-zone.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuoted, quoteTxt, recordContent, TXT_MAX_BYTES, type RecordType } from '../src/dns/records.js';

type Row = [type: RecordType, input: string, expected: string];
type Bad = [type: RecordType, input: string, reason: RegExp];

function accepts(rows: Row[]) {
  for (const [type, input, expected] of rows) {
    const r = recordContent(type, input);
    assert.deepEqual(r, { ok: true, value: expected }, `${type} ${JSON.stringify(input)}`);
    // canonical content is a fixed point: typing it again gives it back
    assert.deepEqual(recordContent(type, expected), { ok: true, value: expected }, `${type} ${JSON.stringify(expected)} again`);
  }
}

function refuses(rows: Bad[]) {
  for (const [type, input, reason] of rows) {
    const r = recordContent(type, input);
    assert.equal(r.ok, false, `${type} ${JSON.stringify(input)} should be refused, got ${JSON.stringify(r)}`);
    if (!r.ok) assert.match(r.reason, reason, `${type} ${JSON.stringify(input)}`);
  }
}

test('A: dotted IPv4, trimmed; anything else refused', () => {
  accepts([['A', '192.0.2.10', '192.0.2.10'], ['A', ' 198.51.100.1 ', '198.51.100.1'], ['A', '0.0.0.0', '0.0.0.0'], ['A', '255.255.255.255', '255.255.255.255']]);
  refuses([
    ['A', '192.0.2.01', /IPv4 address/], ['A', '1.2.3', /IPv4/], ['A', '256.1.1.1', /IPv4/], ['A', '::1', /IPv4/], ['A', '', /IPv4/],
    ['A', 'example.org', /IPv4/], ['A', '192.0.2.1 192.0.2.2', /IPv4/], ['A', '192.0.2.1/24', /IPv4/],
  ]);
});

test('AAAA: canonical RFC 5952 form (lower case, longest zero run compressed, no leading zeros)', () => {
  accepts([
    ['AAAA', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['AAAA', '2001:db8::0001', '2001:db8::1'],
    ['AAAA', '2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],
    ['AAAA', '2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::'],
    ['AAAA', '2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['AAAA', 'FE80::A', 'fe80::a'],
    ['AAAA', '0:0:0:0:0:0:0:0', '::'],
    ['AAAA', '::1', '::1'],
    ['AAAA', '1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['AAAA', '64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['AAAA', '::ffff:0:0:0', '::ffff:0:0:0'],
  ]);
  refuses([
    ['AAAA', '192.0.2.1', /IPv6 address/], ['AAAA', 'fe80::1%eth0', /IPv6/], ['AAAA', '2001:db8:::1', /IPv6/], ['AAAA', '2001:db8::g', /IPv6/],
    ['AAAA', '[2001:db8::1]', /IPv6/], ['AAAA', '1:2:3:4:5:6:7:8:9', /IPv6/],
    // PowerDNS answers these in dotted form but refuses that form: they could never compare equal
    ['AAAA', '::ffff:192.0.2.1', /IPv4-mapped.*A record/], ['AAAA', '::ffff:c000:201', /IPv4-mapped/], ['AAAA', '::1.2.3.4', /IPv4-compatible/],
    ['AAAA', '::1:2', /IPv4/], ['AAAA', '::ffff:0:0', /IPv4/],
  ]);
});

test('CNAME and NS: a host name, lower case ASCII with the final dot; IDN → punycode', () => {
  accepts([
    ['CNAME', 'Host.Example.NET', 'host.example.net.'], ['CNAME', 'host.example.net.', 'host.example.net.'], ['CNAME', ' edge.abri.test ', 'edge.abri.test.'],
    ['CNAME', 'bücher.example', 'xn--bcher-kva.example.'], ['CNAME', '_dkim.example.net', '_dkim.example.net.'],
    ['NS', 'NS1.example.net', 'ns1.example.net.'], ['NS', 'ns2.example.net.', 'ns2.example.net.'],
  ]);
  refuses([
    ['CNAME', 'host', /full host name/], ['CNAME', '.', /host name/], ['CNAME', '', /host name/], ['CNAME', 'a..example.net', /host name|label/],
    ['CNAME', '*.example.net', /host name/], ['CNAME', 'a b.example.net', /host name/], ['CNAME', 'x.example.net extra', /host name/],
    ['CNAME', 'host.\nexample.net', /control characters/], ['CNAME', '-a.example.net', /invalid label "-a"/], ['CNAME', `${'a'.repeat(64)}.example.net`, /invalid label/],
    ['CNAME', '192.0.2.1', /not an IP address/], ['CNAME', 'a_b.example.net', /invalid label "a_b"/], ['NS', '.', /host name/], ['NS', 'ns1', /full host name/],
  ]);
});

test('every type refuses a line break inside its content (surrounding white space is trimmed)', () => {
  const samples: Row[] = [['A', '192.0.2.1', '192.0.2.1'], ['AAAA', '2001:db8::1', '2001:db8::1'], ['CNAME', 'x.example.net', 'x.example.net.'], ['NS', 'ns.example.net', 'ns.example.net.'],
    ['MX', '10 mx.example.net', '10 mx.example.net.'], ['SRV', '1 2 3 s.example.net', '1 2 3 s.example.net.'], ['CAA', '0 issue "ca.example"', '0 issue "ca.example"']];
  for (const [type, input, expected] of samples) {
    assert.deepEqual(recordContent(type, ` ${input}\n`), { ok: true, value: expected }, `${type}: a pasted trailing newline is trimmed`);
    const cut = input.length - 2;
    const broken = `${input.slice(0, cut)}\n${input.slice(cut)}`;
    assert.equal(recordContent(type, broken).ok, false, `${type} ${JSON.stringify(broken)}`);
  }
});

test('MX: "PRIORITY HOST" with priority 0–65535; "0 ." is the null MX', () => {
  accepts([
    ['MX', '10 mx1.example.net', '10 mx1.example.net.'], ['MX', '010  MX.Example.net.', '10 mx.example.net.'], ['MX', '0 .', '0 .'],
    ['MX', '65535 mx.example.net', '65535 mx.example.net.'], ['MX', '0 mail.bücher.example', '0 mail.xn--bcher-kva.example.'],
  ]);
  refuses([
    ['MX', '65536 mx.example.net', /priority 0–65535/], ['MX', '-1 mx.example.net', /PRIORITY HOST/], ['MX', 'mx.example.net', /PRIORITY HOST/],
    ['MX', '10', /PRIORITY HOST/], ['MX', '10 mx.example.net extra', /PRIORITY HOST/], ['MX', '1.5 mx.example.net', /PRIORITY HOST/],
    ['MX', '10 localhost', /host must be a full host name/], ['MX', '10 192.0.2.25', /host must be a host name, not an IP/],
    ['MX', '10 .', /null MX.*priority 0/],
  ]);
});

test('SRV: "PRIORITY WEIGHT PORT TARGET", numbers 0–65535, target "." for no service', () => {
  accepts([
    ['SRV', '10 5 5060 sip.example.net', '10 5 5060 sip.example.net.'], ['SRV', '0 0 0 .', '0 0 0 .'],
    ['SRV', '010 005 0443 Srv.Example.net.', '10 5 443 srv.example.net.'], ['SRV', '65535 65535 65535 x.example.net', '65535 65535 65535 x.example.net.'],
  ]);
  refuses([
    ['SRV', '10 5 65536 sip.example.net', /numbers 0–65535/], ['SRV', '10 5 sip.example.net', /PRIORITY WEIGHT PORT TARGET/],
    ['SRV', '10 5 5060', /PRIORITY WEIGHT PORT TARGET/], ['SRV', '10 5 5060 sip', /target must be a full host name/], ['SRV', 'a b c d.example.net', /PRIORITY/],
  ]);
});

test('CAA: issue/issuewild/iodef, quoted or not, written as FLAGS tag "value"', () => {
  accepts([
    ['CAA', '0 issue "letsencrypt.org"', '0 issue "letsencrypt.org"'],
    ['CAA', '0 issue letsencrypt.org', '0 issue "letsencrypt.org"'],
    ['CAA', '0  ISSUE   "LetsEncrypt.org"  ', '0 issue "LetsEncrypt.org"'],
    ['CAA', '0 issuewild ";"', '0 issuewild ";"'],
    ['CAA', '0 issue ;', '0 issue ";"'],
    ['CAA', '0 issue "letsencrypt.org; validationmethods=dns-01"', '0 issue "letsencrypt.org; validationmethods=dns-01"'],
    ['CAA', '128 iodef "mailto:security@example.org"', '128 iodef "mailto:security@example.org"'],
    ['CAA', '000 iodef https://example.org/caa', '0 iodef "https://example.org/caa"'],
  ]);
  refuses([
    ['CAA', '256 issue "letsencrypt.org"', /FLAGS TAG VALUE/], ['CAA', 'issue "letsencrypt.org"', /FLAGS TAG VALUE/], ['CAA', '0 issue', /FLAGS TAG VALUE/],
    ['CAA', '0 tbs "x"', /tag must be issue, issuewild or iodef/], ['CAA', '0 issue "a.org" "b.org"', /one "quoted string"/],
    ['CAA', '0 issue "unclosed', /one "quoted string"/], ['CAA', '0 iodef "ftp://example.org"', /mailto: or http/], ['CAA', '0 iodef "mailto:"', /mailto: or http/],
    ['CAA', '0 issue "le\\"x"', /without quotes or backslashes/], ['CAA', '0 issue "café.fr"', /printable ASCII/], ['CAA', '0 issue ""', /CA domain/],
    ['CAA', '0 issue "-"', /CA domain/],
  ]);
});

test('TXT: plain text is quoted and escaped; "quoted" "strings" are re-quoted canonically', () => {
  accepts([
    ['TXT', 'v=spf1 mx -all', '"v=spf1 mx -all"'],
    ['TXT', '  v=DMARC1; p=none  ', '"v=DMARC1; p=none"'],
    ['TXT', 'say "hi"', '"say \\"hi\\""'],
    ['TXT', 'back\\slash', '"back\\\\slash"'],
    ['TXT', 'café', '"caf\\195\\169"'],
    ['TXT', '😀', '"\\240\\159\\152\\128"'],
    ['TXT', 'a\tb', '"a\\009b"'],
    ['TXT', 'a\u00a0b', '"a\\194\\160b"'],
    ['TXT', '~', '"~"'],
    ['TXT', '"a" "b"', '"a" "b"'],
    ['TXT', ' "a"   "b\\"c" ', '"a" "b\\"c"'],
    ['TXT', '"a"\t"b"', '"a" "b"'],
    ['TXT', '""', '""'],
    ['TXT', '"\\x"', '"x"'],
    ['TXT', '"\\\\"', '"\\\\"'],
    ['TXT', '"caf\\195\\169"', '"caf\\195\\169"'],
    ['TXT', '"café"', '"caf\\195\\169"'],
    ['TXT', '"😀"', '"\\240\\159\\152\\128"'],
    ['TXT', '"\\😀"', '"\\240\\159\\152\\128"'],
    ['TXT', '"\\000\\127\\255"', '"\\000\\127\\255"'],
    ['TXT', '"\\065BC"', '"ABC"'],
    ['TXT', '"\\12"', '"12"'],
    ['TXT', '"semi;colon (paren) $dollar"', '"semi;colon (paren) $dollar"'],
  ]);
  refuses([
    ['TXT', '', /empty/], ['TXT', '   ', /empty/], ['TXT', '"abc', /unclosed quote/], ['TXT', '"a\\"', /unclosed quote/], ['TXT', '"a"b', /"quoted strings" separated by spaces/],
    ['TXT', '"a" "b" c', /separated by spaces/], ['TXT', '"\\256"', /\\256 is not a byte/], ['TXT', '"a\\', /unclosed quote|lone backslash/],
  ]);
});

test('TXT: line breaks and control characters are refused (a tab is kept as \\009)', () => {
  for (const bad of ['a\nb', 'abc\n', 'a\r\nb', '\rabc', 'a\u0000b', 'a\u0007b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\u009fb', 'a\u2028b', 'a\u2029b', '"a\nb"', '"a" \n "b"']) {
    const r = recordContent('TXT', bad);
    assert.equal(r.ok, false, JSON.stringify(bad));
    if (!r.ok) assert.match(r.reason, /line breaks or control characters/);
  }
  // escaped forms are bytes, not line breaks: kept, written as \DDD
  assert.deepEqual(recordContent('TXT', '"a\\010b"'), { ok: true, value: '"a\\010b"' });
});

test('TXT: long text is split into 255-byte strings; the whole record is at most 2048 bytes', () => {
  const exact = recordContent('TXT', 'x'.repeat(255));
  assert.deepEqual(exact, { ok: true, value: `"${'x'.repeat(255)}"` });
  const split = recordContent('TXT', `${'a'.repeat(255)}${'b'.repeat(45)}`);
  assert.deepEqual(split, { ok: true, value: `"${'a'.repeat(255)}" "${'b'.repeat(45)}"` });
  const max = recordContent('TXT', 'k'.repeat(TXT_MAX_BYTES));
  assert.ok(max.ok);
  if (max.ok) {
    const parts = max.value.split(' ');
    assert.equal(parts.length, Math.ceil(TXT_MAX_BYTES / 255));
    assert.ok(parts.every((p) => p.length - 2 <= 255));
    assert.equal(parts.join('').replace(/"/g, ''), 'k'.repeat(TXT_MAX_BYTES));
  }
  assert.equal(TXT_MAX_BYTES, 2048);
  const over = recordContent('TXT', 'k'.repeat(TXT_MAX_BYTES + 1));
  assert.deepEqual(over, { ok: false, reason: 'must be at most 2048 bytes' });
  // bytes, not characters: 1,025 × "é" is 2,050 bytes
  assert.equal(recordContent('TXT', 'é'.repeat(1024)).ok, true);
  assert.deepEqual(recordContent('TXT', 'é'.repeat(1025)), { ok: false, reason: 'must be at most 2048 bytes' });
  // quoted input: each string ≤ 255 bytes, all of them ≤ 2048
  assert.equal(recordContent('TXT', `"${'x'.repeat(255)}"`).ok, true);
  const long = recordContent('TXT', `"${'x'.repeat(256)}"`);
  assert.equal(long.ok, false);
  if (!long.ok) assert.match(long.reason, /longer than 255 bytes/);
  const nine = Array.from({ length: 9 }, () => `"${'y'.repeat(255)}"`).join(' ');
  assert.deepEqual(recordContent('TXT', nine), { ok: false, reason: 'must be at most 2048 bytes' });
  // multi-byte characters may straddle two strings: bytes are split, not characters
  const e = recordContent('TXT', 'é'.repeat(200));
  assert.ok(e.ok && e.value.split('" "').length === 2, 'é × 200 = 400 bytes: two strings');
});

test('quoteTxt and parseQuoted are inverse; every content is bounded before parsing', () => {
  for (const text of ['', 'plain', 'q"uote', 'b\\s', 'tab\tx', 'é😀', 'z'.repeat(600)]) {
    const quoted = quoteTxt(text);
    const parsed = parseQuoted(quoted);
    assert.ok(parsed.ok, quoted);
    if (parsed.ok) assert.equal(Buffer.concat(parsed.parts).toString('utf8'), text);
  }
  assert.equal(quoteTxt(''), '""');
  assert.deepEqual(parseQuoted('  '), { ok: false, reason: 'must not be empty' });
  for (const type of ['A', 'TXT', 'CAA'] as const) assert.deepEqual(recordContent(type, 'x'.repeat(4001)), { ok: false, reason: 'is too long' });
  assert.deepEqual(recordContent('A', 42 as unknown as string), { ok: false, reason: 'must be text' });
});
