// Opens the database: embedded PGlite in the data directory by default, PostgreSQL when a URL is
// given. Both go through Kysely's PostgreSQL dialect, so the same queries run on both.
import path from 'node:path';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pglitePool } from './pglite-pool.js';
import { preparedPool } from './pg-prepared.js';
import { maintainPglite, startPgliteMaintenance, type MaintenancePass } from './pglite-maintenance.js';
import { lockDataDir } from './lock.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type { Database };

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** PGlite only: one autovacuum-like pass now (it also runs every minute); PostgreSQL has autovacuum */
  maintain?(): Promise<MaintenancePass>;
  /** PGlite only: the whole cluster as a tar file (OpenOptions.loadDataDir starts from one) */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; null = embedded */
  url: string | null;
  /** data directory for the embedded database; null = in memory (tests) */
  dataDir: string | null;
  /** what is opening it, shown to another process that finds the lock */
  command?: string;
  /** in-memory PGlite only: start from this dump (PGlite dumpDataDir) instead of an empty cluster (tests) */
  loadDataDir?: Blob;
  /** in-memory PGlite only: an instance already started, used as it is and left open on close (tests reuse one) */
  instance?: PGlite;
  /** PGlite only: its buffer cache instead of the size its postgresql.conf sets (128 MB in a data directory), e.g. '16MB' for a command that runs a few queries */
  sharedBuffers?: string;
  migrate?: boolean;
}

const int8 = (v: string) => Number(v);
pg.types.setTypeParser(20, int8); // bigint and count(*) fit in a JS number here

export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparedPool(pool) }), plugins: [new CamelCasePlugin()] });
    handle = { db, kind: 'postgres', close: () => db.destroy() };
  } else {
    const release = opts.dataDir ? lockDataDir(opts.dataDir, opts.command ?? 'abri') : () => {};
    try {
      const dir = opts.dataDir ? path.join(opts.dataDir, 'db') : undefined;
      const lite = opts.instance ?? (await startPglite(dir, dir ? undefined : opts.loadDataDir, opts.sharedBuffers));
      const db = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: pglitePool(lite, { close: !opts.instance }) }),
        plugins: [new CamelCasePlugin()],
      });
      const maintenance = startPgliteMaintenance(db);
      handle = {
        db,
        kind: 'pglite',
        maintain: () => maintainPglite(db),
        dumpDataDir: () => lite.dumpDataDir('none'),
        close: async () => {
          await maintenance.stop();
          await db.destroy();
          release();
        },
      };
    } catch (e) {
      release();
      throw e;
    }
  }
  if (opts.migrate !== false) {
    try {
      await migrate(handle.db);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }
  return handle;
}

/** An embedded PostgreSQL in `dir` (undefined: in memory, empty or loaded from `dump`) */
export function startPglite(dir: string | undefined, dump?: Blob, sharedBuffers?: string): Promise<PGlite> {
  // pg_trgm: trigram indexes for list searches (PostgreSQL ships it in contrib, trusted since 13)
  const startParams = sharedBuffers ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] } : {};
  return PGlite.create(dir, { parsers: { 20: int8 }, extensions: { pg_trgm }, ...(dump ? { loadDataDir: dump } : {}), ...startParams });
}

export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
