import { sql, type Kysely } from 'kysely';

// The seal of a revision at commit (migration 0009) ran its UPDATEs through EXECUTE format(...), so
// PostgreSQL parsed and planned four or five statements again on every COMMIT, under the revision
// lock that serialises commits (about 0.6 ms of database CPU per write). The function is now written
// with one static UPDATE per table of revision_stamps, whose plans PL/pgSQL keeps.
// A later migration that adds a table to revision_stamps calls sealRevisionFunction() again
// (test/db-revisions.test.ts checks that the function names every listed table).
export function sealRevisionFunction(tables: string[]): string {
  const ident = (t: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(t)) throw new Error(`revision_stamps: unexpected table name ${t}`);
    return t;
  };
  const now = tables.map((t) => `      UPDATE ${ident(t)} SET revision = final WHERE revision = NEW.id AND revision >= 4503599627370496;`).join('\n');
  const later = tables.map((t, i) => `      ${i ? 'ELSIF' : 'IF'} stamped = '${ident(t)}' THEN
        UPDATE ${ident(t)} SET revision = final WHERE id IN (SELECT object_id FROM revision_later_stamps WHERE revision = NEW.id AND table_name = '${t}');`).join('\n');
  return `CREATE OR REPLACE FUNCTION abri_seal_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      final bigint;
      stamped text;
    BEGIN
      IF NEW.id < 4503599627370496 THEN RETURN NULL; END IF;
      PERFORM pg_advisory_xact_lock(7358253);
      final := nextval(pg_get_serial_sequence('revisions', 'id'));
      UPDATE revisions SET id = final WHERE id = NEW.id;
${now}
      FOR stamped IN SELECT DISTINCT table_name FROM revision_later_stamps WHERE revision = NEW.id LOOP
${later}
      ELSE
        RAISE EXCEPTION 'revision_later_stamps: % is not in revision_stamps', stamped;
      END IF;
      END LOOP;
      DELETE FROM revision_later_stamps WHERE revision = NEW.id;
      RETURN NULL;
    END $$`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
  await sql.raw(sealRevisionFunction(rows.map((r) => r.t))).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION abri_seal_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      final bigint;
      stamped text;
    BEGIN
      IF NEW.id < 4503599627370496 THEN RETURN NULL; END IF;
      PERFORM pg_advisory_xact_lock(7358253);
      final := nextval(pg_get_serial_sequence('revisions', 'id'));
      UPDATE revisions SET id = final WHERE id = NEW.id;
      FOR stamped IN SELECT table_name FROM revision_stamps LOOP
        EXECUTE format('UPDATE %I SET revision = $1 WHERE revision = $2 AND revision >= 4503599627370496', stamped) USING final, NEW.id;
      END LOOP;
      FOR stamped IN SELECT DISTINCT table_name FROM revision_later_stamps WHERE revision = NEW.id LOOP
        EXECUTE format('UPDATE %I SET revision = $1 WHERE id IN (SELECT object_id FROM revision_later_stamps WHERE revision = $2 AND table_name = $3)', stamped)
          USING final, NEW.id, stamped;
      END LOOP;
      DELETE FROM revision_later_stamps WHERE revision = NEW.id;
      RETURN NULL;
    END $$`.execute(db);
}
