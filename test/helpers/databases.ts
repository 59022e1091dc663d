// The databases store tests run on: embedded PGlite always, and a real PostgreSQL server when the
// test command started one (ABRI_TEST_DATABASE_URL). Under CI=true a missing PostgreSQL fails.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** a fresh, migrated, empty database */
  open(): Promise<DatabaseHandle>;
}

const adminUrl = process.env.ABRI_TEST_DATABASE_URL;

/** A new, migrated database on the PostgreSQL server of `serverUrl`, dropped on close. */
export async function freshPostgres(serverUrl: string | undefined = adminUrl, prefix = 'abri_test'): Promise<DatabaseHandle> {
  if (!serverUrl) throw new Error('ABRI_TEST_DATABASE_URL is not set');
  const adminUrl = serverUrl;
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), dataDir: null });
  return {
    ...handle,
    async close() {
      await handle.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      // pg-pool's end() resolves before its idle clients have left: a forced DROP would kill one of
      // them, whose error has no listener left (an uncaught exception, now and then). Wait for them.
      for (let i = 0; i < 250; i++) {
        const r = await c.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (r.rows[0]!.n === 0) break;
        await new Promise((done) => setTimeout(done, 20));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A migrated, empty PGlite cluster, dumped once and shared by every test process: creating one
 * (initdb in WebAssembly, then the migrations) costs seconds, loading the dump a fraction of that.
 * Kept under node_modules/.cache, named after the migrations and the PGlite version.
 */
let template: Promise<Blob> | null = null;
async function pgliteTemplate(): Promise<Blob> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const migrations = path.join(root, 'src/platform/db/migrations');
  const hash = createHash('sha256');
  for (const f of (await readdir(migrations)).sort()) hash.update(f).update(await readFile(path.join(migrations, f)));
  hash.update(JSON.parse(await readFile(path.join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version);
  const file = path.join(root, 'node_modules/.cache/abri-test', `pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const fresh = await openDatabase({ url: null, dataDir: null });
  const dump = await fresh.dumpDataDir!();
  await fresh.close();
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
  await rename(tmp, file); // atomic: a test process running alongside reads a whole dump or none
  return dump;
}

export const pglite: TestDatabase = { name: 'pglite', open: async () => openDatabase({ url: null, dataDir: null, loadDataDir: await (template ??= pgliteTemplate()) }) };
export const postgres: TestDatabase = { name: 'postgres', open: () => freshPostgres() };

/** Every database the suite must pass on. PostgreSQL is included when available, or required under CI. */
export function testDatabases(): TestDatabase[] {
  if (adminUrl || process.env.CI === 'true') return [pglite, postgres];
  process.stderr.write('\n*** PostgreSQL tests SKIPPED: ABRI_TEST_DATABASE_URL is not set (run `npm test`, which starts PostgreSQL) ***\n\n');
  return [pglite];
}
