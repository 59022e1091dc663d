// DNS benchmark, on a real PowerDNS primary driven by the in-process agent and a real secondary (root).
//  dns-10000: create 10,000 zones through the API (until the primary answers them all), then change
//    the edge's public address (renumbering: every zone's A records change) and time until the
//    primary serves the new address everywhere, and until the secondary does (every zone, read from
//    its database; then every record of it compared with the primary's). Goal: renumbering 10,000
//    zones in ≤ 30 s. The CPU seconds both PowerDNS spent on it say what an idle machine would take. Floors, same run: the same changes sent straight to PowerDNS's API by
//    the agent's client and parallelism (one call per zone), and written as one SQLite transaction
//    (what the agent's bulk path does for a change of that size).
import { performance } from 'node:perf_hooks';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestManager, type TestManager } from '../test/helpers/manager.js';
import { apiLoad } from './api-load.js';
import { replayZones } from './sql-replay.js';
import { pglite, postgres } from '../test/helpers/databases.js';
import { createTestNode, missingServices, type TestNode } from '../test/helpers/node.js';
import { freePort } from '../test/harness/services.js';
import { dig, pdnsCount, pdnsRecords, randomLoopback, startPdnsSecondary, type PdnsSecondary } from '../test/harness/pdns-secondary.js';
import type { Benchmark } from './run.js';
import { readIfExists } from '../src/platform/if-exists.js';
import { inParallel } from '../src/platform/parallel.js';
import { PowerDnsApi } from '../src/dns/powerdns-api.js';
import { PARALLEL_CHANGES } from '../src/dns/apply-dns.js';
import { renderBulkSql } from '../src/dns/render-bulk.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { cpuMsPerItem, cpuSeconds, cpuSnapshot } from './cpu-use.js';

const round = (n: number) => Math.round(n * 1000) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (t0: number) => round((performance.now() - t0) / 1000);


/** Waits until `check` holds, polling; returns the seconds since t0. */
async function until(what: string, t0: number, check: () => Promise<boolean>, timeoutS: number, everyMs = 100): Promise<number> {
  const end = performance.now() + timeoutS * 1000;
  while (performance.now() < end) {
    if (await check()) return seconds(t0);
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutS} s waiting for ${what}`);
}


export const dns10000: Benchmark = {
  name: 'dns-10000',
  description: '10,000 zones created through the API, then the edge renumbered: seconds until the primary and the secondary serve the new address (goal ≤ 30 s), against the same PATCHes sent straight to PowerDNS',
  async run(progress) {
    const missing = missingServices();
    if (missing.length) throw new Error(`needs root and ${missing.join(', ')}`);
    const N = Number(process.env.ABRI_BENCH_ZONES ?? 10_000);
    const primary = { address: randomLoopback(), port: 53 };
    const secondaryAddress = randomLoopback();
    let node: TestNode | null = null;
    let m: TestManager | null = null;
    let secondary: PdnsSecondary | null = null;
    try {
      node = await createTestNode(194_700, 10);
      secondary = await startPdnsSecondary({ address: secondaryAddress, primaryAddress: primary.address, primaryNameserver: 'ns1.abri.test' });
      // a host with 10,000 zones runs PostgreSQL (npm run bench starts one); PGlite otherwise
      const database = process.env.ABRI_TEST_DATABASE_URL ? postgres : pglite;
      progress(`database: ${database.name}`);
      m = await startTestManager({
        database,
        settings: {
          ...node.settings, ABRI_LOCAL_AGENT: '1', ABRI_RECONCILE_SECONDS: '3600',
          ABRI_DNS_LISTEN: `${primary.address}:53`, ABRI_DNS_API_PORT: String(await freePort()), ABRI_DNS_PRIMARY: primary.address,
          ABRI_DNS_NAMESERVERS: 'ns1.abri.test,ns2.abri.test', ABRI_DNS_SECONDARIES: secondaryAddress,
          ABRI_DNS_MX: '10 mx1.abri.test,20 mx2.abri.test', ABRI_DNS_SPF: 'v=spf1 mx -all',
        },
      });
      const mm = m;
      const local = (await mm.api('GET', '/api/v1/servers')).body.items[0];
      await mm.api('PATCH', `/api/v1/servers/${local.id}`, { roles: ['edge', 'web', 'dns'] });
      const customer = (await mm.api('POST', '/api/v1/customers', { name: 'DNS bench', contactEmail: 'dns@abri.test' })).body;
      const names = Array.from({ length: N }, (_, i) => `zone-${String(i).padStart(5, '0')}.test`);
      const reached = async (revision: number) => {
        const s = (await mm.api('GET', `/api/v1/servers/${local.id}`)).body;
        if (s.lastError) throw new Error(`the DNS server reports: ${s.lastError}`);
        return Number(s.reachedRevision) >= revision;
      };
      const revisionNow = async () => Number((await mm.manager.app.db.selectFrom('revisions').select(({ fn }) => fn.max('id').as('id')).executeTakeFirstOrThrow()).id);

      // 1. 10,000 zones through the API
      progress(`creating ${N} zones through the API`);
      // CPU spent on the creation: what the 2 cores went to (the DNS servers follow while the API writes)
      const primaryPid = async () => Number((await readIfExists(path.join(node!.root, 'run/abri/pdns/abri-pdns.pid')))?.trim() ?? 0);
      const secondaryPid = Number((await readFile(path.join(secondary.dir, 'pdns.pid'), 'utf8')).trim());
      const pdnsCpu = async () => [(await primaryPid()) ? await cpuSeconds(await primaryPid()) : 0, await cpuSeconds(secondaryPid)];
      const cpu0 = { bench: await cpuSnapshot(node.root), pdns: await pdnsCpu() };
      const t0 = performance.now();
      const api = await apiLoad(mm.url, mm.adminToken, { kind: 'zone', count: N, customerId: customer.id }, 8, progress);
      if (api.names.join() !== names.join()) throw new Error('the client created other zone names than expected');
      const createApi = seconds(t0);
      // what each write cost the machine during the API phase (the primary follows meanwhile): the rate idle cores would allow
      const cpuMsPerWrite = cpuMsPerItem(cpu0.bench, await cpuSnapshot(node.root), api.requests, api.clientCpuSeconds);
      const idleBound = Math.round((os.cpus().length * 1000) / cpuMsPerWrite.total);
      progress(`API: ${api.requestsPerSecond} writes/s; CPU ms per write ${JSON.stringify(cpuMsPerWrite)}: ${idleBound} writes/s on ${os.cpus().length} idle cores`);
      const created = await revisionNow();
      const createServed = await until('the primary to hold every zone', t0, () => reached(created), 1800);
      for (const name of [names[0], names[N - 1]]) {
        const a = await dig(primary, `www.${name}`, 'A');
        if (a.join() !== '127.0.0.1') throw new Error(`primary answers ${a.join()} for www.${name}`);
      }
      const primaryDb = path.join(node.root, 'var/lib/abri/pdns/pdns.sqlite3');
      const secondaryDb = secondary.database;
      // every record of every zone on the secondary as on the primary (a transfer may be under way: asked again)
      const same = async () => (await pdnsRecords(primaryDb)).join('\n') === (await pdnsRecords(secondaryDb)).join('\n');
      const secondaryCreated = await until('the secondary to hold every zone as the primary does', t0, same, 1800, 2000);
      const cpu1 = { bench: await cpuSnapshot(node.root), pdns: await pdnsCpu() };
      const perZone = (s: number) => round((s * 1000) / N);
      const createCpuMsPerZone = {
        ...cpuMsPerItem(cpu0.bench, cpu1.bench, N, api.clientCpuSeconds),
        primaryPowerDns: perZone(cpu1.pdns[0]! - cpu0.pdns[0]!), secondaryPowerDns: perZone(cpu1.pdns[1]! - cpu0.pdns[1]!),
      };
      progress(`created: API ${createApi} s, primary ${createServed} s, secondary ${secondaryCreated} s; CPU ms per zone ${JSON.stringify(createCpuMsPerZone)}`);

      // 2. renumbering: the edge's public address changes, every zone's A records follow
      const sample = [names[0], names[Math.floor(N / 2)], names[N - 1], ...Array.from({ length: 17 }, () => names[Math.floor(Math.random() * N)])];
      const cpuBefore = await pdnsCpu();
      const t1 = performance.now();
      const patched = await mm.api('PATCH', `/api/v1/servers/${local.id}`, { publicAddresses: ['127.0.0.2'] });
      if (patched.status !== 200) throw new Error(`renumbering: ${patched.status} ${JSON.stringify(patched.body)}`);
      const renumbered = await revisionNow();
      const apiSeconds = seconds(t1);
      const primarySeconds = await until('the primary to serve the new address', t1, () => reached(renumbered), 600);
      for (const name of sample) {
        const a = await dig(primary, name, 'A');
        if (a.join() !== '127.0.0.2') throw new Error(`primary answers ${a.join()} for ${name} after renumbering`);
      }
      const renumberedA = `r.type = 'A' AND r.content = '127.0.0.2'`;
      const expected = await pdnsCount(primaryDb, renumberedA);
      const secondarySeconds = await until(`the secondary to serve the new address in every zone (${expected} A records)`, t1,
        async () => (await pdnsCount(secondaryDb, renumberedA)) === expected, 1800, 250);
      const cpuAfter = await pdnsCpu();
      for (const name of sample) {
        const a = await dig(secondary, name, 'A');
        if (a.join() !== '127.0.0.2') throw new Error(`secondary answers ${a.join()} for ${name} after renumbering`);
      }
      if (!(await same())) throw new Error('after renumbering, the secondary does not hold every record as the primary does');
      progress(`renumbered: primary ${primarySeconds} s, secondary ${secondarySeconds} s`);

      // 3. floors, the same changes made without Abri: through PowerDNS's API (one call per zone, as
      //    the agent would without its bulk path), and as one SQLite transaction (what its bulk path does)
      const pdnsDir = path.join(node.root, 'etc/powerdns/abri');
      const key = (await readFile(path.join(pdnsDir, 'api-key'), 'utf8')).trim();
      const port = Number(/webserver-port=(\d+)/.exec(await readFile(path.join(pdnsDir, 'pdns.conf'), 'utf8'))![1]);
      const pdns = new PowerDnsApi(port, key);
      const rr = (name: string, ip: string) => ({ name: `${name}.`, type: 'A', ttl: 300, changetype: 'REPLACE' as const, records: [{ content: ip, disabled: false }] });
      const t2 = performance.now();
      await inParallel(names, PARALLEL_CHANGES, (name) => pdns.patchZone(name, [rr(name, '127.0.0.3'), rr(`www.${name}`, '127.0.0.3')]));
      const apiFloorSeconds = seconds(t2);
      progress(`API floor: ${apiFloorSeconds} s for ${N} PATCHes straight to PowerDNS`);
      const serials = new Map((await pdns.listZones()).map((z) => [z.name.replace(/\.$/, ''), z.serial]));
      const soa = 'ns1.abri.test. hostmaster.abri.test. 0 10800 3600 604800 3600';
      const { sql } = renderBulkSql(names.map((name) => ({ zone: name, serial: serials.get(name)!, soa, changes: [rr(name, '127.0.0.4'), rr(`www.${name}`, '127.0.0.4')] })), new Date());
      const exec = new LocalExecutor();
      const socketDir = path.join(node.root, 'run/abri/pdns');
      const t3 = performance.now();
      await exec.run('runuser', ['-u', 'pdns', '--', 'sqlite3', primaryDb], { input: sql, timeoutMs: 600_000 });
      await exec.run('pdns_control', [`--socket-dir=${socketDir}`, 'purge']);
      const sqlFloorSeconds = seconds(t3);
      if ((await dig(primary, names[N - 1], 'A')).join() !== '127.0.0.4') throw new Error('the SQL floor did not reach the primary');
      progress(`SQL floor: ${sqlFloorSeconds} s for one transaction`);
      const template = [...m.manager.app.config.dns.mx.map((x) => ({ type: 'MX', content: `${x.priority} ${x.host}.` })), { type: 'TXT', content: '"v=spf1 mx -all"' }];
      const replay = await replayZones(database, N, 8, template);
      progress(`creation floor: the same rows straight in SQL at ${replay.writesPerSecond} writes/s`);
      return {
        zones: N,
        database: database.name,
        create: {
          apiSeconds: createApi, primarySeconds: createServed, secondarySeconds: secondaryCreated, cpuMsPerZone: createCpuMsPerZone,
          api: { writes: api.requests, writesPerSecond: api.requestsPerSecond, p50Ms: api.p50Ms, p95Ms: api.p95Ms, maxMs: api.maxMs, cpuMsPerWrite, idleCoresBound: idleBound },
          sqlReplay: replay, apiToSqlRatio: round(replay.writesPerSecond / api.requestsPerSecond),
        },
        renumbering: {
          apiSeconds, primarySeconds, secondarySeconds, apiFloorSeconds, sqlFloorSeconds,
          cpuSeconds: { primaryPowerDns: round(cpuAfter[0]! - cpuBefore[0]!), secondaryPowerDns: round(cpuAfter[1]! - cpuBefore[1]!) },
          ratioToSqlFloor: round(primarySeconds / sqlFloorSeconds), ratioToApiFloor: round(primarySeconds / apiFloorSeconds),
        },
        goals: { renumbering: 'primary and secondary serve the new address in ≤ 30 s', writes: '≥ 200 writes/s at 8 in flight on PostgreSQL' },
        met: { primary: primarySeconds <= 30, secondary: secondarySeconds <= 30, writes: database.name === 'postgres' ? api.requestsPerSecond >= 200 : null },
      };
    } finally {
      await m?.close().catch(() => undefined);
      await node?.cleanup().catch(() => undefined);
      await secondary?.stop().catch(() => undefined);
    }
  },
};
