// Revisions get their id when their transaction commits, in commit order (migration 0009): inside
// the transaction a placeholder above every real id, stamps moved to the real id by COMMIT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testDatabases } from './helpers/databases.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { bumpRevision, currentRevision, OPEN_REVISION_BASE } from '../src/platform/store-revision.js';

for (const database of testDatabases()) {
  test(`a revision gets its id at commit and its stamps follow (${database.name})`, async () => {
    const m = await startTestManager({ database });
    try {
      const db = m.manager.app.db;
      const { hosting } = await seedHosting(m);
      const before = await currentRevision(db);
      const placeholder = await db.transaction().execute(async (trx) => {
        const p = await bumpRevision(trx, 'test', []);
        assert.ok(p >= OPEN_REVISION_BASE, 'a placeholder inside the transaction');
        assert.equal(await currentRevision(trx), before, 'the open revision is not counted');
        await trx.updateTable('hostings').set({ revision: p }).where('id', '=', hosting.id).execute();
        return p;
      });
      const after = await currentRevision(db);
      assert.ok(after > before && after < OPEN_REVISION_BASE);
      assert.equal((await db.selectFrom('revisions').select('id').where('id', '=', placeholder).execute()).length, 0);
      const row = await db.selectFrom('hostings').select('revision').where('id', '=', hosting.id).executeTakeFirstOrThrow();
      assert.equal(Number(row.revision), after, 'the stamp moved to the real id');

      // outside a transaction the id is real at once
      const direct = await bumpRevision(db, 'direct', []);
      assert.equal(direct, await currentRevision(db));

      // a rolled back revision leaves nothing
      await assert.rejects(db.transaction().execute(async (trx) => {
        await bumpRevision(trx, 'rolled back', []);
        throw new Error('no');
      }));
      assert.equal(await currentRevision(db), direct);
    } finally {
      await m.close();
    }
  });

  test(`every table with stamps is sealed at commit, its placeholders recorded by a trigger (${database.name})`, async () => {
    const m = await startTestManager({ database });
    try {
      const db = m.manager.app.db;
      const columns = await sql<{ t: string }>`SELECT table_name AS t FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name = 'revision' AND table_name NOT IN ('object_states', 'revision_later_stamps') ORDER BY 1`.execute(db);
      const stamped = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
      assert.deepEqual(stamped.rows.map((r) => r.t), columns.rows.map((r) => r.t), 'a new table with a revision column is listed in revision_stamps');
      for (const { t } of stamped.rows) {
        const trigger = await sql<{ n: string }>`SELECT tgname AS n FROM pg_trigger WHERE tgrelid = ${t}::regclass AND tgname = ${`${t}_open_stamp`}`.execute(db);
        assert.equal(trigger.rows.length, 1, `${t} records its placeholders (migration 0011 openStampTrigger)`);
        // an index on revision would make every stamp a non-HOT update (a new entry in each index)
        const idx = await sql<{ def: string }>`SELECT indexdef AS def FROM pg_indexes WHERE tablename = ${t} AND indexdef LIKE '%(revision)%'`.execute(db);
        assert.equal(idx.rows.length, 0, `${t} has no index on revision`);
      }
      // the seal is written with static statements (migrations 0010, 0011): it must name every listed table
      const fn = await sql<{ def: string }>`SELECT pg_get_functiondef('abri_seal_revision'::regproc) AS def`.execute(db);
      for (const { t } of stamped.rows) assert.match(fn.rows[0]!.def, new RegExp(`UPDATE ${t} SET revision = final WHERE id IN`), `the seal moves the stamps of ${t}`);
    } finally {
      await m.close();
    }
  });
}

test('revisions are numbered in commit order, not in the order changes began (postgres)', { skip: !process.env.ABRI_TEST_DATABASE_URL && process.env.CI !== 'true' }, async () => {
  const { postgres } = await import('./helpers/databases.js');
  const m = await startTestManager({ database: postgres });
  try {
    const db = m.manager.app.db;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let firstOpened!: () => void;
    const opened = new Promise<void>((r) => (firstOpened = r));
    // the first change opens its revision, then waits while a second one commits
    const first = db.transaction().execute(async (trx) => {
      await bumpRevision(trx, 'first', []);
      firstOpened();
      await held;
    });
    await opened;
    await db.transaction().execute((trx) => bumpRevision(trx, 'second', []));
    release();
    await first;
    const rows = await db.selectFrom('revisions').select(['id', 'reason']).where('reason', 'in', ['first', 'second']).orderBy('id').execute();
    assert.deepEqual(rows.map((r) => r.reason), ['second', 'first'], 'the change that committed first has the lower id');
  } finally {
    await m.close();
  }
});
