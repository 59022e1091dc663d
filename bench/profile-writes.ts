// Diagnosis of the API write path (not a benchmark of record): N hostings with a site each through
// the API, C in flight from a client thread, on a PostgreSQL cluster of its own (or PGlite with
// ABRI_BENCH_DATABASE=pglite), no agent unless AGENT=1 (render-only). Prints the rate, and — as the
// machine may be busy with other work — the CPU time each write costs the manager's main thread and
// the database cluster, which bound the rate on an idle machine; then the time per SQL statement.
// KIND=zone: N zones instead (what dns-10000 creates). PROFILE=file.cpuprofile: a CPU profile of the
// main thread during the load only (open it in Chrome's DevTools, or sum it up with bench/cpu-profile.ts).
// Its samples are wall-clock: a thread preempted in a write(2) to the database counts there. PERF=file:
// `perf record` of the main thread's CPU only (run node with --perf-basic-prof; `perf report -i file`).
//   node --import tsx bench/profile-writes.ts [N] [C]
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'kysely';
import { startTestManager, offerBody } from '../test/helpers/manager.js';
import { freshPostgres, pglite, type TestDatabase } from '../test/helpers/databases.js';
import { apiLoad } from './api-load.js';

const N = Number(process.argv[2] ?? 300);
const C = Number(process.argv[3] ?? 8);
const usePg = process.env.ABRI_BENCH_DATABASE !== 'pglite';
let pgDir: string | null = null;
if (usePg) {
  const out = execFileSync('bash', ['scripts/postgres.sh', 'start'], { encoding: 'utf8' });
  process.env.ABRI_TEST_DATABASE_URL = /ABRI_TEST_DATABASE_URL=(\S+)/.exec(out)![1];
  pgDir = /ABRI_TEST_PG_DIR=(\S+)/.exec(out)![1]!;
}
const ticks = 100; // USER_HZ
/** CPU seconds of one thread of this process, and the part spent in the kernel */
const threadCpu = (tid: number) => {
  const f = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { all: (Number(f[11]) + Number(f[12])) / ticks, sys: Number(f[12]) / ticks };
};
const clusterPids = () => {
  const pm = Number(readFileSync(`${pgDir}/data/postmaster.pid`, 'utf8').split('\n')[0]);
  return [pm, ...readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((p) => {
    try {
      return Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === pm;
    } catch {
      return false; // gone
    }
  })];
};
/** CPU seconds of the PostgreSQL cluster (the postmaster and its children, living and reaped) */
const clusterCpu = () => {
  if (!pgDir) return 0;
  const pm = Number(readFileSync(`${pgDir}/data/postmaster.pid`, 'utf8').split('\n')[0]);
  let total = 0;
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(p) === pm) total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / ticks;
      else if (Number(f[1]) === pm) total += (Number(f[11]) + Number(f[12])) / ticks;
    } catch {
      /* gone */
    }
  }
  return total;
};

const stats = new Map<string, { n: number; ms: number }>();
const keys = new Map<string, string>();
const orig = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
  const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text ?? '?';
  let key = keys.get(text);
  if (key === undefined) keys.set(text, (key = text.replace(/\$\d+/g, '?').replace(/\s+/g, ' ').slice(0, 150)));
  const t0 = performance.now();
  const r = orig.apply(this, args);
  if (r && typeof (r as Promise<unknown>).then === 'function') {
    void (r as Promise<unknown>).finally(() => {
      const s = stats.get(key) ?? stats.set(key, { n: 0, ms: 0 }).get(key)!;
      s.n++;
      s.ms += performance.now() - t0;
    }).catch(() => undefined);
  }
  return r;
};

try {
  const own: TestDatabase = { name: 'postgres', open: () => freshPostgres(process.env.ABRI_TEST_DATABASE_URL) };
  const m = await startTestManager({ database: usePg ? own : pglite, settings: { ABRI_LOCAL_AGENT: process.env.AGENT ?? '0', ABRI_DATA_DIR: '/tmp/abri-profile-render', ABRI_UID_MIN: '300000', ABRI_UID_MAX: '400000' } });
  const customer = (await m.api('POST', '/api/v1/customers', { name: 'Bench', contactEmail: 'bench@abri.test' })).body;
  const offer = (await m.api('POST', '/api/v1/offers', offerBody({ name: 'Bench', maxSites: 1000 }))).body;
  stats.clear();
  const threads = () => new Map(readdirSync('/proc/self/task').map((t) => [t, { name: readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim(), cpu: threadCpu(Number(t)).all }]));
  const threads0 = threads();
  const cpu0 = threadCpu(process.pid);
  const all0 = process.cpuUsage();
  const db0 = clusterCpu();
  const job = process.env.KIND === 'zone'
    ? { kind: 'zone' as const, count: N, customerId: customer.id }
    : { kind: 'hosting-site' as const, count: N, customerId: customer.id, offerId: offer.id, suffix: process.env.SUFFIX ?? 'bench.test' };
  const profiler = process.env.PROFILE ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  // PERF_DB=file: the whole machine (perf report --pid <the cluster's processes, printed at the end>)
  const perf = process.env.PERF || process.env.PERF_DB
    ? spawn('perf', ['record', '-q', '-F', '997', '-g', ...(process.env.PERF ? [process.env.PERF_PROCESS ? '-p' : '-t', String(process.pid), '-o', process.env.PERF] : ['-a', '-o', process.env.PERF_DB!])], { stdio: 'inherit' })
    : null;
  if (perf) await new Promise((r) => setTimeout(r, 500)); // perf attaches
  const r = await apiLoad(m.url, m.adminToken, job, C, () => {});
  if (perf) {
    perf.kill('SIGINT');
    await once(perf, 'exit');
  }
  if (profiler) writeFileSync(process.env.PROFILE!, JSON.stringify((await profiler.post('Profiler.stop')).profile));
  const cpu1 = threadCpu(process.pid);
  const mainMs = ((cpu1.all - cpu0.all) * 1000) / r.requests;
  const sysMs = ((cpu1.sys - cpu0.sys) * 1000) / r.requests;
  const all1 = process.cpuUsage(all0);
  // the other threads of this process: the load client's, and V8's and libuv's helpers
  const otherMs = ((all1.user + all1.system) / 1000 - (cpu1.all - cpu0.all) * 1000) / r.requests;
  const dbMs = ((clusterCpu() - db0) * 1000) / r.requests;
  if (process.env.PERF_DB) console.log(`cluster processes: ${clusterPids().join(',')}`);
  console.log(`${r.requests} writes in ${r.seconds} s: ${r.requestsPerSecond}/s; p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms; load ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`CPU per write: manager main thread ${mainMs.toFixed(2)} ms (${sysMs.toFixed(2)} in the kernel), database ${dbMs.toFixed(2)} ms, other threads (load client…) ${otherMs.toFixed(2)} ms`);
  if (process.env.THREADS) {
    for (const [t, v] of threads()) {
      const ms = ((v.cpu - (threads0.get(t)?.cpu ?? 0)) * 1000) / r.requests;
      if (ms >= 0.01) console.log(`  thread ${t} ${v.name}: ${ms.toFixed(2)} ms per write`);
    }
  }
  console.log(`bounds on an idle machine: main thread ${Math.round(1000 / mainMs)} writes/s; ${os.cpus().length} cores for all of it ${Math.round((1000 * os.cpus().length) / (mainMs + dbMs + otherMs))} writes/s`);
  const total = [...stats.values()].reduce((a, s) => a + s.n, 0);
  console.log(`${(total / r.requests).toFixed(1)} statements per write`);
  for (const [k, v] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(process.env.TOP ?? 25))) {
    console.log(`${v.ms.toFixed(0).padStart(8)} ms ${String(v.n).padStart(6)}× ${(v.ms / v.n).toFixed(2).padStart(7)} ${k}`);
  }
  if (process.env.TABLES) {
    // per table: sequential scans and the rows they read, updates and how many were HOT
    const { rows } = await sql<Record<string, string>>`SELECT relname, seq_scan, seq_tup_read, idx_scan, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables
      WHERE seq_tup_read > 0 OR n_tup_upd > 0 ORDER BY seq_tup_read DESC`.execute(m.manager.app.db);
    console.table(rows);
  }
  await m.close();
} finally {
  if (pgDir) execFileSync('bash', ['scripts/postgres.sh', 'stop', pgDir]);
}
