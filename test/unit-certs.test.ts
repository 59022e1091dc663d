// Pure rules of certificates: when to renew (any lifetime), how long to wait after failures, which
// names a certificate covers, what an uploaded certificate must satisfy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUpload, FAILING_AFTER, inspectCertificate, renewalTime, retryDelayMs, RETRY_DELAYS_MS } from '../src/certs/model.js';
import { covers, uncovered } from '../src/certs/coverage.js';
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
  const ok = checkUpload({ certificate: good.cert, privateKey: good.key }, ['a.example', 'www.a.example'], now);
  assert.ok(ok.ok);
  if (ok.ok) {
    assert.deepEqual(ok.value.info.names, ['a.example', 'www.a.example']);
    assert.match(ok.value.keyPem, /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(ok.value.info.fingerprint, inspectCertificate(good.cert).fingerprint);
    assert.match(ok.value.info.fingerprint, /^[0-9a-f]{64}$/);
  }
  const wildcard = await selfSignedCertificate(['*.a.example', 'a.example'], 30);
  assert.ok(checkUpload({ certificate: wildcard.cert, privateKey: wildcard.key }, ['a.example', 'shop.a.example'], now).ok, 'a wildcard covers the aliases');
  const other = await selfSignedCertificate(['a.example'], 30);
  const code = (cert: string, key: string, names = ['a.example', 'www.a.example'], chain?: string) => {
    const r = checkUpload({ certificate: cert, privateKey: key, ...(chain !== undefined ? { chain } : {}) }, names, now);
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
