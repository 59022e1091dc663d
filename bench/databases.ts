// Database benchmark (root): a real MariaDB (test/harness/mariadb.ts) and the database server's
// agent as a process of its own, as in production.
//  db-provision: 1,000 databases, each with its user, created through the API at 8 in flight on 100
//    hostings; seconds until MariaDB holds them all (the server reports the last revision applied).
//    Floor, same run: the statements the agent sends for them (marked as Abri's, CREATE DATABASE,
//    CREATE USER, GRANT) sent straight to MariaDB on one connection, as the agent does.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startTestManager, type TestManager } from '../test/helpers/manager.js';
import { pglite, postgres } from '../test/helpers/databases.js';
import { missingMariadb, startMariadb, type TestMariadb } from '../test/harness/mariadb.js';
import { nodeArgs, repoModule } from '../test/harness/sources.js';
import { stopProcess, track } from '../test/harness/run.js';
import { authString, privilegesFor } from '../src/databases/rules.js';
import { sqlCreateDatabase, sqlCreateUser, sqlGrant } from '../src/databases/render-mariadb.js';
import { apiLoad } from './api-load.js';
import type { Benchmark } from './run.js';

const round = (n: number) => Math.round(n * 1000) / 1000;
const seconds = (t0: number) => round((performance.now() - t0) / 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PER_HOSTING = 10;

/** `abri agent --apply` for the database server, from the sources, its output in `log`. */
function startDatabaseAgent(url: string, token: string, root: string, socket: string, log: string): ChildProcess {
  const fd = openSync(log, 'a');
  try {
    const env = {
      ...process.env, ABRI_CONFIG: '/nonexistent/abri.conf', ABRI_DATA_DIR: path.join(root, 'data'), ABRI_NODE_ROOT: root, ABRI_APPLY: '1',
      ABRI_MARIADB_SOCKET: socket, ABRI_DATABASE_MEASURE_SECONDS: '3600', ABRI_RECONCILE_SECONDS: '3600', ABRI_LOG_LEVEL: 'warn',
    };
    const child = spawn(process.execPath, [...nodeArgs(repoModule('src/cli/main.ts')), 'agent', '--manager', url, '--token', token, '--apply'], { env, stdio: ['ignore', fd, fd] });
    track(child.pid);
    return child;
  } finally {
    closeSync(fd);
  }
}

export const dbProvision: Benchmark = {
  name: 'db-provision',
  description: '1,000 databases with their users created through the API (8 in flight): seconds until MariaDB holds them all, against the same statements sent straight to MariaDB',
  async run(progress) {
    const missing = missingMariadb();
    if (missing.length) throw new Error(`needs ${missing.join(', ')}`);
    const N = Number(process.env.ABRI_BENCH_DATABASES ?? 1000);
    let maria: TestMariadb | null = null;
    let m: TestManager | null = null;
    let agent: ChildProcess | null = null;
    const root = await mkdtemp('/tmp/abri-bench-db-');
    try {
      maria = await startMariadb();
      const database = process.env.ABRI_TEST_DATABASE_URL ? postgres : pglite;
      progress(`database: ${database.name}; MariaDB on port ${maria.port}`);
      m = await startTestManager({ database, settings: { ABRI_DATABASE_PORT: String(maria.port), ABRI_RECONCILE_SECONDS: '3600' } });
      const mm = m;
      const server = (await mm.api('POST', '/api/v1/servers', { name: 'db1', roles: ['database'], addresses: ['127.0.0.1'] })).body;
      agent = startDatabaseAgent(mm.url, server.agentToken, root, maria.socket, path.join(root, 'agent.log'));
      const offer = (await mm.api('POST', '/api/v1/offers', { name: 'Databases', priceCents: 0, maxDatabases: PER_HOSTING })).body;
      const customer = (await mm.api('POST', '/api/v1/customers', { name: 'Database bench', contactEmail: 'db@abri.test' })).body;
      const hostingIds: string[] = [];
      for (let i = 0; i < Math.ceil(N / PER_HOSTING); i++) {
        const h = await mm.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: offer.id });
        if (h.status !== 201) throw new Error(`hosting: ${h.status} ${JSON.stringify(h.body)}`);
        hostingIds.push(h.body.id);
      }
      const reached = async (revision: number) => {
        if (agent!.exitCode !== null) throw new Error(`the database agent exited (${agent!.exitCode}); see ${root}/agent.log`);
        const s = (await mm.api('GET', `/api/v1/servers/${server.id}`)).body;
        if (s.lastError) throw new Error(`the database server reports: ${s.lastError}`);
        return Number(s.reachedRevision) >= revision;
      };
      const revisionNow = async () => Number((await mm.manager.app.db.selectFrom('revisions').select(({ fn }) => fn.max('id').as('id')).executeTakeFirstOrThrow()).id);
      const until = async (what: string, t0: number, check: () => Promise<boolean>, timeoutS: number) => {
        const end = performance.now() + timeoutS * 1000;
        while (performance.now() < end) {
          if (await check()) return seconds(t0);
          await sleep(100);
        }
        throw new Error(`timed out after ${timeoutS} s waiting for ${what}`);
      };
      await until('the database agent to connect', performance.now(), async () => (await mm.api('GET', `/api/v1/servers/${server.id}`)).body.lastContactAt !== null, 120);

      // 1. through the API, until MariaDB holds them all
      progress(`creating ${N} databases with their users through the API`);
      const t0 = performance.now();
      const api = await apiLoad(mm.url, mm.adminToken, { kind: 'database', count: N, hostingIds }, 8, progress);
      const apiSeconds = seconds(t0);
      const last = await revisionNow();
      const appliedSeconds = await until('MariaDB to hold every database', t0, () => reached(last), 1800);
      const c = await maria.root();
      let held: { databases: number; users: number };
      try {
        const [d] = await c.query<Array<{ n: bigint }>>("SELECT count(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '%\\_db%'");
        const [u] = await c.query<Array<{ n: bigint }>>("SELECT count(*) AS n FROM mysql.global_priv WHERE User LIKE '%\\_db%'");
        held = { databases: Number(d!.n), users: Number(u!.n) };
      } finally {
        await c.end();
      }
      if (held.databases !== N || held.users !== N) throw new Error(`MariaDB holds ${held.databases} databases and ${held.users} users, not ${N}`);
      progress(`API ${apiSeconds} s (${api.requestsPerSecond} writes/s), in MariaDB after ${appliedSeconds} s`);

      // 2. floor: the agent's statements for as many new databases and users, on one connection
      const floor = await maria.root();
      let floorSeconds: number;
      try {
        const auth = authString('a password of the floor');
        const t1 = performance.now();
        for (let i = 0; i < N; i++) {
          const name = `floor${Math.floor(i / PER_HOSTING)}_db${i}`;
          await floor.query("INSERT IGNORE INTO abri.managed (kind, name) VALUES ('database', ?)", [name]);
          await floor.query(sqlCreateDatabase(name));
          await floor.query("INSERT IGNORE INTO abri.managed (kind, name) VALUES ('user', ?)", [name]);
          await floor.query(sqlCreateUser(name, auth, false));
          await floor.query(sqlGrant(privilegesFor(false), name, name));
        }
        floorSeconds = seconds(t1);
      } finally {
        await floor.end();
      }
      progress(`floor: ${floorSeconds} s for the same statements straight to MariaDB`);
      return {
        databases: N, hostings: hostingIds.length, database: database.name,
        api: { seconds: apiSeconds, writes: api.requests, writesPerSecond: api.requestsPerSecond, p50Ms: api.p50Ms, p95Ms: api.p95Ms, maxMs: api.maxMs },
        appliedSeconds, afterApiSeconds: round(appliedSeconds - apiSeconds), floorSeconds,
        ratioToFloor: round(appliedSeconds / floorSeconds),
      };
    } finally {
      if (agent) await stopProcess(agent).catch((e: unknown) => progress(`stopping the agent: ${e}`));
      await m?.close().catch((e: unknown) => progress(`closing the manager: ${e}`));
      await maria?.stop().catch((e: unknown) => progress(`stopping MariaDB: ${e}`));
      await rm(root, { recursive: true, force: true });
    }
  },
};
