// The environment of the DNS and certificate integration tests (dns-certs-*.test.ts): a test node
// whose agent runs the edge (HAProxy), the web server and a PowerDNS primary, a PowerDNS
// autosecondary fed by NOTIFY/AXFR, optionally a real ACME CA (Pebble) that resolves names with
// Abri's PowerDNS and validates HTTP-01 on the edge's port, and a resolver for "a DNS host elsewhere".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestManager, seedHosting, type TestManager } from './manager.js';
import { createTestNode, homeMade, requireNodeServices, until, type TestNode } from './node.js';
import { findExecutable } from '../harness/run.js';
import { freePort } from '../harness/services.js';
import { httpsGet } from '../harness/http.js';
import { randomLoopback, startPdnsSecondary, type PdnsSecondary } from '../harness/pdns-secondary.js';
import { startPebble, type Pebble } from '../harness/pebble.js';
import { startDnsForwarder, type DnsForwarder } from '../harness/dns-forwarder.js';

/** The services these tests need that are missing (a failing test under CI=true, else said loudly). */
export function missingDnsCertsServices(file: string): string[] {
  const missing = requireNodeServices(file, test);
  const extra = ['pdns_server', 'pebble', 'sqlite3', 'dig', 'openssl', 'curl'].filter((b) => !findExecutable(b));
  if (extra.length && process.env.CI === 'true') test('DNS and ACME services are installed (CI=true)', () => assert.fail(`missing: ${extra.join(', ')}`));
  else if (extra.length) console.warn(`\n*** SKIPPING ${file}: missing ${extra.join(', ')} (this FAILS under CI=true) ***\n`);
  return [...missing, ...extra];
}

export interface DnsCertsEnvironment {
  node: TestNode;
  m: TestManager;
  secondary: PdnsSecondary;
  /** only with { acme: true } */
  pebble: Pebble;
  /** the resolver the manager checks names with: Abri's primary, plus CNAMEs set "at a DNS host elsewhere" */
  world: DnsForwarder;
  /** Pebble's root (PEM), to verify what the edge serves */
  root: string;
  hosting: { id: string; customerId: string; name: string; uid: number; home: string };
}

/**
 * Starts the environment before the tests of the calling describe() and stops it after them. The
 * returned object is filled in by then; its helpers may be used in the tests.
 */
export function useDnsCertsEnvironment(opts: { uidBase: number; acme: boolean }) {
  const e = {} as DnsCertsEnvironment;
  const primary = { address: randomLoopback(), port: 53 };
  const api = <T = any>(method: string, p: string, body?: unknown) => e.m.api<T>(method, p, body);
  const cert = async (site: string) => (await api('GET', `/api/v1/sites/${site}/certificate`)).body;
  const https = (host: string, p = '/') => httpsGet(e.node.edgeTlsPort, host, p, e.root);

  /** Puts index.html with `text` in the site's document root, once the agent made the hosting's home. */
  async function page(site: { documentRoot: string }, text: string) {
    await homeMade(e.m, e.hosting.id);
    const dir = path.join(e.hosting.home, 'var/www', site.documentRoot);
    await mkdir(dir, { recursive: true });
    await chown(dir, e.hosting.uid, e.hosting.uid);
    const file = path.join(dir, 'index.html');
    await writeFile(file, text, { mode: 0o644 });
    await chown(file, e.hosting.uid, e.hosting.uid);
  }

  async function addSite(body: Record<string, unknown>) {
    const r = await api('POST', `/api/v1/hostings/${e.hosting.id}/sites`, body);
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

  /** The fingerprint of what the edge presents for a name (self-signed certificates fail verification). */
  async function tlsFingerprint(host: string): Promise<string> {
    const tls = await import('node:tls');
    return new Promise((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port: e.node.edgeTlsPort, servername: host, rejectUnauthorized: false }, () => {
        resolve(s.getPeerCertificate().fingerprint256.replace(/:/g, '').toLowerCase());
        s.end();
      });
      s.on('error', reject);
    });
  }

  /** The address and API key of the primary's PowerDNS API. */
  async function pdnsApi() {
    const key = (await readFile(path.join(e.node.root, 'etc/powerdns/abri/api-key'), 'utf8')).trim();
    const port = Number(/webserver-port=(\d+)/.exec(await readFile(path.join(e.node.root, 'etc/powerdns/abri/pdns.conf'), 'utf8'))![1]);
    return { key, port };
  }

  before(async () => {
    e.node = await createTestNode(opts.uidBase);
    const secondaryAddress = randomLoopback();
    e.secondary = await startPdnsSecondary({ address: secondaryAddress, primaryAddress: primary.address, primaryNameserver: 'ns1.abri.test' });
    if (opts.acme) e.pebble = await startPebble({ httpPort: e.node.edgePort, dnsServer: `${primary.address}:53` });
    e.world = await startDnsForwarder({ address: randomLoopback(), upstream: primary });
    e.m = await startTestManager({
      settings: {
        ...e.node.settings, ABRI_LOCAL_AGENT: '1',
        ABRI_DNS_LISTEN: `${primary.address}:53`, ABRI_DNS_API_PORT: String(await freePort()),
        ABRI_DNS_NAMESERVERS: 'ns1.abri.test,ns2.abri.test', ABRI_DNS_SECONDARIES: secondaryAddress,
        ABRI_DNS_PRIMARY: primary.address, ABRI_DNS_RESOLVER: `${e.world.address}:${e.world.port}`,
        ...(opts.acme ? { ABRI_ACME_DIRECTORY: e.pebble.directoryUrl, ABRI_ACME_CA_FILE: e.pebble.caFile, ABRI_ACME_HTTP_PORT: String(e.node.edgePort) } : {}),
        ABRI_PLATFORM_DOMAIN: 'web4me.test', ABRI_DNS_MX: '10 mx.abri.test', ABRI_DNS_SPF: 'v=spf1 mx -all',
        // a renumbering changes every zone: it goes through the bulk path from 3 zones on
        ABRI_DNS_BULK_ZONES: '3',
      },
    });
    const local = (await api('GET', '/api/v1/servers')).body.items[0];
    assert.equal((await api('PATCH', `/api/v1/servers/${local.id}`, { roles: ['edge', 'web', 'dns'] })).status, 200);
    // the wildcard was first tried before this server published DNS: ask for it again now
    if (opts.acme) assert.equal((await api('POST', '/api/v1/certificates/platform/renew')).status, 200);
    e.hosting = (await seedHosting(e.m, { offer: { maxSites: 20 } })).hosting;
    if (opts.acme) e.root = await readFile(await e.pebble.rootFile(), 'utf8');
  });

  after(async () => {
    await e.m?.close();
    await e.node?.cleanup();
    await e.secondary?.stop();
    await e.pebble?.stop();
    await e.world?.stop();
  });

  return { e, primary, api, cert, https, page, addSite, certificateLive, tlsFingerprint, pdnsApi };
}
