import { sql, type Kysely } from 'kysely';
import { sealRevisionFunction } from './0010-static-seal.js';

// MariaDB databases and their users (src/databases). A hosting's databases and users all live on one
// server with the database role (server_id, the same on every row of a hosting). A user's password
// is never stored: only MariaDB's mysql_native_password string (`*` + hex SHA1(SHA1(password))).
// Sizes are measured by the database server's agent; read_only_since marks the rows of a hosting
// whose databases went over the offer's databaseMb (writes refused until back under 90 %).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE databases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      server_id uuid NOT NULL REFERENCES servers(id),
      name text NOT NULL UNIQUE,
      size_bytes bigint,
      measured_at timestamptz,
      read_only_since timestamptz,
      revision bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX databases_hosting ON databases (hosting_id);
    CREATE INDEX databases_server ON databases (server_id);

    CREATE TABLE database_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      server_id uuid NOT NULL REFERENCES servers(id),
      name text NOT NULL UNIQUE,
      auth_string text NOT NULL CHECK (auth_string ~ '^[*][0-9A-F]{40}$'),
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      revision bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX database_users_hosting ON database_users (hosting_id);
    CREATE INDEX database_users_server ON database_users (server_id);

    CREATE TABLE database_grants (
      user_id uuid NOT NULL REFERENCES database_users(id) ON DELETE CASCADE,
      database_id uuid NOT NULL REFERENCES databases(id) ON DELETE CASCADE,
      PRIMARY KEY (user_id, database_id)
    );
    CREATE INDEX database_grants_database ON database_grants (database_id);

    INSERT INTO revision_stamps VALUES ('databases'), ('database_users');
    CREATE INDEX databases_open_revision ON databases (revision) WHERE revision >= 4503599627370496;
    CREATE INDEX database_users_open_revision ON database_users (revision) WHERE revision >= 4503599627370496;
  `.execute(db);
  const { rows } = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
  await sql.raw(sealRevisionFunction(rows.map((r) => r.t))).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM revision_stamps WHERE table_name IN ('databases', 'database_users');
    DROP TABLE database_grants, database_users, databases;
  `.execute(db);
  const { rows } = await sql<{ t: string }>`SELECT table_name AS t FROM revision_stamps ORDER BY 1`.execute(db);
  await sql.raw(sealRevisionFunction(rows.map((r) => r.t))).execute(db);
}
