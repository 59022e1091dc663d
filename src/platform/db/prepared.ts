// Queries built and compiled once, run many times with new parameters. Building a Kysely query,
// renaming its identifiers (CamelCasePlugin) and compiling it cost about 0.1 ms of the main thread
// per statement under load: the statements every write runs are declared with `prepared()`
// instead, next to the others in their store.
//
//   const offerById = prepared((db, p: { id: string }) => db.selectFrom('offers').selectAll().where('id', '=', p.id));
//   const row = await offerById.first(db, { id });
//
// The builder runs once (on first use), with `p` standing for the parameters: each `p.x` becomes a
// placeholder of the compiled statement, filled at each run. So the builder must not look at a
// parameter's value (no `if (p.x)`, no `'in', p.list`: use `= ANY(${p.list})`, no `.values(p.row)`:
// name each column), and a value that is not from `p` is a constant of the statement. Results go
// through the plugins as those of any query (camelCase rows).
import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** What a builder returns: a query builder, or `sql` (whose compile takes the database). */
interface Compilable<O> {
  compile(db: Db): CompiledQuery<O>;
}

class Param {
  constructor(readonly key: string) {}
}

type Slot = { key: string } | { value: unknown } | { list: Slot[] };

function slotOf(v: unknown, used: Set<string>): Slot {
  if (v instanceof Param) {
    used.add(v.key);
    return { key: v.key };
  }
  if (Array.isArray(v) && v.some((x) => x instanceof Param)) return { list: v.map((x) => slotOf(x, used)) };
  return { value: v };
}

const fill = (s: Slot, params: Record<string, unknown>): unknown =>
  'key' in s ? params[s.key] : 'list' in s ? s.list.map((x) => fill(x, params)) : s.value;

export interface Prepared<P, O> {
  /** the rows */
  all(db: Db, params: P): Promise<O[]>;
  /** the first row, if any */
  first(db: Db, params: P): Promise<O | undefined>;
  /** the whole result (affected rows of a statement that returns none) */
  run(db: Db, params: P): Promise<QueryResult<O>>;
}

export function prepared<P extends object, O>(build: (db: Db, p: P) => Compilable<O>): Prepared<P, O> {
  // per database adapter (every connection and transaction of a database shares it)
  const compiled = new WeakMap<object, { query: CompiledQuery<O>; slots: Slot[] }>();
  const compile = (db: Db) => {
    const accessed = new Set<string>();
    const p = new Proxy({}, {
      get(_, key) {
        if (typeof key !== 'string') return undefined;
        accessed.add(key);
        return new Param(key);
      },
    }) as P;
    const query = build(db, p).compile(db);
    const used = new Set<string>();
    const slots = query.parameters.map((v) => slotOf(v, used));
    const lost = [...accessed].filter((k) => !used.has(k));
    if (lost.length) throw new Error(`prepared(): parameter(s) ${lost.join(', ')} read by the builder but not sent as values (${query.sql.slice(0, 80)}…)`);
    return { query, slots };
  };
  const run = (db: Db, params: P): Promise<QueryResult<O>> => {
    const key = db.getExecutor().adapter;
    let c = compiled.get(key);
    if (!c) compiled.set(key, (c = compile(db)));
    const values = params as Record<string, unknown>;
    return db.executeQuery<O>({ ...c.query, parameters: c.slots.map((s) => fill(s, values)) });
  };
  return {
    all: async (db, params) => (await run(db, params)).rows,
    first: async (db, params) => (await run(db, params)).rows[0],
    run,
  };
}
