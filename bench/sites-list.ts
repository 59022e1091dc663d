// sites-list-10000: GET /api/v1/hostings/{id}/sites on a hosting with 10,000 sites, through real HTTP
// (keep-alive, one request at a time), on PGlite and PostgreSQL. Floor: the very SQL statements the
// API ran for the same request (recorded from the manager's Kysely), replayed on the same database
// through the same driver, interleaved with the API requests so both see the same machine noise.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { CompiledQuery, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { openDatabase, type DatabaseHandle, type Db } from '../src/platform/db/database.js';
import { normaliseDocumentRoot, normaliseDomain, foldDomain, siteNamesFolded } from '../src/platform/names.js';
import { offerBody, startTestManager, type TestManager } from '../test/helpers/manager.js';
import { freshPostgres } from '../test/helpers/databases.js';
import type { Benchmark } from './run.js';

const SITES = 10_000;
const REQUESTS = 200;
const WARMUP = 20;
const GOAL_P95_MS = 50;

/** Records the compiled SQL of every query while `recording` is set (added after CamelCasePlugin). */
class QueryRecorder implements KyselyPlugin {
  recording: CompiledQuery[] | null = null;
  constructor(private readonly compile: (node: RootOperationNode, queryId: PluginTransformQueryArgs['queryId']) => CompiledQuery) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.recording?.push(this.compile(args.node, args.queryId));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

interface BenchDatabase {
  name: 'pglite' | 'postgres';
  open(): Promise<DatabaseHandle>;
}

const pgliteDb: BenchDatabase = { name: 'pglite', open: () => openDatabase({ url: null, dataDir: null }) };

const postgresDb = (adminUrl: string): BenchDatabase => ({ name: 'postgres', open: () => freshPostgres(adminUrl, 'abri_bench') });

// ---- seeding -------------------------------------------------------------------------------

const WORDS = ['asso', 'club', 'ecole', 'mairie', 'boulangerie', 'jardin', 'musique', 'theatre', 'velo', 'photo'];
const TLDS = ['fr', 'org', 'net', 'eu'];
const PHP = ['8.1', '8.2', '8.3'];
const HTTPS = ['both', 'https-only', 'redirect', 'http-only'] as const;

const checked = (r: { ok: true; value: string } | { ok: false; reason: string }, what: string) => {
  if (!r.ok) throw new Error(`${what}: ${r.reason}`);
  return r.value;
};

/** 10,000 valid sites (normalised names, their site_names rows) in one transaction, 1,000 per statement. */
export async function seedSites(db: Db, hostingId: string) {
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < SITES; start += 1000) {
      const rows = [];
      for (let i = start; i < Math.min(SITES, start + 1000); i++) {
        const domain = checked(normaliseDomain(`${WORDS[i % WORDS.length]}-${String(i).padStart(5, '0')}.${TLDS[i % TLDS.length]}`), 'domain');
        const at = new Date(now - (SITES - i) * 60_000);
        const aliases = i % 3 === 0 ? [checked(normaliseDomain(`www.${domain}`), 'alias')] : [];
        const documentRoot = checked(normaliseDocumentRoot(i % 4 === 0 ? `${domain}/public` : domain), 'documentRoot');
        rows.push({
          hostingId,
          domain,
          aliases,
          documentRoot,
          // what the site store writes (migration 0006): the Unicode forms the list sorts and searches on
          domainSort: foldDomain(domain),
          namesFolded: siteNamesFolded(domain, aliases, documentRoot),
          phpVersion: PHP[i % PHP.length],
          httpsMode: HTTPS[i % HTTPS.length],
          status: i % 17 === 0 ? ('disabled' as const) : ('active' as const),
          createdAt: at,
          updatedAt: at,
        });
      }
      const inserted = await trx.insertInto('sites').values(rows).returning(['id', 'domain', 'aliases']).execute();
      await trx.insertInto('siteNames').values(inserted.flatMap((s) => [s.domain, ...s.aliases].map((name) => ({ name, siteId: s.id })))).execute();
    }
    await trx.insertInto('revisions').values({ reason: `bench: ${SITES} sites seeded`, serverIds: [] }).execute();
  });
}

/** Customer, offer (room for the sites) and hosting, through the API like a staff member would. */
export async function createHosting(t: TestManager): Promise<{ id: string }> {
  const post = async (path: string, body: unknown) => {
    const r = await t.api('POST', path, body);
    if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string };
  };
  const customer = await post('/api/v1/customers', { name: 'Fédération des assos', contactEmail: 'contact@federation.test' });
  const offer = await post('/api/v1/offers', offerBody({ name: 'Bench 10k', maxSites: SITES, phpVersions: PHP }));
  return post('/api/v1/hostings', { customerId: customer.id, offerId: offer.id });
}

// ---- measuring -----------------------------------------------------------------------------

/** GET through a keep-alive agent (one socket); resolves when the last byte has arrived. */
function getter(base: string, token: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.get(base + path, { agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  return { get, close: () => agent.destroy() };
}

const round = (n: number) => Math.round(n * 100) / 100;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  return { p50: round(at(50)), p95: round(at(95)), max: round(s[s.length - 1]) };
}

/** "select count(*) … from sites … where …" → a short label of a statement */
const summary = (text: string) => {
  const from = /\bfrom\s+"?(\w+)"?/i.exec(text)?.[1] ?? '?';
  const what = /^\s*select\s+count\(\*\)/i.test(text) ? 'count' : /\(select count\(\*\)/i.test(text) ? 'row+count' : 'rows';
  const extra = [/ LIKE /.test(text) ? 'q' : '', /\) [<>] \(/.test(text) ? 'cursor' : ''].filter(Boolean).join(',');
  return `${what} ${from}${extra ? ` (${extra})` : ''}`;
};

interface Shape {
  name: string;
  path: string;
  /** what the answer must be (checks the bench measures real work) */
  expect: { items: number; total: number };
}

async function measureDatabase(database: BenchDatabase, progress: (m: string) => void) {
  let handle: DatabaseHandle | null = null;
  let recorder: QueryRecorder | null = null;
  const t: TestManager = await startTestManager({
    settings: { ABRI_PHP_VERSIONS: PHP.join(',') },
    database: {
      name: database.name,
      async open() {
        handle = await database.open();
        const executor = handle.db.getExecutor();
        recorder = new QueryRecorder((node, queryId) => executor.compileQuery(node, queryId));
        return { ...handle, db: handle.db.withPlugin(recorder) };
      },
    },
  });
  const db = (handle as DatabaseHandle | null)!.db;
  // replays compiled statements without the result plugins (CamelCasePlugin), as close to the driver as Kysely gets
  const raw = db.withoutPlugins();
  const rec = recorder as QueryRecorder | null as QueryRecorder;
  const client = getter(t.url, t.adminToken);
  try {
    const hosting = await createHosting(t);
    const seedStart = performance.now();
    await seedSites(db, hosting.id);
    const seedMs = performance.now() - seedStart;
    // What the background maintenance does within a minute of such a change: autovacuum on
    // PostgreSQL (insert and analyze thresholds), Abri's autovacuum-like pass on PGlite. Done now so
    // the run does not depend on when they wake up.
    const maintenanceStart = performance.now();
    let maintenance: string;
    if (database.name === 'pglite') {
      const pass = await (handle as DatabaseHandle | null)!.maintain!();
      maintenance = `PGlite maintenance pass: vacuumed ${pass.vacuumed.join(', ')}; analyzed ${pass.analyzed.join(', ')}`;
    } else {
      await sql`VACUUM (ANALYZE) sites, site_names`.execute(raw);
      maintenance = 'VACUUM (ANALYZE) sites, site_names (what autovacuum would do)';
    }
    const maintenanceMs = performance.now() - maintenanceStart;
    progress(`${database.name}: ${SITES} sites seeded in ${Math.round(seedMs)} ms, maintenance ${Math.round(maintenanceMs)} ms`);

    const list = `/api/v1/hostings/${hosting.id}/sites`;
    // q-few: 0042 matches 00042 and 00420…00429
    // a cursor deep in the default order: after 9,000 of the 10,000 sites
    let cursor: string | null = null;
    for (let i = 0; i < 9; i++) {
      const r = await client.get(`${list}?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      cursor = JSON.parse(r.body).nextCursor;
    }
    const many = SITES / WORDS.length;
    const shapes: Shape[] = [
      { name: 'default', path: list, expect: { items: 50, total: SITES } },
      { name: 'q-few', path: `${list}?q=0042`, expect: { items: 11, total: 11 } },
      { name: 'q-many-sort-createdAt-desc', path: `${list}?q=asso&sort=-createdAt`, expect: { items: 50, total: many } },
      { name: 'deep-cursor', path: `${list}?cursor=${cursor}`, expect: { items: 50, total: SITES } },
      { name: 'limit-1000', path: `${list}?limit=1000`, expect: { items: 1000, total: SITES } },
    ];
    const results: Record<string, unknown> = {};
    const all: number[] = [];
    const allFloor: number[] = [];
    for (const shape of shapes) {
      // the statements the API runs for this request (after warm-up: no token last-used update)
      let statements: CompiledQuery[] = [];
      for (let i = 0; i < WARMUP; i++) {
        rec.recording = [];
        const r = await client.get(shape.path);
        statements = rec.recording;
        rec.recording = null;
        const body = JSON.parse(r.body);
        if (r.status !== 200 || body.items.length !== shape.expect.items || body.total !== shape.expect.total) {
          throw new Error(`${database.name} ${shape.name}: unexpected answer ${r.status} items=${body.items?.length} total=${body.total} ${r.status !== 200 ? r.body : ''}`);
        }
      }
      const reads = statements.filter((s) => /^\s*select/i.test(s.sql));
      const api: number[] = [];
      const floor: number[] = [];
      const perStatement: number[][] = reads.map(() => []);
      for (let i = 0; i < REQUESTS; i++) {
        const start = performance.now();
        const r = await client.get(shape.path);
        api.push(performance.now() - start);
        if (r.status !== 200) throw new Error(`${database.name} ${shape.name}: ${r.status} ${r.body}`);
        let total = 0;
        for (const [k, s] of reads.entries()) {
          const t0 = performance.now();
          await raw.executeQuery(s);
          const ms = performance.now() - t0;
          perStatement[k].push(ms);
          total += ms;
        }
        floor.push(total);
      }
      all.push(...api);
      allFloor.push(...floor);
      const a = stats(api);
      const f = stats(floor);
      results[shape.name] = {
        path: shape.path.replace(hosting.id, '{id}'),
        items: shape.expect.items,
        total: shape.expect.total,
        apiMs: a,
        floorMs: f,
        floorStatementsP50Ms: reads.map((s, k) => ({ sql: summary(s.sql), p50: stats(perStatement[k]).p50 })),
        ratioP50: round(a.p50 / f.p50),
        pass: a.p95 <= GOAL_P95_MS,
      };
      progress(`${database.name} ${shape.name}: api p50 ${a.p50} p95 ${a.p95} ms, floor p50 ${f.p50} ms`);
    }
    const a = stats(all);
    const f = stats(allFloor);
    return {
      seedMs: Math.round(seedMs),
      maintenance,
      maintenanceMs: Math.round(maintenanceMs),
      requestsPerShape: REQUESTS,
      shapes: results,
      overall: { apiMs: a, floorMs: f, ratioP50: round(a.p50 / f.p50), ratioP95: round(a.p95 / f.p95) },
      pass: a.p95 <= GOAL_P95_MS,
    };
  } finally {
    client.close();
    await t.close();
  }
}

export const sitesList: Benchmark = {
  name: 'sites-list-10000',
  description: `GET /api/v1/hostings/{id}/sites?q=…&sort=… on a hosting with ${SITES} sites, ${REQUESTS} sequential keep-alive requests per query shape; floor = the same SQL statements replayed on the database`,
  async run(progress) {
    const adminUrl = process.env.ABRI_TEST_DATABASE_URL;
    const databases: Record<string, unknown> = {};
    databases.pglite = await measureDatabase(pgliteDb, progress);
    if (adminUrl) databases.postgres = await measureDatabase(postgresDb(adminUrl), progress);
    else {
      progress('PostgreSQL SKIPPED: ABRI_TEST_DATABASE_URL is not set (npm run bench starts one)');
      databases.postgres = { skipped: 'ABRI_TEST_DATABASE_URL is not set' };
    }
    const measured = Object.values(databases).filter((d): d is { pass: boolean } => typeof (d as { pass?: unknown }).pass === 'boolean');
    return { goal: { p95Ms: GOAL_P95_MS }, databases, pass: measured.length === 2 && measured.every((d) => d.pass) };
  },
};
