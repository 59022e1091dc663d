// The API load of a benchmark, sent from a worker thread as an outside client would: the client's
// own work (fetch, JSON) does not run on the manager's event loop, and the answers are not checked
// against the OpenAPI document (the tests do that). Reports requests per second and latencies.
import { performance } from 'node:perf_hooks';
import { siblingModule, startWorker } from '../src/platform/threads.js';

export type LoadJob =
  /** per item: POST /api/v1/hostings, then POST a site `site-NNNN.<suffix>` in it */
  | { kind: 'hosting-site'; count: number; customerId: string; offerId: string; suffix: string }
  /** per item: POST /api/v1/zones `zone-NNNNN.test` */
  | { kind: 'zone'; count: number; customerId: string }
  /** per item: POST /api/v1/hostings/{hostingIds[i % n]}/databases `db<i>` with its user */
  | { kind: 'database'; count: number; hostingIds: string[] }
  /** per item: POST /api/v1/mail-domains/{domainIds[i % n]}/mailboxes `box<i>` (1 MB, a generated password) */
  | { kind: 'mailbox'; count: number; domainIds: string[] };

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** names created (sites' domains or zones), in item order */
  names: string[];
  /** CPU seconds of the client's thread */
  clientCpuSeconds: number;
}

export async function apiLoad(url: string, token: string, job: LoadJob, inFlight: number, progress: (m: string) => void): Promise<LoadResult> {
  const worker = startWorker(siblingModule(import.meta.url, 'api-load-worker'), { workerData: { url, token, job, inFlight } });
  const t0 = performance.now();
  return new Promise<LoadResult>((resolve, reject) => {
    worker.on('message', (m: { progress?: number; done?: { latencies: number[]; names: string[]; seconds: number; cpuSeconds: number }; error?: string }) => {
      if (m.progress) progress(`${m.progress} items created (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      if (m.error) reject(new Error(m.error));
      if (m.done) {
        const l = [...m.done.latencies].sort((a, b) => a - b);
        const q = (p: number) => Math.round(l[Math.min(l.length - 1, Math.ceil(p * l.length) - 1)]! * 10) / 10;
        resolve({
          requests: l.length, seconds: Math.round(m.done.seconds * 1000) / 1000, requestsPerSecond: Math.round((l.length / m.done.seconds) * 10) / 10,
          p50Ms: q(0.5), p95Ms: q(0.95), maxMs: q(1), names: m.done.names, clientCpuSeconds: m.done.cpuSeconds,
        });
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => code && reject(new Error(`API load worker exited with ${code}`)));
  }).finally(() => void worker.terminate());
}
