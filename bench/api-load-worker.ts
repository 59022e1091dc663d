// Worker thread of api-load.ts: sends the requests, `inFlight` at a time.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadJob } from './api-load.js';

const { url, token, job, inFlight } = workerData as { url: string; token: string; job: LoadJob; inFlight: number };
const latencies: number[] = [];

// node:http with keep-alive rather than fetch: the client shares the machine's cores with the
// manager and the database, and fetch (undici) costs it about twice the CPU per request
const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
const target = new URL(url);

function request(path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: target.hostname, port: target.port, path, method: 'POST', agent,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function post(path: string, body: unknown): Promise<{ id: string }> {
  const t = performance.now();
  const res = await request(path, JSON.stringify(body));
  latencies.push(performance.now() - t);
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${res.text.slice(0, 500)}`);
  return JSON.parse(res.text) as { id: string };
}

async function item(i: number): Promise<string> {
  if (job.kind === 'hosting-site') {
    const h = await post('/api/v1/hostings', { customerId: job.customerId, offerId: job.offerId });
    const domain = `site-${String(i).padStart(4, '0')}.${job.suffix}`;
    await post(`/api/v1/hostings/${h.id}/sites`, { domain });
    return domain;
  }
  if (job.kind === 'database') {
    const hosting = job.hostingIds[i % job.hostingIds.length]!;
    return ((await post(`/api/v1/hostings/${hosting}/databases`, { name: `db${i}`, user: true })) as unknown as { name: string }).name;
  }
  if (job.kind === 'mailbox') {
    const domain = job.domainIds[i % job.domainIds.length]!;
    return ((await post(`/api/v1/mail-domains/${domain}/mailboxes`, { localPart: `box${i}`, quotaMb: 1 })) as unknown as { address: string }).address;
  }
  const name = `zone-${String(i).padStart(5, '0')}.test`;
  await post('/api/v1/zones', { name, customerId: job.customerId });
  return name;
}

const names: string[] = new Array(job.count);
let next = 0;
let done = 0;
const t0 = performance.now();
try {
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < job.count) {
      const i = next++;
      names[i] = await item(i);
      if (++done % Math.max(1, Math.round(job.count / 10)) === 0) parentPort!.postMessage({ progress: done });
    }
  }));
  // this thread's CPU (the client's share of the machine: the benchmarks subtract it from the manager process)
  const f = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
  const cpuSeconds = (Number(f[11]) + Number(f[12])) / 100;
  parentPort!.postMessage({ done: { latencies, names, seconds: (performance.now() - t0) / 1000, cpuSeconds } });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
}
