// Test databases on PGlite, each in an instance given back when the test closes it, emptied and
// reused by the next test of the same process. Starting an instance from the migrated template
// (WebAssembly started, the dump unpacked, PostgreSQL started) cost 0.9 s of CPU on an idle machine,
// 177 times in a whole run; emptying one costs about a tenth of that.
//
// Emptied means as the template was when the instance started: every table's rows deleted (by
// TRUNCATE when one is large), the template's own rows put back (the migrations' records, settings),
// every sequence set back, the session reset (DISCARD ALL), in one transaction with triggers off
// (session_replication_role = replica: the rows put back are the template's, their triggers have
// run). An instance whose schema, roles or extensions no longer match the template's, left inside a
// transaction, or failing any of this is closed instead of reused.
import type { PGlite } from '@electric-sql/pglite';
import { openDatabase, startPglite, type DatabaseHandle } from '../../src/platform/db/database.js';

interface Template {
  fingerprint: string;
  /** every table, quoted (schema.name) */
  tables: string[];
  /** the statements that put the template's rows back and set its sequences back */
  restore: string;
}

/** what a reused instance's schema must still be */
const FINGERPRINT = `
  select md5(string_agg(x, ',' order by x)) as f from (
    select format('rel:%s.%s:%s:%s', n.nspname, c.relname, c.relkind, c.relnatts) as x
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
    union all select format('att:%s.%s:%s:%s:%s', attrelid::regclass, attname, atttypid::regtype, attnotnull, atthasdef)
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%' and a.attnum > 0 and not a.attisdropped
    union all select format('con:%s.%s', conrelid::regclass, conname) from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
    union all select format('trg:%s.%s:%s', tgrelid::regclass, tgname, tgenabled) from pg_trigger where not tgisinternal
    union all select format('fn:%s', p.oid::regprocedure) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
    union all select format('type:%s', t.oid::regtype) from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
    union all select format('nsp:%s', nspname) from pg_namespace
    union all select format('role:%s', rolname) from pg_roles
    union all select format('db:%s', datname) from pg_database
    union all select format('ext:%s:%s', extname, extversion) from pg_extension
  ) all_objects`;

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function fingerprint(lite: PGlite): Promise<string> {
  return (await lite.query<{ f: string }>(FINGERPRINT)).rows[0]!.f;
}

/** reads the template's state off an instance that nobody has used yet */
async function describe(lite: PGlite): Promise<Template> {
  const tables = (
    await lite.query<{ t: string }>(
      `select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname <> 'information_schema' and schemaname not like 'pg\\_%' order by 1`,
    )
  ).rows.map((r) => r.t);
  const restore: string[] = [];
  for (const table of tables) {
    const { rows } = await lite.query<{ rows: string | null; columns: string }>(
      `select (select json_agg(t)::text from ${table} t) as rows,
              (select string_agg(quote_ident(attname), ', ' order by attnum) from pg_attribute
                where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '') as columns`,
      [table],
    );
    const { rows: json, columns } = rows[0]!;
    if (json)
      restore.push(
        `INSERT INTO ${table} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM json_populate_recordset(null::${table}, ${literal(json)});`,
      );
  }
  const sequences = await lite.query<{ s: string; last: number | null; start: number }>(
    `select format('%I.%I', schemaname, sequencename) as s, last_value as last, start_value as start from pg_sequences`,
  );
  for (const { s, last, start } of sequences.rows) restore.push(`SELECT setval(${literal(s)}, ${last ?? start}, ${last !== null});`);
  return { fingerprint: await fingerprint(lite), tables, restore: restore.join('\n') };
}

/** a table above this size has every table emptied by TRUNCATE */
const TRUNCATE_ABOVE = 64 * 1024;

/** puts `lite` back as the template was; false when it cannot be reused (the caller closes it) */
async function empty(lite: PGlite, template: Template): Promise<boolean> {
  if (lite.closed || lite.isInTransaction()) return false;
  await lite.exec('DISCARD ALL');
  if ((await fingerprint(lite)) !== template.fingerprint) return false;
  // a large table is emptied faster by TRUNCATE (new files), which must name every table referencing
  // it: then all of them are; small ones by DELETE (cheaper than new files for every table)
  const large = (
    await lite.query<{ t: string }>(`select t from unnest($1::text[]) t where pg_relation_size(t::regclass) > ${TRUNCATE_ABOVE}`, [template.tables])
  ).rows;
  // one transaction: a failure leaves the rows as the test left them, and the instance is closed
  await lite.exec(
    [
      'BEGIN',
      'SET LOCAL session_replication_role = replica',
      ...(large.length ? [`TRUNCATE ${template.tables.join(', ')}`] : template.tables.map((t) => `DELETE FROM ${t}`)),
      template.restore,
      'COMMIT',
    ].join(';\n'),
  );
  return true;
}

/** instances given back and emptied, waiting for this process's next test database */
const idle: { lite: PGlite; timer: NodeJS.Timeout }[] = [];
/** at most this many wait; one that waits longer than LINGER_MS is closed (the process can end) */
const MAX_IDLE = 2;
const LINGER_MS = 2000;
let template: Promise<Template> | null = null;
let started = 0;
/** how many instances this process started (the others were reused) */
export const pgliteStarts = () => started;

/** A fresh, migrated test database on PGlite, from `dump` (the migrated template) or a reused instance */
export async function reusedPglite(dump: () => Promise<Blob>): Promise<DatabaseHandle> {
  const waiting = idle.pop();
  let lite: PGlite;
  if (waiting) {
    clearTimeout(waiting.timer);
    lite = waiting.lite;
  } else {
    lite = await startPglite(undefined, await dump());
    started++;
  }
  let handle: DatabaseHandle;
  try {
    await (template ??= describe(lite)); // the first instance, before anybody used it
    handle = await openDatabase({ url: null, dataDir: null, instance: lite });
  } catch (e) {
    await lite.close();
    throw e;
  }
  let closed = false;
  return {
    ...handle,
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
      let reusable = false;
      try {
        reusable = idle.length < MAX_IDLE && (await empty(lite, await template!));
      } finally {
        if (!reusable && !lite.closed) await lite.close();
      }
      if (reusable) {
        const entry = { lite, timer: setTimeout(() => void retire(entry), LINGER_MS).unref() };
        idle.push(entry);
      }
    },
  };
}

/** closes every instance waiting (a test that counts the instances started begins with none waiting) */
export async function closeIdlePglites(): Promise<void> {
  for (const entry of [...idle]) {
    clearTimeout(entry.timer);
    await retire(entry);
  }
}

async function retire(entry: (typeof idle)[number]) {
  const i = idle.indexOf(entry);
  if (i < 0) return;
  idle.splice(i, 1);
  await entry.lite.close();
}
