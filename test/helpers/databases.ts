// The databases store tests run on: embedded PGlite always, and a real PostgreSQL server when the
// test command started one (ABRI_TEST_DATABASE_URL). Under CI=true a missing PostgreSQL fails.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';
import { reusedPglite } from './pglite-reuse.js';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** a fresh, migrated, empty database */
  open(): Promise<DatabaseHandle>;
}

const adminUrl = process.env.ABRI_TEST_DATABASE_URL;

/** changes when the way the templates are made changes (a cache made the old way is not reused) */
const TEMPLATE_RECIPE = 'migrated; pglite: no template0/template1, shared_buffers 16MB';

/** what the migrations are (and the PGlite that runs them): names the cached templates below */
let migrationsHash: Promise<string> | null = null;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
async function hashMigrations(): Promise<string> {
  const migrations = path.join(root, 'src/platform/db/migrations');
  const hash = createHash('sha256');
  for (const f of (await readdir(migrations)).sort()) hash.update(f).update(await readFile(path.join(migrations, f)));
  hash.update(JSON.parse(await readFile(path.join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version);
  hash.update(TEMPLATE_RECIPE);
  return hash.digest('hex').slice(0, 16);
}
const connect = async (url: string) => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
};

/**
 * A migrated, empty database on the server of `serverUrl` that new test databases are copied from
 * (CREATE DATABASE … TEMPLATE): running the migrations costs the server about 0.6 s of CPU and the
 * test 1.5 s, a copy a fraction of that. Made once per server and migrations, by whichever test
 * process comes first: each migrates a database of its own and renames it to the template's name,
 * the first rename wins and the others drop theirs. Nobody connects to it (a copy needs that).
 */
const templates = new Map<string, Promise<string>>();
async function postgresTemplate(serverUrl: string): Promise<string> {
  const name = `abri_template_${await (migrationsHash ??= hashMigrations())}`;
  const admin = await connect(serverUrl);
  try {
    if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) return name;
    const mine = `abri_template_tmp_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${mine}`);
    const url = new URL(serverUrl);
    url.pathname = `/${mine}`;
    await (await openDatabase({ url: url.toString(), dataDir: null })).close();
    await waitUntilLeft(admin, mine);
    try {
      await admin.query(`ALTER DATABASE ${mine} RENAME TO ${name}`);
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
    } catch (e) {
      if ((e as { code?: string }).code !== '42P04') throw e; // duplicate_database: another process made it first
      await admin.query(`DROP DATABASE ${mine}`);
    }
    return name;
  } finally {
    await admin.end();
  }
}

/** pg-pool's end() resolves before its idle clients have left: waits until none is connected to `name` */
async function waitUntilLeft(admin: pg.Client, name: string) {
  for (let i = 0; i < 250; i++) {
    const r = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
    if (r.rows[0]!.n === 0) return;
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** A new, migrated database on the PostgreSQL server of `serverUrl`, dropped on close. */
export async function freshPostgres(serverUrl: string | undefined = adminUrl, prefix = 'abri_test'): Promise<DatabaseHandle> {
  if (!serverUrl) throw new Error('ABRI_TEST_DATABASE_URL is not set');
  const adminUrl = serverUrl;
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const template = await (templates.get(adminUrl) ?? templates.set(adminUrl, postgresTemplate(adminUrl)).get(adminUrl)!);
  const admin = await connect(adminUrl);
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // migrate: a no-op on the template's copy, kept so that the database is the one openDatabase makes
  const handle = await openDatabase({ url: url.toString(), dataDir: null });
  return {
    ...handle,
    async close() {
      await handle.close();
      const c = await connect(adminUrl);
      // a forced DROP would kill an idle client still leaving, whose error has no listener left (an
      // uncaught exception, now and then)
      await waitUntilLeft(c, name);
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A migrated, empty PGlite cluster, dumped once and shared by every test process: creating one
 * (initdb in WebAssembly, then the migrations) costs seconds, loading the dump a fraction of that.
 * Kept under node_modules/.cache, named after the migrations and the PGlite version. Loading it is
 * paid by every test process (and every manager of it), so it holds only what the tests use: the
 * database `postgres`, not template0 and template1 (a third of the files to unpack), and 16 MB of
 * shared buffers instead of 128 MB (PostgreSQL zeroes them at each start; the tests' databases are
 * small).
 */
let template: Promise<Blob> | null = null;
async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(root, 'node_modules/.cache/abri-test', `pglite-${await (migrationsHash ??= hashMigrations())}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const fresh = await openDatabase({ url: null, dataDir: null });
  // statements that cannot run in a transaction: parameterless, they take PGlite's simple protocol
  for (const statement of ['ALTER DATABASE template0 IS_TEMPLATE false', 'DROP DATABASE template0', 'ALTER DATABASE template1 IS_TEMPLATE false', 'DROP DATABASE template1', "ALTER SYSTEM SET shared_buffers = '16MB'", 'CHECKPOINT']) {
    await sql.raw(statement).execute(fresh.db);
  }
  const dump = await fresh.dumpDataDir!();
  await fresh.close();
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
  await rename(tmp, file); // atomic: a test process running alongside reads a whole dump or none
  return dump;
}

/** a PGlite instance from the template, or one a test closed, emptied (test/helpers/pglite-reuse.ts) */
export const pglite: TestDatabase = { name: 'pglite', open: () => reusedPglite(pgliteDump) };
/** the migrated template's dump (what a new PGlite test database starts from) */
export const pgliteDump = () => (template ??= pgliteTemplate());
export const postgres: TestDatabase = { name: 'postgres', open: () => freshPostgres() };

/** Every database the suite must pass on. PostgreSQL is included when available, or required under CI. */
export function testDatabases(): TestDatabase[] {
  if (adminUrl || process.env.CI === 'true') return [pglite, postgres];
  process.stderr.write('\n*** PostgreSQL tests SKIPPED: ABRI_TEST_DATABASE_URL is not set (run `npm test`, which starts PostgreSQL) ***\n\n');
  return [pglite];
}
