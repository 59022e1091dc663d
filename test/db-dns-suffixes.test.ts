// "Zones and site names under a name" asks the reversed-name indexes of migration 0013 instead of a
// LIKE '%.name' over every row: the same answers (a.example.org is under example.org, xexample.org
// is not, LIKE's own characters are literal), and PostgreSQL answers from the index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testDatabases } from './helpers/databases.js';
import { startTestManager } from './helpers/manager.js';
import { namesUnder, siteNamesIn, zonesAroundName } from '../src/dns/store-zones.js';

for (const database of testDatabases()) {
  test(`names under a zone come from the reversed-name index (${database.name})`, async () => {
    const m = await startTestManager({ database });
    try {
      const db = m.manager.app.db;
      const zones = ['example.org', 'a.example.org', 'b.a.example.org', 'xexample.org', 'example.org.test', 'org-example.org', 'x-example.org'];
      await sql`INSERT INTO zones (name, name_folded) SELECT n, n FROM unnest(${zones}::text[]) n`.execute(db);
      const around = async (name: string) => (await zonesAroundName(db, name)).map((z) => z.name);
      assert.deepEqual(await around('example.org'), ['a.example.org', 'b.a.example.org']);
      assert.deepEqual(await around('a.example.org'), ['b.a.example.org', 'example.org']);
      assert.deepEqual(await around('c.b.a.example.org'), ['a.example.org', 'b.a.example.org', 'example.org']);
      assert.deepEqual(await around('ample.org'), [], 'a name ending like another is not under it');
      const under = async (name: string) => (await db.selectFrom('zones').select('name').where(namesUnder('zones.name', name)).orderBy('name').execute()).map((z) => z.name);
      assert.deepEqual(await under('org'), ['a.example.org', 'b.a.example.org', 'example.org', 'org-example.org', 'x-example.org', 'xexample.org']);
      // % and _ are letters here, not patterns (names never hold them; the query must not widen if one did)
      assert.deepEqual(await under('%'), []);
      assert.deepEqual(await under('_.org'), []);
      assert.deepEqual(await siteNamesIn(db, 'example.org'), []);
      // tiny tables: without sequential scans, whether the indexes can answer at all
      await db.connection().execute(async (c) => {
        await sql`SET enable_seqscan = off`.execute(c);
        const plan = async (table: string) =>
          (await sql.raw(`EXPLAIN SELECT name FROM ${table} WHERE reverse(name) COLLATE "C" LIKE 'gro.elpmaxe.%'`).execute(c)).rows.map((r) => Object.values(r as object)[0]).join('\n');
        assert.match(await plan('zones'), /zones_name_reversed/);
        assert.match(await plan('site_names'), /site_names_name_reversed/);
        await sql`RESET enable_seqscan`.execute(c);
      });
    } finally {
      await m.close();
    }
  });
}
