import { sql, type Kysely } from 'kysely';

// Restores from snapshots (issue 13): a customer asks for a file or folder of a snapshot to be
// copied back, into a new restored-<date>/ folder of the home (`copy`) or over the current one
// (`in-place`, after a safety snapshot that undoes it). The row is the tracked restore: the manager
// writes it `requested` and puts it in its web server's desired state; the agent reports it
// `running`, then `done` or `failed` with a stable code (POST /agent/v1/snapshot-restores). A
// request, not desired configuration: no revision stamp (the change bumps the hosting's server).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE snapshot_restores (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      hosting_id uuid NOT NULL REFERENCES hostings(id) ON DELETE CASCADE,
      server_id uuid NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
      snapshot text NOT NULL,
      path text NOT NULL,
      mode text NOT NULL CHECK (mode IN ('copy', 'in-place')),
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
    CREATE INDEX snapshot_restores_hosting ON snapshot_restores (hosting_id, requested_at DESC);
    CREATE INDEX snapshot_restores_pending ON snapshot_restores (server_id) WHERE status IN ('requested', 'running');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE snapshot_restores`.execute(db);
}
