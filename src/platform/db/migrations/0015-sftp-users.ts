import { sql, type Kysely } from 'kysely';
import { openStampTrigger, sealFunction } from './0012-hot-stamps.js';

// SFTP users of hostings (src/files). Each is a Unix account of the hosting's web server sharing the
// hosting's uid and gid (files it writes belong to the hosting), chrooted by a dedicated sshd to its
// restriction folder. A password is never stored: only its SHA-512 crypt string (what the shadow
// file holds); public keys are kept as OpenSSH writes them (type and base64 blob) with their SHA-256
// fingerprint.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sftp_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      name text NOT NULL UNIQUE CHECK (length(name) <= 32),
      folder text NOT NULL DEFAULT '',
      password_hash text CHECK (password_hash ~ '^[$]6[$][./0-9A-Za-z]{1,16}[$][./0-9A-Za-z]{86}$'),
      password_changed_at timestamptz,
      enabled boolean NOT NULL DEFAULT true,
      revision bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sftp_users_hosting ON sftp_users (hosting_id);

    CREATE TABLE sftp_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES sftp_users(id) ON DELETE CASCADE,
      type text NOT NULL,
      blob text NOT NULL,
      bits integer NOT NULL,
      fingerprint text NOT NULL,
      comment text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (user_id, fingerprint)
    );

    INSERT INTO revision_stamps VALUES ('sftp_users');
    ALTER TABLE sftp_users SET (fillfactor = 85);
  `.execute(db);
  // stamped like the others since 0012-hot-stamps: placeholders recorded by a trigger, sealed at commit
  await sql.raw(openStampTrigger('sftp_users')).execute(db);
  const { rows } = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
  await sql.raw(sealFunction(rows.map((r) => r.t))).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM revision_stamps WHERE table_name = 'sftp_users';
    DROP TABLE sftp_keys, sftp_users;
  `.execute(db);
  const { rows } = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
  await sql.raw(sealFunction(rows.map((r) => r.t))).execute(db);
}
