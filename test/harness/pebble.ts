// A throw-away Pebble (Let's Encrypt's test ACME CA) on free loopback ports, for integration tests of
// certificates. Two unrelated CAs are involved:
//  - a throw-away "HTTPS CA" made here with openssl, which signs Pebble's own HTTPS certificate (give
//    `caFile` to ACME clients so they can talk to Pebble with verification on);
//  - Pebble's issuing root, generated anew by Pebble at every start and only known through its
//    management interface (`rootPem()`): certificates Pebble issues chain up to it.
import { type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { freePort } from './services.js';
import { run, startProcess, stopProcess, track } from './run.js';

export interface Pebble {
  /** https://127.0.0.1:<port>/dir */
  directoryUrl: string;
  /** https://127.0.0.1:<mport> */
  managementUrl: string;
  /** PEM of the CA that signed Pebble's own HTTPS certificate (give it to ACME clients) */
  caFile: string;
  dir: string;
  /** PEM of Pebble's current issuing root (GET <managementUrl>/roots/0), for `curl --cacert` on certificates Pebble issued */
  rootPem(): Promise<string>;
  /** writes rootPem() + intermediates (GET /intermediates/0) to a file in dir and returns its path */
  rootFile(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts Pebble. It validates HTTP-01 challenges on `httpPort` (and TLS-ALPN-01 on `tlsPort`) of the
 * address it resolves through `dnsServer` ("127.0.53.1:53": the test's PowerDNS), never the system resolver.
 */
export async function startPebble(opts: { httpPort: number; dnsServer: string; tlsPort?: number; env?: Record<string, string> }): Promise<Pebble> {
  const dir = await mkdtemp('/tmp/abri-pebble-');
  let child: ChildProcess | null = null;
  const stop = async () => {
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const f = (name: string) => path.join(dir, name);
    await makeHttpsCertificates(dir);
    const ca = await readFile(f('ca.pem'), 'utf8');
    const port = await freePort();
    const mport = await freePort();
    const config = {
      pebble: {
        listenAddress: `127.0.0.1:${port}`,
        managementListenAddress: `127.0.0.1:${mport}`,
        certificate: f('leaf.pem'),
        privateKey: f('leaf.key'),
        httpPort: opts.httpPort,
        tlsPort: opts.tlsPort ?? (await freePort()),
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    };
    await writeFile(f('pebble.json'), JSON.stringify(config, null, 2));
    // startProcess has no env option: pass the environment through /usr/bin/env (still no shell).
    // NOSLEEP: validate at once (not after 0–15 s); NONCEREJECT=0: do not reject 5% of good nonces
    // on purpose; AUTHZREUSE=0: every order gets fresh authorizations, so every test validates.
    const env = { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_AUTHZREUSE: '0', ...opts.env };
    const args = [...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'pebble', '-config', f('pebble.json'), '-dnsserver', opts.dnsServer];
    child = startProcess('/usr/bin/env', args, { logFile: f('pebble.log') });
    track(child.pid);

    const directoryUrl = `https://127.0.0.1:${port}/dir`;
    const managementUrl = `https://127.0.0.1:${mport}`;
    await waitForDirectory(child, directoryUrl, ca, f('pebble.log'));
    const get = async (p: string) => {
      const r = await httpsGet(`${managementUrl}${p}`, ca);
      if (r.status !== 200) throw new Error(`GET ${managementUrl}${p}: ${r.status} ${r.body}`);
      return r.body;
    };
    return {
      directoryUrl,
      managementUrl,
      caFile: f('ca.pem'),
      dir,
      rootPem: () => get('/roots/0'),
      async rootFile() {
        const file = f('pebble-roots.pem');
        await writeFile(file, `${(await get('/roots/0')).trim()}\n${(await get('/intermediates/0')).trim()}\n`);
        return file;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** ca.pem/ca.key (self-signed, 1 day) and leaf.pem/leaf.key for localhost + 127.0.0.1, all EC P-256. */
async function makeHttpsCertificates(dir: string): Promise<void> {
  const f = (name: string) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=Abri test Pebble HTTPS CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await run('openssl', ['req', '-new', ...ec, '-keyout', f('leaf.key'), '-out', f('leaf.csr'), '-subj', '/CN=localhost']);
  await writeFile(f('leaf.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n');
  // OpenSSL 3 picks a random serial when there is no serial file (nothing is written next to ca.pem)
  await run('openssl', ['x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-days', '1', '-extfile', f('leaf.ext'), '-out', f('leaf.pem')]);
}

/** A GET over HTTPS trusting only `ca` (verification stays on; nothing global is changed). */
function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on('error', reject);
  });
}

async function waitForDirectory(child: ChildProcess, url: string, ca: string, logFile: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`pebble exited (${child.exitCode ?? child.signalCode}); see ${logFile}`);
    try {
      const r = await httpsGet(url, ca);
      if (r.status === 200) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for Pebble at ${url} (${last}); see ${logFile}`);
}

