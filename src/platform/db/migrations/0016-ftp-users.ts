import { sql, type Kysely } from 'kysely';
import { openStampTrigger, sealFunction } from './0012-hot-stamps.js';

// FTP users of hostings (src/files). Pure-FTPd virtual users: no Unix account, each mapped to the
// hosting's uid and gid in the web server's puredb (files they write belong to the hosting) and
// chrooted to its restriction folder. A password is never stored: only its SHA-512 crypt string
// (what the puredb holds). Names share the SFTP users' form (<hosting>-<suffix>) and space: one
// name is one file-transfer account, SFTP or FTP.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ftp_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      name text NOT NULL UNIQUE CHECK (length(name) <= 32),
      folder text NOT NULL DEFAULT '',
      password_hash text NOT NULL CHECK (password_hash ~ '^[$]6[$][./0-9A-Za-z]{1,16}[$][./0-9A-Za-z]{86}$'),
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      enabled boolean NOT NULL DEFAULT true,
      revision bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ftp_users_hosting ON ftp_users (hosting_id);

    INSERT INTO revision_stamps VALUES ('ftp_users');
    ALTER TABLE ftp_users SET (fillfactor = 85);
  `.execute(db);
  // stamped like the others since 0012-hot-stamps: placeholders recorded by a trigger, sealed at commit
  await sql.raw(openStampTrigger('ftp_users')).execute(db);
  const { rows } = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
  await sql.raw(sealFunction(rows.map((r) => r.t))).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM revision_stamps WHERE table_name = 'ftp_users';
    DROP TABLE ftp_users;
  `.execute(db);
  const { rows } = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
  await sql.raw(sealFunction(rows.map((r) => r.t))).execute(db);
}
