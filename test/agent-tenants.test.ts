// Integration (root, real Apache, PHP-FPM, HAProxy and PowerDNS run by the in-process agent): one
// customer's objects never hurt another's. Bad objects are put STRAIGHT INTO THE DATABASE, as if the
// API had let them through (it refuses them; these tests bypass it on purpose): each is left out and
// reported on its own object, and every other customer's changes still go live through the web
// server, the edge and the DNS. A certificate naming another customer's host is never presented for
// it. An account or home Abri did not create for a hosting is never adopted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile, chown, chmod } from 'node:fs/promises';
import path from 'node:path';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { createTestNode, requireNodeServices, until, type TestNode } from './helpers/node.js';
import { findExecutable, run } from './harness/run.js';
import { freePort } from './harness/services.js';
import { httpGet } from './harness/http.js';
import { dig, randomLoopback } from './harness/pdns-secondary.js';
import { selfSignedCertificate } from './harness/certificates.js';
import { putAs } from './harness/isolation-checks.js';

const missing = requireNodeServices('test/agent-tenants.test.ts', test);
const extra = ['pdns_server', 'sqlite3', 'dig', 'openssl'].filter((b) => !findExecutable(b));
if (extra.length && process.env.CI === 'true') test('PowerDNS and openssl are installed (CI=true)', () => assert.fail(`missing: ${extra.join(', ')}`));
else if (extra.length) console.warn(`\n*** SKIPPING test/agent-tenants.test.ts: missing ${extra.join(', ')} (this FAILS under CI=true) ***\n`);

interface Hosting { id: string; name: string; uid: number; home: string }
interface Site { id: string; domain: string }

const UID_BASE = 194_500;

describe('one tenant\'s object never hurts another\'s (web, edge, DNS, certificates, accounts)', { skip: missing.length + extra.length > 0 }, () => {
  let node: TestNode;
  let m: TestManager;
  let a: Hosting;
  let b: Hosting;
  const primary = { address: randomLoopback(), port: 53 };
  const sites: Record<string, Site> = {};
  const edge = (host: string, p = '/') => httpGet(node.edgePort, host, p);
  const db = () => m.manager.app.db;

  async function addSite(h: Hosting, domain: string, aliases: string[] = []): Promise<Site> {
    const r = await m.api('POST', `/api/v1/hostings/${h.id}/sites`, { domain, aliases });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return (sites[domain] = { id: r.body.id, domain });
  }
  /** The site's page, written as its hosting once its home exists (the agent makes it). */
  async function page(h: Hosting, s: Site) {
    const docroot = (await m.api('GET', `/api/v1/sites/${s.id}`)).body.documentRoot as string;
    await until(`home of ${h.name}`, async () => (await stat(path.join(h.home, 'var/www')).catch(() => null)) !== null);
    await putAs(h, path.join(h.home, 'var/www', docroot, 'index.html'), `${s.domain} of ${h.name}\n`, 0o644);
  }
  const provisioning = async (s: Site) => (await m.api('GET', `/api/v1/sites/${s.id}`)).body.provisioning;
  const served = (h: Hosting, s: Site, host = s.domain) => until(`${host} served through the edge`, async () => (await edge(host)).body === `${s.domain} of ${h.name}\n`);
  const live = (s: Site) => until(`${s.domain} live`, async () => (await provisioning(s)).status === 'live');

  before(async () => {
    node = await createTestNode(UID_BASE, 20);
    m = await startTestManager({
      settings: {
        ...node.settings, ABRI_LOCAL_AGENT: '1',
        ABRI_DNS_LISTEN: `${primary.address}:53`, ABRI_DNS_API_PORT: String(await freePort()),
        ABRI_DNS_NAMESERVERS: 'ns1.abri.test,ns2.abri.test', ABRI_DNS_PRIMARY: primary.address, ABRI_DNS_RESOLVER: primary.address,
      },
    });
    const local = (await m.api('GET', '/api/v1/servers')).body.items[0];
    assert.equal((await m.api('PATCH', `/api/v1/servers/${local.id}`, { roles: ['edge', 'web', 'dns'] })).status, 200);
    a = (await seedHosting(m, { customer: 'Alpha', offer: { maxSites: 10 } })).hosting;
    b = (await seedHosting(m, { customer: 'Beta', offer: { maxSites: 10 } })).hosting;
    for (const [h, domain] of [[a, 'shop.alpha-a.test'], [a, 'blog.alpha-a.test'], [a, 'www.alpha-a.test'], [b, 'www.beta-b.test']] as const) await addSite(h, domain);
    for (const s of Object.values(sites)) await live(s);
    for (const [h, domain] of [[a, 'shop.alpha-a.test'], [a, 'blog.alpha-a.test'], [a, 'www.alpha-a.test'], [b, 'www.beta-b.test']] as const) {
      await page(h, sites[domain]!);
      await served(h, sites[domain]!);
    }
  });

  after(async () => {
    await m?.close();
    await node?.cleanup();
  });

  test('unrenderable and refused objects of A are left out and reported on their own; B\'s changes go live through web, edge and DNS', async () => {
    // (1) an alias no renderer accepts, on A's shop (web and edge)
    const shop = sites['shop.alpha-a.test']!;
    const before = await db().selectFrom('sites').select('aliases').where('id', '=', shop.id).executeTakeFirstOrThrow();
    await db().updateTable('sites').set({ aliases: [...before.aliases, 'xn--zz.alpha-a.test'] }).where('id', '=', shop.id).execute();
    // (2) a record PowerDNS refuses, in A's zone
    const zoneA = (await m.api('GET', '/api/v1/zones/alpha-a.test')).body;
    const zoneB = (await m.api('GET', '/api/v1/zones/beta-b.test')).body;
    assert.ok(zoneA.id && zoneB.id, JSON.stringify([zoneA, zoneB]));
    await db().insertInto('dnsRecords').values({ zoneId: zoneA.id, name: 'mail.alpha-a.test', type: 'MX', content: 'this is not an MX record', ttl: 300 }).execute();
    // (3) a certificate HAProxy refuses (RSA-512), for A's blog
    const blog = sites['blog.alpha-a.test']!;
    await insertCertificate(blog.id, await rsa512Certificate('blog.alpha-a.test'));

    // B changes things through the API: a new site with an alias, a record in its zone
    const shopB = await addSite(b, 'shop.beta-b.test', ['boutique.beta-b.test']);
    const txt = await m.api('POST', `/api/v1/zones/${zoneB.id}/records`, { name: 'hello', type: 'TXT', content: 'from beta' });
    assert.equal(txt.status, 201, JSON.stringify(txt.body));
    await page(b, shopB);
    await live(shopB);
    await served(b, shopB, 'boutique.beta-b.test');
    await until('B\'s record answered by the DNS', async () => (await dig(primary, 'hello.beta-b.test', 'TXT')).join() === '"from beta"');
    await until('B\'s zone live', async () => (await m.api('GET', `/api/v1/zones/${zoneB.id}`)).body.provisioning.status === 'live');

    // A's bad objects: an error each, on that object only, naming only that object
    const shopState = await until('A\'s shop in error', async () => {
      const p = await provisioning(shop);
      return p.status === 'error' && p;
    });
    assert.equal(shopState.code, 'render.invalid');
    assert.match(shopState.message, /xn--zz\.alpha-a\.test/);
    assert.doesNotMatch(shopState.message, /beta-b|blog\.alpha|www\.alpha/, 'the message names only A\'s shop');
    const zoneState = await until('A\'s zone in error', async () => {
      const z = (await m.api('GET', `/api/v1/zones/${zoneA.id}`)).body.provisioning;
      return z.status === 'error' && z;
    });
    assert.equal(zoneState.code, 'dns.zone_refused');
    assert.equal(zoneState.params.zone, 'alpha-a.test');
    assert.doesNotMatch(zoneState.message, /beta-b/);
    const certState = await until('A\'s RSA-512 certificate in error', async () => {
      const c = (await m.api('GET', `/api/v1/sites/${blog.id}/certificate`)).body.provisioning;
      return c?.status === 'error' && c;
    });
    assert.equal(certState.code, 'edge.certificate_refused');
    assert.doesNotMatch(certState.message, /beta-b/);

    // everybody else, A's other sites included, still served; the server itself reports no error
    await served(a, blog);
    await served(a, sites['www.alpha-a.test']!);
    await served(b, sites['www.beta-b.test']!);
    assert.equal((await edge('shop.alpha-a.test')).status, 404, 'A\'s shop is left out whole (not half configured)');
    for (const s of [blog, sites['www.alpha-a.test']!, sites['www.beta-b.test']!, shopB]) assert.equal((await provisioning(s)).status, 'live', s.domain);
    assert.equal((await m.api('GET', '/api/v1/servers')).body.items[0].lastError, null);

    // A repairs its shop: it goes live again
    await db().updateTable('sites').set({ aliases: before.aliases }).where('id', '=', shop.id).execute();
    await m.api('PATCH', `/api/v1/sites/${shop.id}`, { aliases: ['www2.alpha-a.test'] });
    await live(shop);
    await served(a, shop, 'www2.alpha-a.test');
  });

  test('a certificate of A naming B\'s host is never presented for B\'s host, nor turns B\'s redirect to HTTPS on', async () => {
    const own = sites['www.alpha-a.test']!;
    const foreign = sites['www.beta-b.test']!;
    const pem = await selfSignedCertificate([own.domain, foreign.domain], 30);
    const fingerprint = await insertCertificate(own.id, pem);
    assert.equal((await m.api('PATCH', `/api/v1/sites/${own.id}`, { httpsMode: 'both' })).status, 200);
    await until('A\'s certificate live on the edge', async () => (await m.api('GET', `/api/v1/sites/${own.id}/certificate`)).body.provisioning?.status === 'live');
    // through the real HAProxy, as a browser asks: SNI = the name
    assert.equal(await presented(own.domain), fingerprint, 'A\'s name gets A\'s certificate (it is deployed)');
    assert.notEqual(await presented(foreign.domain), fingerprint, 'B\'s name never gets A\'s certificate');
    const list = await readFile(path.join(node.root, 'etc/haproxy/abri/certs/certs.list'), 'utf8');
    const id = await certificateId(own.id);
    const line = list.split('\n').find((l) => l.includes(`/${id}.pem`))!;
    assert.deepEqual(line.split(' ').slice(1), [own.domain], 'the crt-list binds it to A\'s names only');
    // B's site (redirect mode by default) has no certificate of its own: port 80 keeps serving it
    const r = await edge(foreign.domain);
    assert.equal(r.status, 200, `B is not redirected to HTTPS by A's certificate: ${r.status} ${r.headers.location ?? ''}`);
  });

  test('an account or home Abri did not create is never adopted: the hosting is refused, the files are left alone', async () => {
    // an earlier installation left a user with its home and files, and another home without a user
    const next = Math.max(...((await m.api('GET', '/api/v1/hostings?limit=100')).body.items as Hosting[]).map((h) => h.uid)) + 1;
    const [userUid, homeUid] = [next, next + 1];
    const oldHome = path.join(node.root, 'home', `abt${userUid}`);
    await run('groupadd', ['-g', String(userUid), `abt${userUid}`]);
    await run('useradd', ['-u', String(userUid), '-g', String(userUid), '-d', oldHome, '-M', '-s', '/usr/sbin/nologin', `abt${userUid}`]);
    const homeOnly = path.join(node.root, 'home', `abt${homeUid}`);
    const plant = async (home: string, owner: number) => {
      await mkdir(path.join(home, 'var/www/old-site'), { recursive: true });
      await writeFile(path.join(home, 'var/www/old-site/index.php'), '<?php echo "old customer data";');
      for (const p of [home, path.join(home, 'var'), path.join(home, 'var/www'), path.join(home, 'var/www/old-site'), path.join(home, 'var/www/old-site/index.php')]) {
        await chown(p, owner, owner);
        await chmod(p, 0o750);
      }
    };
    await plant(oldHome, userUid);
    await plant(homeOnly, 0);
    const snapshot = async (home: string) => {
      const out: string[] = [];
      const walk = async (d: string) => {
        for (const e of await readdir(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          const st = await stat(p);
          out.push(`${path.relative(home, p)} ${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)} ${e.isFile() ? await readFile(p, 'utf8') : ''}`);
          if (e.isDirectory()) await walk(p);
        }
      };
      const st = await stat(home);
      out.push(`. ${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)}`);
      await walk(home);
      return out.sort();
    };
    const before = { user: await snapshot(oldHome), home: await snapshot(homeOnly), passwd: await passwdLine(`abt${userUid}`) };

    // a fresh manager's new hostings get those uids (and homes)
    const taken = (await seedHosting(m, { customer: 'Gamma', offer: { maxSites: 10 } })).hosting as Hosting;
    const homeTaken = (await seedHosting(m, { customer: 'Delta', offer: { maxSites: 10 } })).hosting as Hosting;
    assert.deepEqual([taken.uid, homeTaken.uid], [userUid, homeUid]);
    const s1 = await addSite(taken, 'gamma-g.test');
    const s2 = await addSite(homeTaken, 'delta-d.test');
    // meanwhile B's change goes live
    const other = await addSite(b, 'news.beta-b.test');
    await page(b, other);
    await live(other);

    const refused = async (h: Hosting, code: string) => until(`${h.name} refused`, async () => {
      const p = (await m.api('GET', `/api/v1/hostings/${h.id}`)).body.provisioning;
      return p?.status === 'error' && p.code === code && p;
    });
    const p1 = await refused(taken, 'web.account_not_ours');
    assert.deepEqual(p1.params, { name: taken.name, uid: taken.uid, server: 'local' });
    assert.match(p1.message, /not created by Abri for this hosting/);
    const p2 = await refused(homeTaken, 'web.home_not_ours');
    assert.equal(p2.params.home, homeOnly);
    for (const s of [s1, s2]) {
      const p = await provisioning(s);
      assert.equal(p.status, 'error');
      assert.equal(p.code, 'web.hosting_failed');
    }
    // another apply after the refusal (the refused hostings are looked at again each time): still nothing touched
    const later = await addSite(b, 'later.beta-b.test');
    await page(b, later);
    await live(later);
    assert.deepEqual(await snapshot(oldHome), before.user, 'the old home and its files are untouched (owner, mode, content)');
    assert.deepEqual(await snapshot(homeOnly), before.home, 'the other old home is untouched');
    assert.equal(await passwdLine(`abt${userUid}`), before.passwd, 'the old user is untouched');
    assert.equal(await passwdLine(`abt${homeUid}`), undefined, 'no user made over a foreign home');
    assert.equal((await edge('gamma-g.test')).status, 404, 'nothing of the old home is served');
    await assert.rejects(stat(path.join(node.root, 'run/abri/php-8.2', `${taken.name}.sock`)), 'no pool runs as the old user');
  });

  async function passwdLine(name: string) {
    return (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith(`${name}:`));
  }

  /** Puts a certificate (PEM and key) for a site straight into the database; returns its fingerprint. */
  async function insertCertificate(siteId: string, pem: { cert: string; key: string }): Promise<string> {
    const x = new X509Certificate(pem.cert);
    const fingerprint = x.fingerprint256.replace(/:/g, '').toLowerCase();
    const names = (x.subjectAltName ?? '').split(', ').filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4));
    const row = {
      kind: 'site' as const, source: 'custom' as const, status: 'valid' as const, names, problems: '[]', issuer: x.issuer, serial: x.serialNumber, fingerprint,
      notBefore: new Date(x.validFrom), notAfter: new Date(x.validTo), certPem: pem.cert, chainPem: null, keySealed: m.manager.app.secrets().seal(pem.key),
      renewAt: null, lastError: null, lastAttemptAt: null,
    };
    // the site's certificate row (a site allowed TLS has one, waiting for its certificate)
    const updated = await db().updateTable('certificates').set(row).where('siteId', '=', siteId).executeTakeFirst();
    if (!Number(updated.numUpdatedRows)) await db().insertInto('certificates').values({ siteId, ...row }).execute();
    return fingerprint; // the insert is no change of the platform: the caller's next change brings it to the edge
  }

  async function certificateId(siteId: string) {
    return (await db().selectFrom('certificates').select('id').where('siteId', '=', siteId).executeTakeFirstOrThrow()).id;
  }

  /** The fingerprint of the certificate the edge presents for this SNI name (openssl s_client). */
  async function presented(name: string): Promise<string> {
    const r = await run('openssl', ['s_client', '-connect', `127.0.0.1:${node.edgeTlsPort}`, '-servername', name, '-showcerts'], { allowFailure: true, timeoutMs: 15_000, input: '' });
    const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(r.stdout)?.[0];
    assert.ok(block, `openssl s_client got no certificate for ${name}: ${r.stderr}`);
    return new X509Certificate(block).fingerprint256.replace(/:/g, '').toLowerCase();
  }
});

/** A self-signed certificate with a 512-bit RSA key (refused by HAProxy's TLS library). */
async function rsa512Certificate(name: string): Promise<{ cert: string; key: string }> {
  const dir = await mkdtemp('/tmp/abri-rsa512-');
  try {
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:512', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'),
      '-subj', `/CN=${name}`, '-days', '30', '-addext', `subjectAltName=DNS:${name}`]);
    return { cert: await readFile(path.join(dir, 'c.pem'), 'utf8'), key: await readFile(path.join(dir, 'k.pem'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
