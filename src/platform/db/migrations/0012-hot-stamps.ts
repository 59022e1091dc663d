import { sql, type Kysely } from 'kysely';
import { sealRevisionFunction } from './0010-static-seal.js';

// Stamps without index churn (issue 10 §4, writes through the API).
// The seal at commit found the objects stamped with a placeholder through a partial index on
// `revision` (migration 0009). An indexed column makes every UPDATE of it a non-HOT update: each
// stamp, and the seal's own UPDATE, wrote a new entry in every index of the row, the trigram (GIN)
// indexes of sites and zones included: a site created wrote its row's index entries three times and
// its zone's once more, about a fifth of the database's CPU per write.
// Now a row trigger, fired only when a placeholder is written (a WHEN clause evaluated without a
// call), records the object in revision_later_stamps, where the seal already finds the objects it
// stamps at commit; `revision` is indexed nowhere, so stamps and seals are HOT updates, and the
// tables keep room in their pages for them (fillfactor).
// A later migration that adds a table to revision_stamps creates its trigger with openStampTrigger()
// and writes the seal again with sealFunction() (test/db-revisions.test.ts checks both).
const PLACEHOLDER = 4503599627370496; // store-revision OPEN_REVISION_BASE

const ident = (t: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(t)) throw new Error(`revision_stamps: unexpected table name ${t}`);
  return t;
};

export const openStampTrigger = (table: string) => `
    CREATE TRIGGER ${ident(table)}_open_stamp AFTER INSERT OR UPDATE OF revision ON ${ident(table)}
      FOR EACH ROW WHEN (NEW.revision >= ${PLACEHOLDER}) EXECUTE FUNCTION abri_open_stamp();`;

export function sealFunction(tables: string[]): string {
  const stamps = tables.map((t, i) => `      ${i ? 'ELSIF' : 'IF'} stamped = '${ident(t)}' THEN
        UPDATE ${ident(t)} SET revision = final WHERE id IN (SELECT object_id FROM revision_later_stamps WHERE revision = NEW.id AND table_name = '${t}');`).join('\n');
  return `CREATE OR REPLACE FUNCTION abri_seal_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      final bigint;
      stamped text;
    BEGIN
      IF NEW.id < ${PLACEHOLDER} THEN RETURN NULL; END IF;
      PERFORM pg_advisory_xact_lock(7358253);
      final := nextval(pg_get_serial_sequence('revisions', 'id'));
      UPDATE revisions SET id = final WHERE id = NEW.id;
      -- the objects stamped with the placeholder (recorded by their open_stamp trigger), and those to stamp now
      FOR stamped IN SELECT DISTINCT table_name FROM revision_later_stamps WHERE revision = NEW.id LOOP
${stamps}
      ELSE
        RAISE EXCEPTION 'revision_later_stamps: % is not in revision_stamps', stamped;
      END IF;
      END LOOP;
      DELETE FROM revision_later_stamps WHERE revision = NEW.id;
      RETURN NULL;
    END $$`;
}

const tablesOf = async (db: Kysely<unknown>) =>
  (await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db)).rows.map((r) => r.t);

export async function up(db: Kysely<unknown>): Promise<void> {
  const tables = await tablesOf(db);
  await sql.raw(`
    CREATE FUNCTION abri_open_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO revision_later_stamps (revision, table_name, object_id) VALUES (NEW.revision, TG_TABLE_NAME, NEW.id);
      RETURN NULL;
    END $$;
    ${tables.map(openStampTrigger).join('\n')}
    ${tables.map((t) => `DROP INDEX IF EXISTS ${ident(t)}_open_revision;`).join('\n')}
    ${tables.map((t) => `ALTER TABLE ${ident(t)} SET (fillfactor = 85);`).join('\n')}
  `).execute(db);
  await sql.raw(sealFunction(tables)).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = await tablesOf(db);
  await sql.raw(`
    ${tables.map((t) => `DROP TRIGGER ${t}_open_stamp ON ${t};`).join('\n')}
    DROP FUNCTION abri_open_stamp();
    ${tables.map((t) => `CREATE INDEX ${t}_open_revision ON ${t} (revision) WHERE revision >= ${PLACEHOLDER};`).join('\n')}
    ${tables.map((t) => `ALTER TABLE ${t} RESET (fillfactor);`).join('\n')}
  `).execute(db);
  await sql.raw(sealRevisionFunction(tables)).execute(db);
}
