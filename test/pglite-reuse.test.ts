// The test databases on PGlite reuse their instance (test/helpers/pglite-reuse.ts): a database a
// test closed is emptied and given to the next test of the process, which must find it exactly as
// the migrated template was — its rows, sequences and session — or get a new instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.js';
import { pglite } from './helpers/databases.js';
import { pgliteStarts } from './helpers/pglite-reuse.js';
import { startTestManager, seedHosting } from './helpers/manager.js';

/** every table's rows (in a stable order), every sequence's state and the session's settings */
async function contents(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const tables = await sql<{ t: string }>`select format('%I.%I', schemaname, tablename) as t from pg_tables where schemaname = 'public' order by 1`.execute(db);
  for (const { t } of tables.rows) {
    const r = await sql<{ rows: string | null }>`select string_agg(x::text, E'\n' order by x::text) as rows from ${sql.raw(t)} x`.execute(db);
    out[t] = r.rows[0]!.rows ?? '';
  }
  const sequences = await sql<{ s: string; last: number | null }>`select sequencename as s, last_value as last from pg_sequences order by 1`.execute(db);
  for (const { s, last } of sequences.rows) out[`sequence ${s}`] = String(last);
  const settings = await sql<{ n: string; v: string }>`select name as n, setting as v from pg_settings where source = 'session' order by 1`.execute(db);
  out.settings = JSON.stringify(settings.rows);
  return out;
}

test('a test database on PGlite is reused emptied to the template, or replaced when its schema changed', async () => {
  const first = await pglite.open();
  const template = await contents(first.db);
  assert.equal(template['public.kysely_migration']!.split('\n').length > 40, true, "the template's own rows are seen");
  await first.close();
  const starts = pgliteStarts();

  // a whole manager's worth of rows, sequences moved, a session setting changed
  const m = await startTestManager({ database: pglite });
  assert.equal(pgliteStarts(), starts, 'the closed instance was reused');
  await seedHosting(m);
  const db = m.manager.app.db;
  await sql`select nextval('revision_placeholders')`.execute(db);
  // a table large enough to be emptied by TRUNCATE, which others reference
  await sql`insert into customers (name, contact_email) select repeat('x', 200), 'bulk@abri.test' from generate_series(1, 2000)`.execute(db);
  const used = await contents(db);
  assert.notDeepEqual(used, template, 'the test changed the database');
  await m.close();

  const second = await pglite.open();
  assert.equal(pgliteStarts(), starts, 'reused again');
  assert.deepEqual(await contents(second.db), template, 'as the template was: rows, sequences, session');
  // a schema change: the instance is not reused
  await sql`alter table offers add column test_only int`.execute(second.db);
  await second.close();
  await second.close(); // closing twice gives nothing back twice

  const [third, fourth] = await Promise.all([pglite.open(), pglite.open()]);
  assert.equal(pgliteStarts(), starts + 2, 'the altered instance was closed: two new ones');
  assert.deepEqual(await contents(third.db), template);
  await third.close();
  await fourth.close();
});
