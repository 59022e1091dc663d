// Adapts an embedded PGlite instance to the pool interface Kysely's PostgresDialect expects.
// PGlite has one connection: a mutex hands it to one Kysely connection (and so one transaction)
// at a time, so concurrent requests queue instead of interleaving inside a transaction.
import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/** `close`: end() closes the instance too (false: its owner closes it) */
export function pglitePool(db: PGlite, { close = true } = {}): PostgresPool {
  let tail: Promise<void> = Promise.resolve();

  const client = {
    async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
      // Parameterless statements go through the simple protocol, which accepts several statements
      // (migrations); the others through the extended protocol with bound parameters.
      const result = parameters.length
        ? await db.query<R>(sql, parameters as unknown[])
        : ((await db.exec(sql)).at(-1) as Awaited<ReturnType<typeof db.query<R>>>) ?? { rows: [], affectedRows: 0, fields: [] };
      const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() as PostgresQueryResult<R>['command'];
      return { command, rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
    },
  };

  return {
    async connect(): Promise<PostgresPoolClient> {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((resolve) => (release = resolve));
      await previous;
      let released = false;
      return {
        query: client.query as PostgresPoolClient['query'],
        release() {
          if (!released) {
            released = true;
            release();
          }
        },
      };
    },
    async end() {
      await tail;
      if (close) await db.close();
    },
  };
}
