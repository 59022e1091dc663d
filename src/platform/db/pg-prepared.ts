// PostgreSQL connections for Kysely whose parameterised statements are prepared once per connection
// (named statements): the server parses and analyses each query text once instead of on every
// call, and the client sends only Bind/Execute. A write goes through twenty-odd such statements.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/** Query texts with more parameters than this (batches of varying size) are not kept prepared. */
const MAX_PARAMETERS = 64;
const MAX_NAMES = 4000;

const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `k${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    if (names.size >= MAX_NAMES) names.clear();
    names.set(text, name);
  }
  return name;
}

export function preparedPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const query = <R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> => {
        const prepared = parameters.length > 0 && parameters.length <= MAX_PARAMETERS;
        return client.query({ text, values: parameters as unknown[], ...(prepared ? { name: nameOf(text) } : {}) }) as unknown as Promise<PostgresQueryResult<R>>;
      };
      return { query: query as PostgresPoolClient['query'], release: () => client.release() };
    },
    end: () => pool.end(),
  };
}
