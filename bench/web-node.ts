// Web node benchmarks, on real Apache + PHP-FPM + HAProxy applied by the in-process agent (root).
//  converge-1000: from an empty node, 1,000 hostings × 1 site created through the API → every site
//    answered by Apache through the edge. Floor, same run, same final config: `apache2 -t` +
//    `php-fpm -t` (the validations the agent must run before a swap) + Apache graceful reload +
//    PHP-FPM reload (until it is ready again).
//  change-latency: with 10,000 sites on the node, change one site's document root through the API and
//    time until the edge serves the new content (20 changes, p50/p95). Goal p95 ≤ 2 s.
import { performance } from 'node:perf_hooks';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestManager, offerBody, type TestManager } from '../test/helpers/manager.js';
import { pglite, postgres, type TestDatabase } from '../test/helpers/databases.js';
import { apiLoad } from './api-load.js';
import { replayHostingsAndSites } from './sql-replay.js';
import { createTestNode, fpmMasterDirs, missingServices, type TestNode } from '../test/helpers/node.js';
import { httpGet as rawGet } from '../test/harness/http.js';

/** GET through the edge; a refused connection (edge not started yet) reads as status 0. */
const httpGet = (port: number, host: string, p: string) => rawGet(port, host, p).catch(() => ({ status: 0, body: '', headers: {} }));
import { LocalExecutor } from '../src/platform/executor.js';
import { nodeLayout } from '../src/node/layout.js';
import type { Benchmark } from './run.js';
import { inParallel } from '../src/platform/parallel.js';
import { cpuMsPerItem, cpuSnapshot } from './cpu-use.js';
import os from 'node:os';

const round = (n: number) => Math.round(n * 1000) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


/** PostgreSQL when `npm run bench` started one (ABRI_BENCH_DATABASE=pglite to measure the embedded database). */
export const benchDatabase = (): TestDatabase => (process.env.ABRI_TEST_DATABASE_URL && process.env.ABRI_BENCH_DATABASE !== 'pglite' ? postgres : pglite);

async function setup(uidBase: number, count: number, settings: Record<string, string> = {}, apacheInstances = 1, database: TestDatabase = pglite) {
  const missing = missingServices();
  if (missing.length) throw new Error(`needs root and ${missing.join(', ')}`);
  const node = await createTestNode(uidBase, count, apacheInstances);
  const m = await startTestManager({ database, settings: { ...node.settings, ABRI_LOCAL_AGENT: '1', ABRI_RECONCILE_SECONDS: '3600', ...settings } });
  const post = async (p: string, body: unknown) => {
    const r = await m.api('POST', p, body);
    if (r.status !== 201) throw new Error(`POST ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const customer = await post('/api/v1/customers', { name: 'Bench', contactEmail: 'bench@abri.test' });
  const offer = await post('/api/v1/offers', offerBody({ name: 'Bench', maxSites: 1000 }));
  return { node, m, post, customer, offer };
}

/** Waits until the edge serves `host` from Apache; fails with the node's reported error after `ms`. */
async function servedThroughEdge(m: TestManager, node: TestNode, host: string, ms: number) {
  const until = performance.now() + ms;
  while (!servedByApache((await httpGet(node.edgePort, host, '/')).status)) {
    if (performance.now() > until) {
      const server = (await m.api('GET', '/api/v1/servers')).body.items?.[0];
      throw new Error(`${host} not served after ${ms / 1000} s; node error: ${server?.lastError ?? 'none'}`);
    }
    await sleep(500);
  }
}

/** Apache answered (not the edge's 404 page): an empty document root gives Apache's 403. */
const servedByApache = (status: number) => status !== 0 && status !== 404 && status !== 503 && status !== 502;

async function floor(node: TestNode) {
  const exec = new LocalExecutor();
  const l = nodeLayout(node.root);
  const conf = path.join(l.apacheDir, 'apache2.conf');
  const masters = fpmMasterDirs(node.root).map((dir) => ({ dir, first: path.basename(dir) }));
  const t0 = performance.now();
  // the validations the agent must run before a swap (both services: every PHP-FPM master), then the reloads
  await exec.run('apache2', ['-t', '-f', conf]);
  const t1 = performance.now();
  // two at a time, as the agent does (one per core)
  await inParallel(masters, 2, async (m) => void (await exec.run('/usr/sbin/php-fpm8.2', ['-t', '-y', path.join(m.dir, 'php-fpm.conf')])));
  const fpmCheck = performance.now() - t1;
  const errorLog = path.join(l.apacheLogDir, 'error.log');
  const before = (await readFile(errorLog, 'utf8')).split('resuming normal operations').length;
  await exec.run('apache2', ['-f', conf, '-k', 'graceful']);
  while ((await readFile(errorLog, 'utf8')).split('resuming normal operations').length === before) await sleep(20);
  await inParallel(masters, 2, async (m) => {
    const fpmPid = Number((await readFile(path.join(l.runDir, `php-fpm-8.2-${m.first}.pid`), 'utf8')).trim());
    const fpmLog = path.join(l.logDir, `php-fpm-8.2-${m.first}.log`);
    const readyBefore = (await readFile(fpmLog, 'utf8')).split('ready to handle connections').length;
    process.kill(fpmPid, 'SIGUSR2');
    while ((await readFile(fpmLog, 'utf8')).split('ready to handle connections').length === readyBefore) await sleep(20);
  });
  return { seconds: (performance.now() - t0) / 1000, fpmCheckSeconds: fpmCheck / 1000, fpmMasters: masters.length };
}

export const converge1000: Benchmark = {
  name: 'converge-1000',
  description: 'empty web node → 1,000 hostings × 1 site created through the API (8 in flight, from a client thread), all answered through the edge; floors: apache2 -t + php-fpm -t of every FPM master + graceful + reload of every FPM master, with the final config, and the same rows written straight in SQL',
  async run(progress) {
    const N = Number(process.env.ABRI_BENCH_HOSTINGS ?? 1000);
    const IN_FLIGHT = 8;
    const database = benchDatabase();
    progress(`database: ${database.name}`);
    const { node, m, customer, offer } = await setup(195_000, N, {}, 1, database);
    try {
      const cpu0 = await cpuSnapshot(node.root);
      const t0 = performance.now();
      const api = await apiLoad(m.url, m.adminToken, { kind: 'hosting-site', count: N, customerId: customer.id, offerId: offer.id, suffix: 'bench.test' }, IN_FLIGHT, progress);
      const apiSeconds = (performance.now() - t0) / 1000;
      // what each write cost the machine while the API phase ran (the node applies meanwhile): the
      // rate an idle machine would allow is its cores' worth of that
      const cpuMsPerWrite = cpuMsPerItem(cpu0, await cpuSnapshot(node.root), api.requests, api.clientCpuSeconds);
      const idleBound = Math.round((os.cpus().length * 1000) / cpuMsPerWrite.total);
      progress(`API: ${api.requests} writes in ${api.seconds} s (${api.requestsPerSecond}/s, p50 ${api.p50Ms} ms, p95 ${api.p95Ms} ms); CPU ms per write ${JSON.stringify(cpuMsPerWrite)}: ${idleBound} writes/s on ${os.cpus().length} idle cores`);
      // the node applies sites about in the order they were made: wait for the last one, then check all
      // (the time of the last site's first answer, unless a check of all finds one that does not answer yet)
      const last = api.names[api.names.length - 1]!;
      while (!servedByApache((await httpGet(node.edgePort, last, '/')).status)) await sleep(50);
      let servedAt = performance.now();
      let pending = [...api.names];
      for (let round = 0; pending.length; round++) {
        const still: string[] = [];
        await inParallel(pending, 16, async (d) => {
          if (!servedByApache((await httpGet(node.edgePort, d, '/')).status)) still.push(d);
          else if (round > 0) servedAt = Math.max(servedAt, performance.now());
        });
        pending = still;
        if (pending.length) await sleep(200);
      }
      const totalSeconds = (servedAt - t0) / 1000;
      progress(`all ${N} sites answered after ${totalSeconds.toFixed(1)} s (${(totalSeconds - apiSeconds).toFixed(1)} s after the last API answer); measuring the floors`);
      const { seconds: floorSeconds, fpmCheckSeconds, fpmMasters } = await floor(node);
      const replay = await replayHostingsAndSites(database, N, IN_FLIGHT, 500_000);
      progress(`floors: reload ${floorSeconds.toFixed(2)} s; SQL replay ${replay.writesPerSecond} writes/s`);
      return {
        hostings: N,
        database: database.name,
        inFlight: IN_FLIGHT,
        api: { writes: api.requests, seconds: round(apiSeconds), writesPerSecond: api.requestsPerSecond, p50Ms: api.p50Ms, p95Ms: api.p95Ms, maxMs: api.maxMs },
        /** CPU each write cost during the API phase (manager, agent, client, commands, database, node services), and the rate it allows on idle cores */
        cpuMsPerWrite, idleCoresBound: idleBound,
        /** the same rows written straight in SQL, one transaction per API write, as many in flight */
        sqlReplay: replay,
        apiToSqlRatio: round(replay.writesPerSecond / api.requestsPerSecond),
        totalSeconds: round(totalSeconds),
        /** from the last API answer until every site answers: what the node still had to do */
        afterApiSeconds: round(totalSeconds - apiSeconds),
        floorSeconds: round(floorSeconds),
        /** part of the floor: php-fpm -t of the final pools (floors before 2026-11 left it out) */
        floorFpmCheckSeconds: round(fpmCheckSeconds),
        fpmMasters,
        ratioAfterApiWithoutFpmCheck: round((totalSeconds - apiSeconds) / (floorSeconds - fpmCheckSeconds)),
        ratio: round(totalSeconds / floorSeconds),
        ratioAfterApi: round((totalSeconds - apiSeconds) / floorSeconds),
        goals: { afterApi: 'ratioAfterApi ≤ 2', writes: '≥ 200 writes/s at 8 in flight on PostgreSQL' },
        pass: { afterApi: (totalSeconds - apiSeconds) / floorSeconds <= 2, writes: database.name === 'postgres' ? api.requestsPerSecond >= 200 : null },
      };
    } finally {
      await m.close();
      await node.cleanup();
    }
  },
};

export const changeLatency: Benchmark = {
  name: 'change-latency',
  description: 'with 10,000 sites on the node, change one site\'s document root through the API until the edge serves the new content (20 changes)',
  async run(progress) {
    // ABRI_BENCH_SITES: fewer sites where the open-file hard limit is below 2 per site (+ margin)
    // ABRI_BENCH_APACHE_INSTANCES: Apache instances on the node (ABRI_APACHE_INSTANCES), about one
    // per 500 sites: a change reloads one instance, not 10,000 vhosts
    const PER = 100;
    const HOSTINGS = Math.max(1, Math.round(Number(process.env.ABRI_BENCH_SITES ?? 10_000) / PER));
    const INSTANCES = Number(process.env.ABRI_BENCH_APACHE_INSTANCES ?? 20);
    const { node, m, post, customer, offer } = await setup(197_000, HOSTINGS, {}, INSTANCES);
    try {
      const hostings: Array<{ id: string; uid: number; home: string }> = [];
      await inParallel(Array.from({ length: HOSTINGS }, (_, i) => i), 4, async (i) => {
        hostings[i] = await post('/api/v1/hostings', { customerId: customer.id, offerId: offer.id });
      });
      progress(`creating ${HOSTINGS * PER} sites through the API`);
      await inParallel(Array.from({ length: HOSTINGS * PER }, (_, i) => i), 8, async (i) => {
        const h = hostings[i % HOSTINGS];
        await post(`/api/v1/hostings/${h.id}/sites`, { domain: `s${i}.latency.test` });
        if (i % 500 === 499) progress(`${i + 1} sites created`);
      });
      const t0 = performance.now();
      await servedThroughEdge(m, node, `s${HOSTINGS * PER - 1}.latency.test`, 600_000);
      progress(`${HOSTINGS * PER} sites converged ${((performance.now() - t0) / 1000).toFixed(1)} s after the last API call`);
      const samples: number[] = [];
      for (let k = 0; k < 20; k++) {
        const h = hostings[k];
        const domain = `s${k}.latency.test`;
        const dir = path.join(h.home, 'var/www', `v${k}`);
        await mkdir(dir, { recursive: true });
        await chown(dir, h.uid, h.uid);
        await writeFile(path.join(dir, 'index.html'), `version ${k}`);
        await chown(path.join(dir, 'index.html'), h.uid, h.uid);
        const site = (await m.api('GET', `/api/v1/sites/${domain}`)).body;
        const start = performance.now();
        const r = await m.api('PATCH', `/api/v1/sites/${site.id}`, { documentRoot: `v${k}` });
        if (r.status !== 200) throw new Error(`PATCH: ${r.status} ${JSON.stringify(r.body)}`);
        for (;;) {
          const a = await httpGet(node.edgePort, domain, '/');
          if (a.body === `version ${k}`) break;
          if (performance.now() - start > 120_000) throw new Error(`change ${k} not served after 120 s`);
          await sleep(20);
        }
        samples.push((performance.now() - start) / 1000);
      }
      const s = [...samples].sort((a, b) => a - b);
      const p = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
      return { sites: HOSTINGS * PER, apacheInstances: INSTANCES, changes: samples.length, p50Seconds: round(p(0.5)), p95Seconds: round(p(0.95)), maxSeconds: round(s.at(-1)!), goal: 'p95 ≤ 2 s', pass: p(0.95) <= 2 };
    } finally {
      await m.close();
      await node.cleanup();
    }
  },
};
