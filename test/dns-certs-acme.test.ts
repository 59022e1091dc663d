// Integration: certificates from a real ACME CA (Pebble) validated through the real edge (HAProxy)
// and DNS (Abri's PowerDNS primary), served over HTTPS by the edge and swapped without a reload;
// DNS-01 for the platform's wildcard, written only into the owner's zones; custom certificates.
// (dns-certs-zones: the zones on the primary and the secondary.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { until } from './helpers/node.js';
import { missingDnsCertsServices, useDnsCertsEnvironment } from './helpers/dns-certs.js';
import { run } from './harness/run.js';
import { httpGet } from './harness/http.js';
import { dig } from './harness/pdns-secondary.js';
import { selfSignedCertificate } from './harness/certificates.js';
import { insertDnsChallenge } from '../src/certs/store-acme.js';
import { zonesChanged } from '../src/dns/store-zones.js';

const missing = missingDnsCertsServices('test/dns-certs-acme.test.ts');

describe('certificates from ACME through the edge and DNS', { skip: missing.length > 0 }, () => {
  const { e, primary, api, cert, https, page, addSite, certificateLive, tlsFingerprint } = useDnsCertsEnvironment({ uidBase: 194_300, acme: true });
  const platformWildcardLive = () => until('platform wildcard valid', async () => {
    const c = (await api('GET', '/api/v1/certificates/platform')).body;
    if (c.status === 'failing') throw new Error(c.lastError);
    // the wildcard needs the platform zone answered by the primary: when the first order came
    // before that, the apex is issued alone and the wildcard follows on the retry (a minute later)
    return c.status === 'valid' && c.provisioning?.status === 'live' && c.names.includes('*.web4me.test') && c;
  }, 200_000, 500);

  test('a site created with httpsMode "redirect" is served over HTTPS; port 80 redirects', async () => {
    const site = await addSite({ domain: 'shop-abri.test', aliases: ['www.shop-abri.test'], httpsMode: 'redirect' });
    await page(site, 'the shop\n');
    const c = await certificateLive(site.id);
    assert.deepEqual([...c.names].sort(), ['shop-abri.test', 'www.shop-abri.test']);
    assert.match(c.issuer, /Pebble/i);
    assert.ok(new Date(c.renewAt) > new Date(c.notBefore) && new Date(c.renewAt) < new Date(c.notAfter));
    const r = await until('HTTPS through the edge', async () => {
      const a = await https('www.shop-abri.test').catch(() => null);
      return a?.status === 200 && a;
    }, 20_000);
    assert.equal(r.body, 'the shop\n');
    assert.equal(r.fingerprint, c.fingerprint);
    // and as a user checks it: curl verifying against Pebble's root
    const rootFile = await e.pebble.rootFile();
    const curl = await run('curl', ['-sS', '--cacert', rootFile, '--resolve', `www.shop-abri.test:${e.node.edgeTlsPort}:127.0.0.1`, `https://www.shop-abri.test:${e.node.edgeTlsPort}/`]);
    assert.equal(curl.stdout, 'the shop\n');
    const redirect = await until('redirect on port 80', async () => {
      const a = await httpGet(e.node.edgePort, 'shop-abri.test', '/a?b=1');
      return a.status === 301 && a;
    }, 20_000);
    assert.equal(redirect.headers.location, 'https://shop-abri.test/a?b=1');
    // ACME challenges still reach the manager on port 80
    assert.equal((await httpGet(e.node.edgePort, 'shop-abri.test', '/.well-known/acme-challenge/unknown-token-123')).status, 404);
  });

  test('renewal swaps the certificate: same HAProxy process, no failed request during the swap', async () => {
    const site = (await api('GET', '/api/v1/sites/shop-abri.test')).body;
    const before = await cert(site.id);
    // the platform's own certificate arrives in the background; its arrival may change the edge's configuration (a reload
    // for a reason of its own): wait for it first, so that only the renewal happens while the process is watched
    await platformWildcardLive();
    const pidFile = path.join(e.node.root, 'run/abri/haproxy.pid');
    const pid = (await readFile(pidFile, 'utf8')).trim();
    let requests = 0;
    const failures: string[] = [];
    const fingerprints = new Set<string>();
    let looping = true;
    const loop = (async () => {
      while (looping) {
        try {
          const r = await https('shop-abri.test');
          requests++;
          fingerprints.add(r.fingerprint);
          if (r.status !== 200) failures.push(`status ${r.status}`);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    })();
    const renew = await api('POST', `/api/v1/sites/${site.id}/certificate/renew`);
    assert.equal(renew.status, 200, JSON.stringify(renew.body));
    const renewed = await until('new certificate live', async () => {
      const c = await cert(site.id);
      return c.fingerprint !== before.fingerprint && c.status === 'valid' && c.provisioning?.status === 'live' && c;
    }, 90_000, 250);
    await until('the edge serves the new certificate', async () => (await https('shop-abri.test')).fingerprint === renewed.fingerprint, 20_000);
    looping = false;
    await loop;
    assert.deepEqual(failures, [], `${failures.length} failed requests out of ${requests}`);
    assert.ok(requests > 20, `only ${requests} requests during the swap`);
    assert.ok(fingerprints.has(before.fingerprint) && fingerprints.has(renewed.fingerprint), 'the loop saw both certificates');
    assert.equal((await readFile(pidFile, 'utf8')).trim(), pid, 'HAProxy was not reloaded');
  });

  test('the platform wildcard comes by DNS-01 and serves <label>.<platform domain>', async () => {
    const platform = await platformWildcardLive();
    assert.deepEqual([...platform.names].sort(), ['*.web4me.test', 'web4me.test']);
    const site = await addSite({ domain: 'asso-abri.test', platformSubdomain: 'asso', httpsMode: 'both' });
    assert.equal(site.platformName, 'asso.web4me.test');
    await page(site, 'asso\n');
    const r = await until('platform name over HTTPS', async () => {
      const a = await https('asso.web4me.test').catch(() => null);
      return a?.status === 200 && a;
    }, 30_000);
    assert.equal(r.body, 'asso\n');
    assert.deepEqual(r.names.sort(), ['*.web4me.test', 'web4me.test']);
    assert.deepEqual(await dig(primary, 'anything.web4me.test', 'A'), ['127.0.0.1']);
    // the validation records are gone once the certificate is there
    await until('no _acme-challenge left', async () => (await dig(primary, '_acme-challenge.web4me.test', 'TXT')).length === 0, 20_000);
  });

  test('a site whose name does not point to the edge is reported, not ordered; the names that do are', async () => {
    // the alias's domain is hosted elsewhere: its zone is external and nothing publishes it (declared
    // before the site, so the certificate controller never sees it managed)
    const zone = await api('POST', '/api/v1/zones', { name: 'elsewhere-abri.test', customerId: e.hosting.customerId, dns: 'external' });
    assert.equal(zone.status, 201, JSON.stringify(zone.body));
    const site = await addSite({ domain: 'half-abri.test', aliases: ['www.elsewhere-abri.test'], httpsMode: 'both' });
    const c = await until('certificate for the name that points to the edge', async () => {
      const x = await cert(site.id);
      return x.status === 'valid' && x.problems.length > 0 && x;
    }, 90_000, 250);
    assert.deepEqual(c.names, ['half-abri.test']);
    assert.equal(c.problems[0].name, 'www.elsewhere-abri.test');
    assert.match(c.problems[0].reason, /does not resolve|not published by the platform|marked external/);
    const external = (await api('GET', '/api/v1/zones/elsewhere-abri.test/check')).body;
    assert.equal(external.ok, false);
    assert.deepEqual(external.required.map((r: { name: string; type: string; content: string }) => `${r.name} ${r.type} ${r.content}`), ['www.elsewhere-abri.test A 127.0.0.1']);
    const only = await addSite({ domain: 'nowhere-abri.test', httpsMode: 'both', dns: 'external' });
    const failed = await until('reported', async () => {
      const x = await cert(only.id);
      return x.lastError && x.failures > 0 && x;
    }, 30_000, 250);
    assert.equal(failed.status, 'pending');
    assert.equal(failed.names.length, 0);
    assert.match(failed.lastError, /nowhere-abri\.test: nowhere-abri\.test does not resolve/);
    assert.ok(new Date(failed.nextAttemptAt).getTime() - new Date(failed.lastAttemptAt).getTime() >= 60_000, 'the retry waits 1 min after a first failure');
  });

  test('DNS-01 writes only into the owner\'s zones: a CNAME into another customer\'s zone is not followed, its SPF stays (issue 9, finding 5)', async () => {
    // B, another customer, with its zone published by the platform (SPF from the template at the apex)
    const bravo = await api('POST', '/api/v1/customers', { name: 'Bravo', contactEmail: 'contact@bravo-abri.test' });
    assert.equal(bravo.status, 201, JSON.stringify(bravo.body));
    const zoneB = await api('POST', '/api/v1/zones', { name: 'bravo-abri.test', customerId: bravo.body.id });
    assert.equal(zoneB.status, 201, JSON.stringify(zoneB.body));
    const spf = ['"v=spf1 mx -all"'];
    await until('B\'s zone on the primary', async () => (await dig(primary, 'bravo-abri.test', 'TXT')).join() === spf.join(), 20_000);
    // A's site is hosted here, its DNS elsewhere, where _acme-challenge.<its name> is a CNAME to B's apex
    e.world.cname('_acme-challenge.ext-abri.test', 'bravo-abri.test');
    let watching = true;
    const answers = new Set<string>();
    const watch = (async () => {
      while (watching) answers.add(JSON.stringify(await dig(primary, 'bravo-abri.test', 'TXT')));
    })();
    try {
      const site = await addSite({ domain: 'ext-abri.test', httpsMode: 'both', dns: 'external' });
      const c = await until('the name reported', async () => {
        const x = await cert(site.id);
        return x.failures > 0 && x;
      }, 60_000, 250);
      assert.deepEqual(c.names, []);
      assert.equal(c.problems[0].name, 'ext-abri.test');
      assert.match(c.problems[0].reason, /_acme-challenge\.ext-abri\.test is a CNAME to bravo-abri\.test, in the zone bravo-abri\.test of someone else: not followed/);
    } finally {
      watching = false;
      await watch;
    }
    assert.deepEqual([...answers], [JSON.stringify(spf)], 'B\'s apex TXT never changed');
    const written = await e.m.manager.app.db.selectFrom('acmeChallenges').select('id').where('zoneId', '=', zoneB.body.id).execute();
    assert.deepEqual(written, [], 'no challenge was ever written into B\'s zone');
    // and a DNS-01 value at a name with TXT records is added to them, never replacing them (as PowerDNS serves it)
    const db = e.m.manager.app.db;
    await db.transaction().execute(async (trx) => {
      await insertDnsChallenge(trx, { name: 'bravo-abri.test', value: 'added-next-to-the-spf', zoneId: zoneB.body.id, certificateId: null, expiresAt: new Date(Date.now() + 3_600_000) });
      await zonesChanged(trx, [zoneB.body.id], 'test: a challenge next to a TXT record');
    });
    await until('both TXT values served', async () => (await dig(primary, 'bravo-abri.test', 'TXT')).sort().join() === ['"added-next-to-the-spf"', ...spf].join(), 20_000);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('acmeChallenges').where('zoneId', '=', zoneB.body.id).execute();
      await zonesChanged(trx, [zoneB.body.id], 'test: the challenge removed');
    });
    await until('the SPF alone again', async () => (await dig(primary, 'bravo-abri.test', 'TXT')).join() === spf.join(), 20_000);
  });

  test('custom certificates: refused when wrong, served when right, removed back to automatic', async () => {
    const site = await addSite({ domain: 'own-abri.test', aliases: ['www.own-abri.test'], httpsMode: 'both' });
    await certificateLive(site.id);
    const good = await selfSignedCertificate(['own-abri.test', 'www.own-abri.test'], 30);
    const other = await selfSignedCertificate(['own-abri.test', 'www.own-abri.test'], 30);
    const narrow = await selfSignedCertificate(['own-abri.test'], 30);
    const expired = await selfSignedCertificate(['own-abri.test', 'www.own-abri.test'], -1);
    const post = (body: Record<string, string>) => api('POST', `/api/v1/sites/${site.id}/certificate`, body);
    const mismatch = await post({ certificate: good.cert, privateKey: other.key });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.code, 'certificate.key_mismatch');
    assert.equal(mismatch.body.errors[0].path, 'body.privateKey');
    assert.equal((await post({ certificate: narrow.cert, privateKey: narrow.key })).body.code, 'certificate.names_mismatch');
    assert.equal((await post({ certificate: expired.cert, privateKey: expired.key })).body.code, 'certificate.expired');
    assert.equal((await post({ certificate: 'not a certificate', privateKey: good.key })).body.code, 'certificate.invalid');
    const ok = await post({ certificate: good.cert, privateKey: good.key });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.source, 'custom');
    assert.ok(!JSON.stringify(ok.body).includes('PRIVATE KEY'), 'the key is never shown');
    await until('the edge serves the uploaded certificate', async () => (await tlsFingerprint('own-abri.test')) === ok.body.fingerprint, 20_000);
    const stored = await e.m.manager.app.db.selectFrom('certificates').select('keySealed').where('siteId', '=', site.id).executeTakeFirstOrThrow();
    assert.match(stored.keySealed!, /^v1:/);
    assert.ok(!stored.keySealed!.includes('PRIVATE'), 'keys are encrypted at rest');
    const audit = (await api('GET', '/api/v1/audit?action=certificate.upload')).body.items;
    assert.ok(audit.length >= 1 && !JSON.stringify(audit).includes('PRIVATE KEY'));
    const back = await api('DELETE', `/api/v1/sites/${site.id}/certificate`);
    assert.equal(back.status, 200);
    const auto = await certificateLive(site.id);
    assert.equal(auto.source, 'acme');
  });

  test('removing an HTTPS site takes its certificate off the edge without a reload', async () => {
    const site = (await api('GET', '/api/v1/sites/shop-abri.test')).body;
    const c = await cert(site.id);
    const pem = path.join(e.node.root, 'etc/haproxy/abri/certs', `${c.id}.pem`);
    assert.ok(existsSync(pem));
    const pid = (await readFile(path.join(e.node.root, 'run/abri/haproxy.pid'), 'utf8')).trim();
    assert.equal((await api('DELETE', `/api/v1/sites/${site.id}`)).status, 204);
    await until('certificate off the edge', async () => (await tlsFingerprint('shop-abri.test')) !== c.fingerprint && !existsSync(pem), 20_000);
    assert.equal((await readFile(path.join(e.node.root, 'run/abri/haproxy.pid'), 'utf8')).trim(), pid);
    assert.ok(!(await readFile(path.join(e.node.root, 'etc/haproxy/abri/certs/certs.list'), 'utf8')).includes(c.id));
  });
});
