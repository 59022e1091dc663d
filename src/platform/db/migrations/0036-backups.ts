import { sql, type Kysely } from 'kysely';

// Off-server backups (issue 13, src/backups): one restic repository per hosting on a backup server,
// reached over SFTP with a key of its own. The row holds where it lives (the backup server, the
// hosting's account there and its uid), its secrets sealed at rest (the restic password and the SSH
// private key: only the hosting's web server receives them), the public key (the backup server's
// authorized key for that account), the backups asked for on demand, and its health as the web
// server last reported it. Not stamped: a change stamps the hosting (as snapshots do). The offer says
// how many daily and weekly backups are kept (restic forget --keep-daily/--keep-weekly).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE backup_repositories (
      hosting_id uuid PRIMARY KEY REFERENCES hostings(id) ON DELETE CASCADE,
      server_id uuid NOT NULL REFERENCES servers(id),
      account text NOT NULL UNIQUE CHECK (account ~ '^bk-[a-z][a-z0-9]{0,28}$'),
      uid integer NOT NULL UNIQUE CHECK (uid >= 1000),
      password_sealed text NOT NULL,
      private_key_sealed text NOT NULL,
      public_key text NOT NULL CHECK (public_key ~ '^ssh-ed25519 [A-Za-z0-9+/=]+$'),
      backup_requests integer NOT NULL DEFAULT 0,
      last_attempt_at timestamptz,
      last_success_at timestamptz,
      last_snapshot text,
      last_bytes_added bigint,
      last_total_bytes bigint,
      last_error text,
      last_error_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX backup_repositories_server ON backup_repositories (server_id);
    ALTER TABLE offers
      ADD COLUMN backup_keep_daily integer NOT NULL DEFAULT 7 CHECK (backup_keep_daily BETWEEN 1 AND 90),
      ADD COLUMN backup_keep_weekly integer NOT NULL DEFAULT 4 CHECK (backup_keep_weekly BETWEEN 0 AND 52);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE offers DROP COLUMN backup_keep_daily, DROP COLUMN backup_keep_weekly`.execute(db);
  await sql`DROP TABLE backup_repositories`.execute(db);
}
