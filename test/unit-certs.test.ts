// Pure rules of certificates: when to renew (any lifetime), how long to wait after failures, which
// names a certificate covers, what an uploaded certificate must satisfy (readable, usable, a strong
// key, naming its site only), and how DNS-01 values join a zone (added, never replacing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FAILING_AFTER, inspectCertificate, renewalTime, retryDelayMs, RETRY_DELAYS_MS } from '../src/certs/model.js';
import { checkUpload, foreignNames } from '../src/certs/rules.js';
import { covers, uncovered } from '../src/certs/coverage.js';
import { collidesWithManaged, managedRrsets, zoneRrsets, type ZoneContentInput } from '../src/dns/zone-content.js';
import { selfSignedCertificate } from './harness/certificates.js';

const DAY = 86_400_000;

test('renewal comes when a third of the lifetime remains, drawn inside a window: 90, 64, 45 and 6-day certificates alike', () => {
  for (const days of [90, 64, 45, 6]) {
    const notBefore = new Date('2027-03-01T00:00:00Z');
    const notAfter = new Date(notBefore.getTime() + days * DAY);
    const earliest = renewalTime(notBefore, notAfter, 1).getTime();
    const latest = renewalTime(notBefore, notAfter, 0).getTime();
    assert.equal(notAfter.getTime() - latest, Math.round((days * DAY) / 3), `${days} days: at the latest a third before the end`);
    assert.ok(latest - earliest > 0 && Math.abs(latest - earliest - (days * DAY) / 12) < 1000, `${days} days: a window of a twelfth of the lifetime`);
    const draws = new Set(Array.from({ length: 50 }, () => renewalTime(notBefore, notAfter, Math.random()).getTime()));
    assert.ok(draws.size > 40, 'certificates issued together do not renew together');
    for (const t of draws) assert.ok(t >= earliest && t <= latest);
  }
});

test('failures are retried after 1 min, 10 min, 100 min, then daily; failing after four', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 30].map(retryDelayMs), [60_000, 600_000, 6_000_000, DAY, DAY, DAY]);
  assert.deepEqual(RETRY_DELAYS_MS, [60_000, 600_000, 6_000_000, DAY]);
  assert.equal(FAILING_AFTER, 4);
});

test('coverage: exact names and one-label wildcards', () => {
  assert.ok(covers(['example.org', 'www.example.org'], 'www.example.org'));
  assert.ok(covers(['*.web4me.fr'], 'asso.web4me.fr'));
  assert.ok(!covers(['*.web4me.fr'], 'web4me.fr'));
  assert.ok(!covers(['*.web4me.fr'], 'a.b.web4me.fr'));
  assert.ok(!covers(['*.web4me.fr'], 'xweb4me.fr'));
  assert.deepEqual(uncovered(['example.org'], ['example.org', 'www.example.org']), ['www.example.org']);
});

test('an upload is checked: readable, key matching, not expired, covering every name; the key is normalised', async () => {
  const now = new Date();
  const good = await selfSignedCertificate(['a.example', 'www.a.example'], 30);
  const ok = checkUpload({ certificate: good.cert, privateKey: good.key }, ['a.example', 'www.a.example'], null, now);
  assert.ok(ok.ok);
  if (ok.ok) {
    assert.deepEqual(ok.value.info.names, ['a.example', 'www.a.example']);
    assert.match(ok.value.keyPem, /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(ok.value.info.fingerprint, inspectCertificate(good.cert).fingerprint);
    assert.match(ok.value.info.fingerprint, /^[0-9a-f]{64}$/);
  }
  const wildcard = await selfSignedCertificate(['*.a.example', 'a.example'], 30);
  assert.ok(checkUpload({ certificate: wildcard.cert, privateKey: wildcard.key }, ['a.example', 'shop.a.example'], null, now).ok, 'a wildcard below the domain covers the aliases');
  const other = await selfSignedCertificate(['a.example'], 30);
  const code = (cert: string, key: string, names = ['a.example', 'www.a.example'], chain?: string) => {
    const r = checkUpload({ certificate: cert, privateKey: key, ...(chain !== undefined ? { chain } : {}) }, names, 'web4me.test', now);
    return r.ok ? 'ok' : `${r.code} ${r.issues[0]!.path}`;
  };
  assert.equal(code(good.cert, other.key), 'certificate.key_mismatch body.privateKey');
  assert.equal(code(other.cert, other.key), 'certificate.names_mismatch body.certificate');
  const expired = await selfSignedCertificate(['a.example', 'www.a.example'], -1);
  assert.equal(code(expired.cert, expired.key), 'certificate.expired body.certificate');
  assert.equal(code('hello', good.key), 'certificate.invalid body.certificate');
  assert.equal(code(good.cert, 'not a key'), 'certificate.invalid body.privateKey');
  assert.equal(code(good.cert, good.key, undefined, 'no certificate here'), 'certificate.invalid body.chain');
  assert.equal(code(`${good.cert}${other.cert}`, good.key), 'ok', 'a chain may follow the certificate');
});

test('an upload names only its site: not another customer\'s domain, not the platform\'s wildcard or names', async () => {
  const now = new Date();
  const site = ['a.example', 'www.a.example'];
  assert.deepEqual(foreignNames(['a.example', 'www.a.example', '*.a.example'], site, 'web4me.test'), []);
  assert.deepEqual(foreignNames(['a.example', 'b.example', '*.web4me.test', 'web4me.test', 'x.web4me.test', '*.example', '*.b.example'], site, 'web4me.test'),
    ['b.example', '*.web4me.test', 'web4me.test', 'x.web4me.test', '*.example', '*.b.example']);
  const attack = await selfSignedCertificate(['a.example', 'www.a.example', 'b.example', '*.web4me.test'], 30);
  const r = checkUpload({ certificate: attack.cert, privateKey: attack.key }, site, 'web4me.test', now);
  assert.ok(!r.ok);
  if (!r.ok) {
    assert.equal(r.code, 'certificate.foreign_names');
    assert.deepEqual(r.params.names, ['b.example', '*.web4me.test']);
    assert.equal(r.issues[0]!.path, 'body.certificate');
  }
});

test('an upload is refused with a weak or unsupported key, as a CA certificate, for clients only, or not yet valid', async () => {
  const now = new Date();
  const names = ['a.example'];
  const code = (c: { cert: string; key: string }) => {
    const r = checkUpload({ certificate: c.cert, privateKey: c.key }, names, null, now);
    return r.ok ? 'ok' : `${r.code} ${JSON.stringify(r.params)}`;
  };
  assert.equal(code(await selfSignedCertificate(names, 30, { rsaBits: 512 })), 'certificate.weak_key {"keyType":"rsa","bits":512,"minimum":2048}');
  assert.equal(code(await selfSignedCertificate(names, 30, { rsaBits: 1024 })), 'certificate.weak_key {"keyType":"rsa","bits":1024,"minimum":2048}');
  assert.equal(code(await selfSignedCertificate(names, 30, { rsaBits: 2048 })), 'ok');
  assert.match(code(await selfSignedCertificate(names, 30, { ca: true })), /^certificate\.ca_certificate/);
  assert.match(code(await selfSignedCertificate(names, 30, { extendedKeyUsages: ['1.3.6.1.5.5.7.3.2'] })), /^certificate\.not_for_servers/);
  assert.equal(code(await selfSignedCertificate(names, 30, { extendedKeyUsages: ['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1'] })), 'ok');
  assert.match(code(await selfSignedCertificate(names, 30, { notBefore: new Date(now.getTime() + 86_400_000) })), /^certificate\.not_yet_valid/);
  // curves: secp256k1 (made by openssl, which webcrypto cannot) is refused; so is Ed25519
  const dir = mkdtempSync(path.join(tmpdir(), 'abri-curve-'));
  try {
    const make = (args: string[]) => {
      execFileSync('openssl', ['req', '-x509', ...args, '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-subj', '/CN=a.example',
        '-addext', 'subjectAltName=DNS:a.example', '-addext', 'basicConstraints=critical,CA:FALSE', '-days', '30'], { stdio: 'ignore' });
      return { cert: readFileSync(path.join(dir, 'c.pem'), 'utf8'), key: readFileSync(path.join(dir, 'k.pem'), 'utf8') };
    };
    assert.equal(code(make(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1'])), 'certificate.weak_key {"keyType":"ec","curve":"secp256k1"}');
    assert.equal(code(make(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'])), 'ok');
    assert.equal(code(make(['-newkey', 'ed25519'])), 'certificate.key_type_unsupported {"keyType":"ed25519"}');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('DNS-01 values are added to the TXT records of their name, never replacing them (a customer may add TXT there too)', () => {
  const zone: ZoneContentInput = {
    zone: 'b.example', platform: false, edgeRecords: true, nameservers: ['ns1.abri.test'], hostmaster: 'hostmaster.abri.test', ttl: 3600, edgeTtl: 300,
    edgeAddresses: ['192.0.2.1'], siteNames: ['b.example'],
    records: [{ name: 'b.example', type: 'TXT', content: '"v=spf1 mx -all"', ttl: 3600 }, { name: 'b.example', type: 'MX', content: '10 mx.b.example.', ttl: 3600 }],
    acme: [{ name: 'b.example', value: 'challenge-1' }, { name: '_acme-challenge.b.example', value: 'challenge-2' }],
  };
  const txt = (name: string) => zoneRrsets(zone).filter((r) => r.name === name && r.type === 'TXT');
  assert.deepEqual(txt('b.example'), [{ name: 'b.example', type: 'TXT', ttl: 60, records: ['"challenge-1"', '"v=spf1 mx -all"'] }]);
  assert.deepEqual(txt('_acme-challenge.b.example'), [{ name: '_acme-challenge.b.example', type: 'TXT', ttl: 60, records: ['"challenge-2"'] }]);
  assert.equal(collidesWithManaged(managedRrsets(zone), 'b.example', 'TXT'), null, 'a TXT next to a challenge is no conflict');
  assert.equal(collidesWithManaged(managedRrsets(zone), '_acme-challenge.b.example', 'CNAME')?.type, 'TXT', 'a CNAME there still is');
  assert.deepEqual(zoneRrsets({ ...zone, acme: [] }).filter((r) => r.type === 'TXT').map((r) => r.records), [['"v=spf1 mx -all"']]);
});
