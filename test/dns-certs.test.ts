// Integration: DNS zones on a real PowerDNS primary (run by Abri's agent) and secondary (an
// autosecondary fed by NOTIFY/AXFR), certificates from a real ACME CA (Pebble) validated through
// the real edge (HAProxy) and DNS, served over HTTPS by the edge and swapped without a reload.
// Pebble resolves names with Abri's PowerDNS and validates HTTP-01 on the edge's port.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { createTestNode, homeMade, requireNodeServices, until, type TestNode } from './helpers/node.js';
import { findExecutable, run } from './harness/run.js';
import { freePort } from './harness/services.js';
import { httpGet, httpsGet } from './harness/http.js';
import { dig, randomLoopback, startPdnsSecondary, type PdnsSecondary } from './harness/pdns-secondary.js';
import { startPebble, type Pebble } from './harness/pebble.js';
import { selfSignedCertificate } from './harness/certificates.js';
import { startDnsForwarder, type DnsForwarder } from './harness/dns-forwarder.js';
import { insertDnsChallenge } from '../src/certs/store-acme.js';
import { zonesChanged } from '../src/dns/store-zones.js';

const missing = requireNodeServices('test/dns-certs.test.ts', test);
const extra = ['pdns_server', 'pebble', 'sqlite3', 'dig', 'openssl', 'curl'].filter((b) => !findExecutable(b));
if (extra.length && process.env.CI === 'true') test('DNS and ACME services are installed (CI=true)', () => assert.fail(`missing: ${extra.join(', ')}`));
else if (extra.length) console.warn(`\n*** SKIPPING test/dns-certs.test.ts: missing ${extra.join(', ')} (this FAILS under CI=true) ***\n`);

describe('DNS on PowerDNS (primary + secondary) and certificates from ACME through the edge', { skip: missing.length + extra.length > 0 }, () => {
  let node: TestNode;
  let m: TestManager;
  let secondary: PdnsSecondary;
  let pebble: Pebble;
  /** the resolver the manager checks names with: Abri's primary, plus CNAMEs set "at a DNS host elsewhere" */
  let world: DnsForwarder;
  let root = '';
  let hosting: { id: string; customerId: string; name: string; uid: number; home: string };
  const primary = { address: randomLoopback(), port: 53 };
  const api = <T = any>(method: string, p: string, body?: unknown) => m.api<T>(method, p, body);
  const cert = async (site: string) => (await api('GET', `/api/v1/sites/${site}/certificate`)).body;
  const https = (host: string, p = '/') => httpsGet(node.edgeTlsPort, host, p, root);

  async function page(site: { documentRoot: string }, text: string) {
    await homeMade(m, hosting.id);
    const dir = path.join(hosting.home, 'var/www', site.documentRoot);
    await mkdir(dir, { recursive: true });
    await chown(dir, hosting.uid, hosting.uid);
    const file = path.join(dir, 'index.html');
    await writeFile(file, text, { mode: 0o644 });
    await chown(file, hosting.uid, hosting.uid);
  }

  async function addSite(body: Record<string, unknown>) {
    const r = await api('POST', `/api/v1/hostings/${hosting.id}/sites`, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }

  /** Waits until the site's certificate is valid and live on the edge. */
  const certificateLive = (siteId: string, ms = 90_000) =>
    until(`certificate of ${siteId} valid and deployed`, async () => {
      const c = await cert(siteId);
      if (c.status === 'failing') throw new Error(`failing: ${c.lastError}`);
      return c.status === 'valid' && c.provisioning?.status === 'live' && c;
    }, ms, 250);

  before(async () => {
    node = await createTestNode(194_300);
    const secondaryAddress = randomLoopback();
    secondary = await startPdnsSecondary({ address: secondaryAddress, primaryAddress: primary.address, primaryNameserver: 'ns1.abri.test' });
    pebble = await startPebble({ httpPort: node.edgePort, dnsServer: `${primary.address}:53` });
    world = await startDnsForwarder({ address: randomLoopback(), upstream: primary });
    m = await startTestManager({
      settings: {
        ...node.settings, ABRI_LOCAL_AGENT: '1',
        ABRI_DNS_LISTEN: `${primary.address}:53`, ABRI_DNS_API_PORT: String(await freePort()),
        ABRI_DNS_NAMESERVERS: 'ns1.abri.test,ns2.abri.test', ABRI_DNS_SECONDARIES: secondaryAddress,
        ABRI_DNS_PRIMARY: primary.address, ABRI_DNS_RESOLVER: `${world.address}:${world.port}`,
        ABRI_ACME_DIRECTORY: pebble.directoryUrl, ABRI_ACME_CA_FILE: pebble.caFile, ABRI_ACME_HTTP_PORT: String(node.edgePort),
        ABRI_PLATFORM_DOMAIN: 'web4me.test', ABRI_DNS_MX: '10 mx.abri.test', ABRI_DNS_SPF: 'v=spf1 mx -all',
        // a renumbering below changes every zone: it goes through the bulk path from 3 zones on
        ABRI_DNS_BULK_ZONES: '3',
      },
    });
    const local = (await api('GET', '/api/v1/servers')).body.items[0];
    assert.equal((await api('PATCH', `/api/v1/servers/${local.id}`, { roles: ['edge', 'web', 'dns'] })).status, 200);
    // the wildcard was first tried before this server published DNS: ask for it again now
    assert.equal((await api('POST', '/api/v1/certificates/platform/renew')).status, 200);
    hosting = (await seedHosting(m, { offer: { maxSites: 20 } })).hosting;
    root = await readFile(await pebble.rootFile(), 'utf8');
  });

  after(async () => {
    await m?.close();
    await node?.cleanup();
    await secondary?.stop();
    await pebble?.stop();
    await world?.stop();
  });

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
    const rootFile = await pebble.rootFile();
    const curl = await run('curl', ['-sS', '--cacert', rootFile, '--resolve', `www.shop-abri.test:${node.edgeTlsPort}:127.0.0.1`, `https://www.shop-abri.test:${node.edgeTlsPort}/`]);
    assert.equal(curl.stdout, 'the shop\n');
    const redirect = await until('redirect on port 80', async () => {
      const a = await httpGet(node.edgePort, 'shop-abri.test', '/a?b=1');
      return a.status === 301 && a;
    }, 20_000);
    assert.equal(redirect.headers.location, 'https://shop-abri.test/a?b=1');
    // ACME challenges still reach the manager on port 80
    assert.equal((await httpGet(node.edgePort, 'shop-abri.test', '/.well-known/acme-challenge/unknown-token-123')).status, 404);
  });

  test('the zone is served by the primary and the secondary, and they agree after a change', async () => {
    const zone = (await api('GET', '/api/v1/zones/shop-abri.test')).body;
    assert.equal(zone.dns, 'managed');
    assert.deepEqual(await dig(primary, 'shop-abri.test', 'A'), ['127.0.0.1']);
    assert.deepEqual(await dig(primary, 'shop-abri.test', 'MX'), ['10 mx.abri.test.']);
    await until('secondary has the zone', async () => (await dig(secondary, 'www.shop-abri.test', 'A')).join() === '127.0.0.1', 20_000);
    const added = await api('POST', `/api/v1/zones/${zone.id}/records`, { name: 'blog', type: 'CNAME', content: 'shop-abri.test' });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    await until('secondary answers the new record', async () => (await dig(secondary, 'blog.shop-abri.test', 'CNAME')).join() === 'shop-abri.test.', 20_000);
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

  test('renewal swaps the certificate: same HAProxy process, no failed request during the swap', async () => {
    const site = (await api('GET', '/api/v1/sites/shop-abri.test')).body;
    const before = await cert(site.id);
    const pidFile = path.join(node.root, 'run/abri/haproxy.pid');
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
    const platform = await until('platform wildcard valid', async () => {
      const c = (await api('GET', '/api/v1/certificates/platform')).body;
      if (c.status === 'failing') throw new Error(c.lastError);
      // the wildcard needs the platform zone answered by the primary: when the first order came
      // before that, the apex is issued alone and the wildcard follows on the retry (a minute later)
      return c.status === 'valid' && c.provisioning?.status === 'live' && c.names.includes('*.web4me.test') && c;
    }, 200_000, 500);
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
    const zone = await api('POST', '/api/v1/zones', { name: 'elsewhere-abri.test', customerId: hosting.customerId, dns: 'external' });
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
    world.cname('_acme-challenge.ext-abri.test', 'bravo-abri.test');
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
    const written = await m.manager.app.db.selectFrom('acmeChallenges').select('id').where('zoneId', '=', zoneB.body.id).execute();
    assert.deepEqual(written, [], 'no challenge was ever written into B\'s zone');
    // and a DNS-01 value at a name with TXT records is added to them, never replacing them (as PowerDNS serves it)
    const db = m.manager.app.db;
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
    const stored = await m.manager.app.db.selectFrom('certificates').select('keySealed').where('siteId', '=', site.id).executeTakeFirstOrThrow();
    assert.match(stored.keySealed!, /^v1:/);
    assert.ok(!stored.keySealed!.includes('PRIVATE'), 'keys are encrypted at rest');
    const audit = (await api('GET', '/api/v1/audit?action=certificate.upload')).body.items;
    assert.ok(audit.length >= 1 && !JSON.stringify(audit).includes('PRIVATE KEY'));
    const back = await api('DELETE', `/api/v1/sites/${site.id}/certificate`);
    assert.equal(back.status, 200);
    const auto = await certificateLive(site.id);
    assert.equal(auto.source, 'acme');
  });

  test('every record type reaches the primary and the secondary as typed; applying again changes nothing', async () => {
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
      await until(`${type} ${name} on the secondary`, async () => (await dig(secondary, name, type)).join() === answer.join(), 20_000);
      assert.deepEqual(await dig(primary, name, type), answer);
    }
    assert.ok((await dig(primary, 'own-abri.test', 'TXT')).some((t) => t.includes(String.raw`google-site-verification=abc \"quoted\" \195\169`)), 'quotes and UTF-8 bytes escaped');
    assert.deepEqual((await dig(primary, 'long.own-abri.test', 'TXT'))[0]!.split('" "').map((p) => p.replace(/"/g, '').length), [255, 45]);
    // the content Abri keeps is the content PowerDNS answers: a second apply patches nothing
    const serial = async () => Number((await dig(primary, 'own-abri.test', 'SOA'))[0]!.split(' ')[2]);
    await until('zone live', async () => (await api('GET', `/api/v1/zones/${zone.id}`)).body.provisioning.status === 'live', 20_000);
    const before = await serial();
    const agent = m.manager.agent!;
    const applied = agent.applied;
    const state = await (await import('../src/agent/store.js')).buildDesiredState(m.manager.app.db, m.manager.app.config, (await api('GET', '/api/v1/servers')).body.items[0].id);
    await agent.apply(state);
    await agent.apply(state);
    assert.ok(agent.applied >= applied + 2);
    assert.equal(await serial(), before, 'the zone was not changed again');
  });

  test('removing an HTTPS site takes its certificate off the edge without a reload', async () => {
    const site = (await api('GET', '/api/v1/sites/shop-abri.test')).body;
    const c = await cert(site.id);
    const pem = path.join(node.root, 'etc/haproxy/abri/certs', `${c.id}.pem`);
    assert.ok(existsSync(pem));
    const pid = (await readFile(path.join(node.root, 'run/abri/haproxy.pid'), 'utf8')).trim();
    assert.equal((await api('DELETE', `/api/v1/sites/${site.id}`)).status, 204);
    await until('certificate off the edge', async () => (await tlsFingerprint('shop-abri.test')) !== c.fingerprint && !existsSync(pem), 20_000);
    assert.equal((await readFile(path.join(node.root, 'run/abri/haproxy.pid'), 'utf8')).trim(), pid);
    assert.ok(!(await readFile(path.join(node.root, 'etc/haproxy/abri/certs/certs.list'), 'utf8')).includes(c.id));
  });

  test('a zone deleted behind Abri\'s back comes back (drift repair)', async () => {
    const key = (await readFile(path.join(node.root, 'etc/powerdns/abri/api-key'), 'utf8')).trim();
    const port = Number(/webserver-port=(\d+)/.exec(await readFile(path.join(node.root, 'etc/powerdns/abri/pdns.conf'), 'utf8'))![1]);
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/servers/localhost/zones/own-abri.test.`, { method: 'DELETE', headers: { 'X-API-Key': key } });
    assert.equal(res.status, 204);
    assert.deepEqual(await dig(primary, 'own-abri.test', 'A'), []);
    await until('zone recreated', async () => (await dig(primary, 'own-abri.test', 'A')).join() === '127.0.0.1', 30_000);
    // recreated above its former serial: the secondary, which kept the zone, takes the new one
    const [p, s] = await Promise.all([dig(primary, 'own-abri.test', 'SOA'), dig(secondary, 'own-abri.test', 'SOA')]);
    assert.ok(Number(p[0]!.split(' ')[2]) >= Number(s[0]!.split(' ')[2]), `primary ${p[0]} is not behind the secondary ${s[0]}`);
  });

  test('renumbering the edge changes every zone at once (in bulk), on the primary and the secondary', async () => {
    const local = (await api('GET', '/api/v1/servers')).body.items[0];
    const zones = (await api('GET', '/api/v1/zones?limit=100')).body.items.filter((z: { dns: string }) => z.dns === 'managed').map((z: { name: string }) => z.name);
    assert.ok(zones.length >= 4, `${zones.length} zones`);
    const serial = async (zone: string) => Number((await dig(primary, zone, 'SOA'))[0]!.split(' ')[2]);
    const before = await serial('own-abri.test');
    assert.equal((await api('PATCH', `/api/v1/servers/${local.id}`, { publicAddresses: ['127.0.0.2'] })).status, 200);
    for (const zone of zones) {
      await until(`${zone} renumbered on the secondary`, async () => (await dig(secondary, zone, 'A')).join() === '127.0.0.2', 30_000);
      assert.deepEqual(await dig(primary, zone, 'A'), ['127.0.0.2']);
    }
    assert.ok((await serial('own-abri.test')) > before, 'the serial went up');
    const log = await readFile(path.join(node.root, 'var/log/abri/pdns.log'), 'utf8').catch(() => '');
    assert.doesNotMatch(log, /database is locked|permission denied|readonly database/i);
    const records = (await api('GET', '/api/v1/zones/own-abri.test/records')).body.items;
    assert.ok(records.some((r: { type: string; content: string; managed: boolean }) => r.type === 'A' && r.content === '127.0.0.2' && r.managed));
    // and back, still in bulk; the zones are then unchanged for PowerDNS's own API too
    assert.equal((await api('PATCH', `/api/v1/servers/${local.id}`, { publicAddresses: [] })).status, 200);
    for (const zone of zones) await until(`${zone} back on the primary`, async () => (await dig(primary, zone, 'A')).join() === '127.0.0.1', 30_000);
    const key = (await readFile(path.join(node.root, 'etc/powerdns/abri/api-key'), 'utf8')).trim();
    const port = Number(/webserver-port=(\d+)/.exec(await readFile(path.join(node.root, 'etc/powerdns/abri/pdns.conf'), 'utf8'))![1]);
    const z = await (await fetch(`http://127.0.0.1:${port}/api/v1/servers/localhost/zones/own-abri.test.`, { headers: { 'X-API-Key': key } })).json() as { rrsets: Array<{ name: string; type: string; records: Array<{ content: string }> }> };
    assert.deepEqual(z.rrsets.find((r) => r.name === 'www.own-abri.test.' && r.type === 'A')?.records.map((r) => r.content), ['127.0.0.1']);
  });

  /** The fingerprint of what the edge presents for a name (self-signed certificates fail verification). */
  async function tlsFingerprint(host: string): Promise<string> {
    const tls = await import('node:tls');
    return new Promise((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port: node.edgeTlsPort, servername: host, rejectUnauthorized: false }, () => {
        resolve(s.getPeerCertificate().fingerprint256.replace(/:/g, '').toLowerCase());
        s.end();
      });
      s.on('error', reject);
    });
  }
});
