// Certificate benchmark, on a real ACME CA (Pebble) validating HTTP-01 through the real edge (HAProxy)
// and names resolved by Abri's PowerDNS primary, all applied by the in-process agent (root).
//  acme-200: 200 sites (distinct registered domains, httpsMode "both") created through the API →
//    every certificate valid in the API and live on the edge; certificates per minute. Floor, same
//    run, same Pebble: Debian's certbot (standalone HTTP-01 on the edge's port, HAProxy stopped),
//    run once per name, one after the other as a user would, on names Abri's DNS already serves.
//    Goal: Abri at least as fast as certbot.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { startTestManager, offerBody, type TestManager } from '../test/helpers/manager.js';
import { createTestNode, missingServices, type TestNode } from '../test/helpers/node.js';
import { findExecutable } from '../test/harness/run.js';
import { freePort } from '../test/harness/services.js';
import { httpsGet } from '../test/harness/http.js';
import { dig, randomLoopback } from '../test/harness/pdns-secondary.js';
import { startPebble, type Pebble } from '../test/harness/pebble.js';
import { nodeLayout } from '../src/node/layout.js';
import type { Benchmark } from './run.js';
import { inParallel } from '../src/platform/parallel.js';
import { processAlive } from '../src/platform/pid-file.js';

// The benchmark's client runs in the manager's process (startTestManager), and so does the in-process
// agent: polling the certificates harder slows Abri down (measured: 85–96 s for 200 certificates when
// polling 4 at a time every 250 ms, 56–67 s when polling 2 at a time every second). Gentle polling.
const POLL_WIDTH = 2;
const POLL_PAUSE_MS = 1000;

const round = (n: number) => Math.round(n * 1000) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const perMinute = (count: number, s: number) => round((count * 60) / s);


/** Runs a command (argument array, no shell) with extra environment; rejects with its output. */
function runWithEnv(cmd: string, args: string[], env: Record<string, string>, timeoutMs = 180_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed (${(err as NodeJS.ErrnoException).code ?? err.message}): ${(stderr || stdout).trim().slice(-3000)}`));
      resolve({ stdout, stderr });
    });
  });
}

/** Stops the edge HAProxy of the node (every pid of its pid file) and waits until they are gone. */
async function stopEdge(node: TestNode): Promise<number[]> {
  const pidFile = nodeLayout(node.root).edgePidFile;
  const pids = (await readFile(pidFile, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean).map(Number);
  if (!pids.length) throw new Error(`no HAProxy pid in ${pidFile}`);
  for (const pid of pids) if (processAlive(pid)) process.kill(pid, 'SIGTERM');
  const end = Date.now() + 10_000;
  while (pids.some(processAlive) && Date.now() < end) await sleep(50);
  for (const pid of pids.filter(processAlive)) process.kill(pid, 'SIGKILL');
  while (pids.some(processAlive)) await sleep(50);
  return pids;
}

interface SiteState {
  id: string;
  domain: string;
  validAt: number | null;
  liveAt: number | null;
  fingerprint: string | null;
}

export const acme200: Benchmark = {
  name: 'acme-200',
  description: 'certificates for 200 sites (one registered domain each) created through the API, from Pebble over HTTP-01 through the edge, until valid and live on the edge; certbot (standalone, one run per name) against the same Pebble in the same run',
  async run(progress) {
    const missing = [...missingServices(), ...['pdns_server', 'pebble', 'certbot', 'dig', 'openssl'].filter((b) => !findExecutable(b))];
    if (missing.length) throw new Error(`needs root and ${missing.join(', ')}`);
    const N = Number(process.env.ABRI_BENCH_CERTS ?? 200);
    const M = Number(process.env.ABRI_BENCH_CERTBOT ?? N);
    if (!Number.isInteger(N) || N < 1) throw new Error(`ABRI_BENCH_CERTS must be a positive integer (got ${process.env.ABRI_BENCH_CERTS})`);
    if (!Number.isInteger(M) || M < 1 || M > N) throw new Error(`ABRI_BENCH_CERTBOT must be an integer from 1 to ABRI_BENCH_CERTS (got ${process.env.ABRI_BENCH_CERTBOT})`);
    const primary = { address: randomLoopback(), port: 53 };
    let node: TestNode | null = null;
    let m: TestManager | null = null;
    let pebble: Pebble | null = null;
    let certbotDir: string | null = null;
    try {
      node = await createTestNode(194_600, 10);
      pebble = await startPebble({ httpPort: node.edgePort, dnsServer: `${primary.address}:53` });
      m = await startTestManager({
        settings: {
          ...node.settings, ABRI_LOCAL_AGENT: '1', ABRI_RECONCILE_SECONDS: '3600',
          ABRI_DNS_LISTEN: `${primary.address}:53`, ABRI_DNS_API_PORT: String(await freePort()),
          ABRI_DNS_PRIMARY: primary.address, ABRI_DNS_RESOLVER: primary.address, ABRI_DNS_NAMESERVERS: 'ns1.abri.test',
          ABRI_ACME_DIRECTORY: pebble.directoryUrl, ABRI_ACME_CA_FILE: pebble.caFile, ABRI_ACME_HTTP_PORT: String(node.edgePort),
        },
      });
      const mm = m;
      const nn = node;
      const concurrency = mm.manager.app.config.acme.concurrency;
      const api = async (method: string, p: string, body?: unknown, expect = 200) => {
        const r = await mm.api(method, p, body);
        if (r.status !== expect) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
      };
      const local = (await api('GET', '/api/v1/servers')).items[0];
      await api('PATCH', `/api/v1/servers/${local.id}`, { roles: ['edge', 'web', 'dns'] });
      const customer = await api('POST', '/api/v1/customers', { name: 'ACME bench', contactEmail: 'acme@abri.test' }, 201);
      const offer = await api('POST', '/api/v1/offers', offerBody({ name: 'ACME bench', maxSites: N + 10, tlsAllowed: true }), 201);
      const hosting = await api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: offer.id }, 201);
      const root = await readFile(await pebble.rootFile(), 'utf8');

      // 1. Abri: N sites through the API → every certificate valid and live on the edge
      progress(`creating ${N} HTTPS sites through the API (ACME concurrency ${concurrency})`);
      const domains = Array.from({ length: N }, (_, i) => `acme-bench-${String(i).padStart(3, '0')}.test`);
      const sites: SiteState[] = [];
      let created = 0;
      let polls = 0;
      const t0 = performance.now();
      const creating = inParallel(domains, 4, async (domain) => {
        const s = await api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain, httpsMode: 'both' }, 201);
        sites.push({ id: s.id, domain, validAt: null, liveAt: null, fingerprint: null });
        created++;
      }).then(() => seconds(t0));
      let creationFailed: unknown = null;
      creating.catch((e) => (creationFailed = e));
      const timeoutS = Math.max(300, N * 3);
      let deployed = 0;
      let reported = '';
      for (;;) {
        if (creationFailed) throw creationFailed;
        const open = sites.filter((s) => s.liveAt === null);
        await inParallel(open, POLL_WIDTH, async (s) => {
          polls++;
          const c = await api('GET', `/api/v1/sites/${s.id}/certificate`);
          if (c.status === 'failing' || c.failures > 0) throw new Error(`certificate of ${s.domain} failed (${c.status}, ${c.failures} failure(s)): ${c.lastError}`);
          if (c.provisioning?.status === 'error') throw new Error(`certificate of ${s.domain} not deployed: ${c.provisioning.message}`);
          if (c.status !== 'valid') return;
          s.validAt ??= seconds(t0);
          s.fingerprint = c.fingerprint;
          if (c.provisioning?.status === 'live') {
            s.liveAt = seconds(t0);
            deployed++;
          }
        });
        const valid = sites.filter((s) => s.validAt !== null).length;
        const step = `${Math.floor(valid / 25)}/${Math.floor(deployed / 25)}/${deployed === N}`;
        if (step !== reported && valid + deployed > 0) {
          reported = step;
          progress(`${created}/${N} sites created, ${valid} certificates valid in the API, ${deployed} live on the edge (${seconds(t0).toFixed(1)} s)`);
        }
        if (created === N && deployed === N) break;
        if (seconds(t0) > timeoutS) {
          const late = sites.filter((s) => s.liveAt === null).slice(0, 5);
          const detail = await Promise.all(late.map(async (s) => `${s.domain}: ${JSON.stringify(await api('GET', `/api/v1/sites/${s.id}/certificate`).then((c) => ({ status: c.status, lastError: c.lastError, provisioning: c.provisioning?.status })))}`));
          throw new Error(`after ${timeoutS} s only ${deployed}/${N} certificates are valid and live (created ${created}); e.g. ${detail.join('; ')}`);
        }
        await sleep(POLL_PAUSE_MS);
      }
      const apiSeconds = await creating;
      const secondsUntilValid = Math.max(...sites.map((s) => s.validAt!));
      const secondsUntilDeployed = Math.max(...sites.map((s) => s.liveAt!));
      progress(`Abri: ${N} certificates valid after ${secondsUntilValid.toFixed(1)} s, live after ${secondsUntilDeployed.toFixed(1)} s (sites created in ${apiSeconds.toFixed(1)} s, ${polls} certificate GETs)`);

      // the edge presents the API's certificate, verified against Pebble's root
      const sample = [...sites].sort(() => Math.random() - 0.5).slice(0, Math.min(10, N));
      for (const s of sample) {
        const r = await httpsGet(nn.edgeTlsPort, s.domain, '/', root);
        if (r.fingerprint !== s.fingerprint) throw new Error(`https://${s.domain}/ presents ${r.fingerprint}, the API says ${s.fingerprint}`);
        if (!r.names.includes(s.domain)) throw new Error(`https://${s.domain}/ presents a certificate for ${r.names.join(', ')}`);
      }
      progress(`${sample.length} sites checked over HTTPS through the edge`);

      // 2. certbot on M names Abri's DNS serves (www.<domain> of the sites' zones), same Pebble
      const names = domains.slice(0, M).map((d) => `www.${d}`);
      for (const name of [names[0], names[names.length - 1]]) {
        const a = await dig(primary, name, 'A');
        if (a.join() !== '127.0.0.1') throw new Error(`${name} resolves to "${a.join()}" on Abri's primary, not 127.0.0.1`);
      }
      await mm.manager.jobs.stop();
      await mm.manager.agent?.stop();
      const stopped = await stopEdge(nn);
      progress(`edge HAProxy stopped (pids ${stopped.join(', ')}); certbot on ${M} names`);
      const dir = (certbotDir = await mkdtemp('/tmp/abri-certbot-'));
      const env = { REQUESTS_CA_BUNDLE: pebble.caFile };
      const common = ['--server', pebble.directoryUrl, '--non-interactive', '--config-dir', dir, '--work-dir', dir, '--logs-dir', dir];
      const log = async () => (await readFile(path.join(dir, 'letsencrypt.log'), 'utf8').catch(() => '')).slice(-3000);
      try {
        await runWithEnv('certbot', ['register', ...common, '--agree-tos', '--register-unsafely-without-email'], env);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n${await log()}`);
      }
      const t1 = performance.now();
      for (const [i, name] of names.entries()) {
        try {
          await runWithEnv('certbot', ['certonly', '--standalone', '--http-01-port', String(nn.edgePort), '--http-01-address', '127.0.0.1', ...common,
            '--agree-tos', '--register-unsafely-without-email', '-d', name], env);
        } catch (e) {
          throw new Error(`certbot for ${name}: ${(e as Error).message}\n${await log()}`);
        }
        if ((i + 1) % 25 === 0 || i + 1 === M) progress(`certbot: ${i + 1}/${M} certificates (${seconds(t1).toFixed(1)} s)`);
      }
      const certbotSeconds = seconds(t1);
      for (const name of [names[0], names[names.length - 1]]) {
        const pem = await readFile(path.join(dir, 'live', name, 'fullchain.pem'), 'utf8');
        const x = new X509Certificate(pem);
        if (!x.subjectAltName?.split(', ').includes(`DNS:${name}`)) throw new Error(`certbot's certificate for ${name} names ${x.subjectAltName}`);
        if (!/Pebble/i.test(x.issuer)) throw new Error(`certbot's certificate for ${name} was issued by ${x.issuer}`);
      }

      const abriRate = perMinute(N, secondsUntilDeployed);
      const certbotRate = perMinute(M, certbotSeconds);
      progress(`Abri ${abriRate} certificates/min, certbot ${certbotRate} certificates/min`);
      return {
        certs: N,
        abri: {
          seconds: round(secondsUntilDeployed),
          certsPerMinute: abriRate,
          secondsUntilValid: round(secondsUntilValid),
          secondsUntilDeployed: round(secondsUntilDeployed),
          apiSeconds: round(apiSeconds),
          concurrency,
          failures: 0,
          httpsChecked: sample.length,
        },
        certbot: { certs: M, seconds: round(certbotSeconds), certsPerMinute: certbotRate },
        ratio: round(abriRate / certbotRate),
        goal: 'abri certsPerMinute >= certbot certsPerMinute',
        met: abriRate >= certbotRate,
      };
    } finally {
      await m?.close().catch((e) => progress(`manager close: ${(e as Error).message}`));
      await node?.cleanup().catch((e) => progress(`node cleanup: ${(e as Error).message}`));
      await pebble?.stop().catch((e) => progress(`pebble stop: ${(e as Error).message}`));
      if (certbotDir) await rm(certbotDir, { recursive: true, force: true });
    }
  },
};
