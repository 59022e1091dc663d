// The test databases on PGlite reuse their instance (test/helpers/pglite-reuse.ts): a database a
// test closed is emptied and given to the next test of the process, which must find it exactly as
// the migrated template was — its rows, sequences and session — or get a new instance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../src/platform/db/database.js';
import { pglite, pgliteDump } from './helpers/databases.js';
import { closeIdlePglites, pgliteStarts } from './helpers/pglite-reuse.js';
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
  // transaction_isolation and transaction_read_only are the transaction's (reset at each BEGIN); once a
  // SET TRANSACTION ran, PostgreSQL lists them as set by the session for good, at their default values
  const settings = await sql<{ n: string; v: string }>`
    select name as n, setting as v from pg_settings where source = 'session' and name not like 'transaction\\_%' order by 1`.execute(db);
  out.settings = JSON.stringify(settings.rows);
  return out;
}

test('a test database on PGlite is reused emptied to the template, or replaced when its schema changed', async (t) => {
  // whatever a failure leaves open is closed (an open PGlite keeps the process alive)
  const open = new Set<{ close(): Promise<void> }>();
  const kept = <T extends { close(): Promise<void> }>(h: T): T => (open.add(h), h);
  const close = async (h: { close(): Promise<void> }) => (open.delete(h), h.close());
  t.after(async () => {
    for (const h of open) await h.close();
  });

  // what an instance started from the template holds (not through the reuse)
  const pristine = kept(await openDatabase({ url: null, dataDir: null, loadDataDir: await pgliteDump() }));
  const template = await contents(pristine.db);
  await close(pristine);
  assert.equal(template['public.kysely_migration']!.split('\n').length > 40, true, "the template's own rows are seen");
  await closeIdlePglites(); // those an earlier file of this process gave back
  await close(kept(await pglite.open()));
  const starts = pgliteStarts();

  // a whole manager's worth of rows, sequences moved, a session setting changed
  const m = kept(await startTestManager({ database: pglite }));
  assert.equal(pgliteStarts(), starts, 'the closed instance was reused');
  await seedHosting(m);
  const db = m.manager.app.db;
  await sql`select nextval('revision_placeholders')`.execute(db);
  // a table large enough to be emptied by TRUNCATE, which others reference
  await sql`insert into customers (name, contact_email) select repeat('x', 200), 'bulk@abri.test' from generate_series(1, 2000)`.execute(db);
  await sql`set statement_timeout = 123456`.execute(db);
  const used = await contents(db);
  assert.notDeepEqual(used, template, 'the test changed the database');
  await close(m);

  const second = kept(await pglite.open());
  assert.equal(pgliteStarts(), starts, 'reused again');
  assert.deepEqual(await contents(second.db), template, 'as the template was: rows, sequences, session');
  // a schema change: the instance is not reused
  await sql`alter table offers add column test_only int`.execute(second.db);
  await close(second);
  await second.close(); // closing twice gives nothing back twice

  const [third, fourth] = (await Promise.all([pglite.open(), pglite.open()])).map(kept);
  assert.equal(pgliteStarts(), starts + 2, 'the altered instance was closed: two new ones');
  assert.deepEqual(await contents(third!.db), template);
  await close(third!);
  await close(fourth!);
});
