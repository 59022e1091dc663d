import { sql, type Kysely } from 'kysely';

// Publishing the public works page (src/works, issue 15) apart from the platform.
// works_page: the last rendered page, one row — its digest and its files — so that every manager
// process hands the same page to the servers of the `status` role (GET /agent/v1/works-page) and to
// the outside targets; a new digest bumps a revision for the status servers.
// works_targets: outside hosts the page is pushed to with rsync over SSH: where (host, port, user,
// path), the host key it must present, the key pair Abri signs in with (the private key sealed with
// the secret box), and how the last push went. Neither is desired state stamped by revisions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE works_page (
      id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      digest text NOT NULL,
      files jsonb NOT NULL,
      rendered_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE works_targets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      host text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
      port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
      username text NOT NULL CHECK (length(username) BETWEEN 1 AND 32),
      path text NOT NULL CHECK (length(path) BETWEEN 2 AND 500),
      host_key text NOT NULL CHECK (length(host_key) <= 2000),
      public_key text NOT NULL,
      private_key_sealed text NOT NULL,
      pushed_digest text,
      pushed_at timestamptz,
      last_attempt_at timestamptz,
      last_error text,
      failures integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE works_targets;
    DROP TABLE works_page;
  `.execute(db);
}
