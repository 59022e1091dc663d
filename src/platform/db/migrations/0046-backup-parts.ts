import { sql, type Kysely } from 'kysely';

// Databases and mailboxes in the off-server backups (issue 13, src/backups). A hosting's backup is
// made of parts, each its own restic snapshot in the hosting's repository: its files (by its web
// server), a dump of each database (by the database server holding it) and a copy of each mailbox (by
// its mail server). backup_parts keeps the size of each part as the server that made it reported it
// (restic 0.14 does not keep it in the snapshot). backup_restores are the tracked restores of a part
// (`db:<name>`, `mail:<address>`; the hosting's files have their own): the manager writes them
// `requested` and puts them in the desired state of the server holding the part; its agent reports
// them `running`, then `done` or `failed` with a stable code (POST /agent/v1/backup-restores). In
// place, the agent first backs the part up as it is (a snapshot tagged `safety`, named in the row).
// Requests, not desired configuration: no revision stamp (the change bumps the server).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE backup_parts (
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      snapshot text NOT NULL CHECK (snapshot ~ '^[0-9a-f]{8,64}$'),
      part text NOT NULL,
      server_id uuid REFERENCES servers(id) ON DELETE SET NULL,
      bytes bigint,
      made_at timestamptz NOT NULL,
      PRIMARY KEY (hosting_id, snapshot)
    );
    CREATE TABLE backup_restores (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      server_id uuid NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
      snapshot text NOT NULL CHECK (snapshot ~ '^[0-9a-f]{8,64}$'),
      part text NOT NULL,
      mode text NOT NULL CHECK (mode IN ('new', 'in-place')),
      target text NOT NULL,
      safety_snapshot text,
      status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'running', 'done', 'failed')),
      error_code text,
      error_message text,
      requested_by uuid,
      requested_at timestamptz NOT NULL,
      started_at timestamptz,
      finished_at timestamptz
    );
    CREATE INDEX backup_restores_hosting ON backup_restores (hosting_id, requested_at DESC);
    CREATE INDEX backup_restores_pending ON backup_restores (server_id) WHERE status IN ('requested', 'running');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE backup_restores; DROP TABLE backup_parts`.execute(db);
}
