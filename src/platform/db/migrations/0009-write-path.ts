import { sql, type Kysely } from 'kysely';

// The write path under load (issue 10 §4).
// - Revisions get their id when their transaction commits, in commit order (an agent that reached 11
//   must never miss a 10 committed later). Until then a revision row has a placeholder id above any
//   real one (2^52 + n), and the objects stamped with it read "pending". A deferred trigger, run by
//   COMMIT itself, takes the revision lock, gives the revision the next id and moves the stamps of
//   the tables listed in revision_stamps (each with a partial index holding only placeholders) to
//   it. The lock is held for that instant instead of from the first bump to the commit, so
//   concurrent changes no longer queue behind each other's queries.
// - Uids of new hostings come from a sequence instead of max(uid) + 1 under a lock held to commit.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE SEQUENCE revision_placeholders;
    ALTER TABLE revisions ALTER COLUMN id SET DEFAULT 4503599627370496 + nextval('revision_placeholders');

    -- tables whose revision column stamps objects with the revision that last changed them
    CREATE TABLE revision_stamps (table_name text PRIMARY KEY);
    INSERT INTO revision_stamps VALUES ('hostings'), ('sites'), ('zones'), ('certificates');
    CREATE INDEX hostings_open_revision ON hostings (revision) WHERE revision >= 4503599627370496;
    CREATE INDEX sites_open_revision ON sites (revision) WHERE revision >= 4503599627370496;
    CREATE INDEX zones_open_revision ON zones (revision) WHERE revision >= 4503599627370496;
    CREATE INDEX certificates_open_revision ON certificates (revision) WHERE revision >= 4503599627370496;

    -- stamps to write only when the revision commits (an object many concurrent changes stamp, such
    -- as the zone of many sites: stamping it at once would make each change wait for the previous)
    CREATE TABLE revision_later_stamps (revision bigint NOT NULL, table_name text NOT NULL, object_id uuid NOT NULL);
    CREATE INDEX revision_later_stamps_revision ON revision_later_stamps (revision);

    CREATE FUNCTION abri_seal_revision() RETURNS trigger LANGUAGE plpgsql AS $$
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
    END $$;
    CREATE CONSTRAINT TRIGGER revisions_seal AFTER INSERT ON revisions
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION abri_seal_revision();

    CREATE SEQUENCE hosting_uids;
    SELECT setval('hosting_uids', max(uid)) FROM hostings HAVING max(uid) IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP SEQUENCE hosting_uids;
    DROP TRIGGER revisions_seal ON revisions;
    DROP FUNCTION abri_seal_revision();
    DROP INDEX hostings_open_revision, sites_open_revision, zones_open_revision, certificates_open_revision;
    DROP TABLE revision_stamps, revision_later_stamps;
    ALTER TABLE revisions ALTER COLUMN id SET DEFAULT nextval(pg_get_serial_sequence('revisions', 'id'));
    DROP SEQUENCE revision_placeholders;
  `.execute(db);
}
