// Self-test of the DNS and ACME harness: a primary PowerDNS (started here, zone made through its
// HTTP API) NOTIFYs an autosecondary (startPdnsSecondary) that then serves the zone; Pebble resolves
// the zone's name through the primary and issues a certificate with acme-client over HTTP-01.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import acme from 'acme-client';
import { findExecutable, run, signal, startProcess } from './harness/run.js';
import { freePort } from './harness/services.js';
import { dig, randomLoopback, startPdnsSecondary, type PdnsSecondary } from './harness/pdns-secondary.js';
import { startPebble, type Pebble } from './harness/pebble.js';
import { until } from './helpers/node.js';

const FILE = 'test/harness-dns-acme.test.ts';
const missing = ['pdns_server', 'pebble', 'sqlite3', 'dig', 'openssl'].filter((b) => !findExecutable(b));
if (process.getuid?.() !== 0) missing.push('root (DNS servers listen on port 53)');
if (missing.length && process.env.CI === 'true') test('DNS/ACME services are installed (CI=true)', () => { throw new Error(`missing: ${missing.join(', ')}`); });
else if (missing.length) console.warn(`\n*** SKIPPING ${FILE}: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

const ZONE = 'harness-self-test.test.';
const NAME = ZONE.slice(0, -1);

describe('DNS and ACME harness', { skip: missing.length > 0 }, () => {
  const primaryAddress = randomLoopback();
  let secondaryAddress = randomLoopback();
  while (secondaryAddress === primaryAddress) secondaryAddress = randomLoopback();
  let primaryDir = '';
  let primary: ChildProcess | null = null;
  let apiPort = 0;
  let secondary: PdnsSecondary | null = null;
  let pebble: Pebble | null = null;
  let challenges: http.Server | null = null;
  const tokens = new Map<string, string>();

  const api = async (method: string, p: string, body?: unknown) => {
    const r = await fetch(`http://127.0.0.1:${apiPort}/api/v1/servers/localhost${p}`, {
      method, headers: { 'X-API-Key': 'k', 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
    return text;
  };

  before(async () => {
    primaryDir = await mkdtemp('/tmp/abri-pdns1-');
    const db = path.join(primaryDir, 'pdns.sqlite3');
    await run('sqlite3', [db, '.read /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql']);
    apiPort = await freePort();
    const conf = [
      'launch=gsqlite3', `gsqlite3-database=${db}`,
      `local-address=${primaryAddress}`, 'local-port=53',
      // NOTIFYs leave from this address: the secondary trusts it and AXFRs back from it on port 53
      `query-local-address=${primaryAddress}`,
      'primary=yes',
      // EMPTY on purpose: by default PowerDNS also notifies the addresses of the zone's NS names,
      // resolving them first, which hangs without network. Only the also-notify target is notified.
      'only-notify=',
      `also-notify=${secondaryAddress}`, `allow-axfr-ips=${secondaryAddress}`,
      'api=yes', 'api-key=k', 'webserver=yes', 'webserver-address=127.0.0.1', `webserver-port=${apiPort}`, 'webserver-allow-from=127.0.0.0/8',
      'default-api-rectify=no', 'xfr-cycle-interval=1',
      `socket-dir=${primaryDir}`, 'daemon=no', 'guardian=no', 'disable-syslog=yes',
    ];
    await writeFile(path.join(primaryDir, 'pdns.conf'), conf.join('\n') + '\n');
    primary = startProcess('pdns_server', [`--config-dir=${primaryDir}`], { logFile: path.join(primaryDir, 'pdns.log') });
    process.on('exit', () => primary?.pid && signal(primary.pid, 'SIGKILL'));
    await until('the primary PowerDNS API', async () => (await api('GET', '/zones')) !== undefined, 15_000);

    secondary = await startPdnsSecondary({ address: secondaryAddress, primaryAddress, primaryNameserver: 'ns1.abri.test' });

    const httpPort = await freePort();
    challenges = http.createServer((req, res) => {
      const token = /^\/\.well-known\/acme-challenge\/([\w-]+)$/.exec(req.url ?? '')?.[1];
      const answer = token && tokens.get(token);
      res.writeHead(answer ? 200 : 404, { 'Content-Type': 'text/plain' }).end(answer || 'not found');
    });
    await new Promise<void>((resolve) => challenges!.listen(httpPort, '127.0.0.1', resolve));
    pebble = await startPebble({ httpPort, dnsServer: `${primaryAddress}:53` });
  });

  after(async () => {
    await pebble?.stop().catch(() => undefined);
    await new Promise((r) => (challenges ? challenges.close(r) : r(undefined)));
    await secondary?.stop().catch(() => undefined);
    if (primary?.pid && primary.exitCode === null) {
      const exited = new Promise((r) => primary!.once('exit', r));
      signal(primary.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
      signal(primary.pid, 'SIGKILL');
    }
    if (primaryDir) await rm(primaryDir, { recursive: true, force: true });
  });

  test('a zone created on the primary reaches the autosecondary by NOTIFY/AXFR', async () => {
    await api('POST', '/zones', {
      name: ZONE, kind: 'Master', soa_edit_api: 'DEFAULT', nameservers: [],
      rrsets: [
        { name: ZONE, type: 'SOA', ttl: 300, records: [{ content: 'ns1.abri.test. hostmaster.abri.test. 0 10800 3600 604800 300', disabled: false }] },
        { name: ZONE, type: 'NS', ttl: 300, records: [{ content: 'ns1.abri.test.', disabled: false }] },
        { name: ZONE, type: 'A', ttl: 300, records: [{ content: '127.0.0.1', disabled: false }] },
      ],
    });
    assert.deepEqual(await dig({ address: primaryAddress, port: 53 }, NAME, 'A'), ['127.0.0.1']);
    await api('PUT', `/zones/${ZONE}/notify`);
    const answer = await until('the secondary serving the zone', async () => {
      const a = await dig(secondary!, NAME, 'A');
      return a.length ? a : undefined;
    }, 10_000);
    assert.deepEqual(answer, ['127.0.0.1']);
  });

  test('Pebble issues a certificate over HTTP-01 for a name the primary serves', async () => {
    const p = pebble!;
    // acme-client talks to Pebble through its own axios instance: trust the harness HTTPS CA there only
    acme.axios.defaults.httpsAgent = new https.Agent({ ca: await readFile(p.caFile, 'utf8') });
    const client = new acme.Client({ directoryUrl: p.directoryUrl, accountKey: await acme.crypto.createPrivateEcdsaKey() });
    const [, csr] = await acme.crypto.createCsr({ commonName: NAME }, await acme.crypto.createPrivateEcdsaKey());
    const pem = await client.auto({
      csr, termsOfServiceAgreed: true, challengePriority: ['http-01'],
      // acme-client would otherwise fetch the challenge itself on port 80 through the system resolver
      skipChallengeVerification: true,
      challengeCreateFn: async (_authz, challenge, keyAuthorization) => void tokens.set(challenge.token, keyAuthorization),
      challengeRemoveFn: async (_authz, challenge) => void tokens.delete(challenge.token),
    });

    const chain = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!.map((c) => new X509Certificate(c));
    const root = new X509Certificate(await p.rootPem());
    assert.ok(chain.length >= 2, 'leaf + intermediate');
    assert.match(chain[0].subjectAltName ?? '', new RegExp(`DNS:${NAME.replace(/\./g, '\\.')}`));
    // every link is signed by the next one, the last by Pebble's root, which is self-signed
    [...chain, root].forEach((cert, i, all) => assert.ok(cert.verify((all[i + 1] ?? root).publicKey), `link ${i} verifies`));
    // and OpenSSL agrees, with the file the harness writes for `curl --cacert`
    const leafFile = path.join(p.dir, 'issued.pem');
    await writeFile(leafFile, chain[0].toString());
    const { stdout } = await run('openssl', ['verify', '-CAfile', await p.rootFile(), leafFile]);
    assert.match(stdout, /: OK/);
  });
});
