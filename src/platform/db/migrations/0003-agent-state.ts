import { sql, type Kysely } from 'kysely';

// Agents: what each server reported for each object, the server's mode and last error, and the
// revision at which each site/hosting last changed (so a state older than the change reads "pending").
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE servers ADD COLUMN mode text NOT NULL DEFAULT 'unknown' CHECK (mode IN ('unknown', 'render-only', 'apply'));
    ALTER TABLE servers ADD COLUMN last_error text;
    ALTER TABLE servers ADD COLUMN local boolean NOT NULL DEFAULT false;
    ALTER TABLE offers ADD COLUMN php_max_children integer NOT NULL DEFAULT 5;
    ALTER TABLE offers ADD COLUMN php_memory_mb integer NOT NULL DEFAULT 256;
    ALTER TABLE sites ADD COLUMN revision bigint NOT NULL DEFAULT 0;
    ALTER TABLE hostings ADD COLUMN revision bigint NOT NULL DEFAULT 0;
    ALTER TABLE hostings ADD COLUMN purge_requested_at timestamptz;
    ALTER TABLE hostings ADD COLUMN purged_at timestamptz;
    CREATE TABLE object_states (
      server_id uuid NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
      kind text NOT NULL,
      object_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('rendered', 'live', 'error')),
      message text,
      revision bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (server_id, kind, object_id)
    );
    CREATE INDEX object_states_object ON object_states (kind, object_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE object_states;
    ALTER TABLE servers DROP COLUMN mode, DROP COLUMN last_error, DROP COLUMN local;
    ALTER TABLE offers DROP COLUMN php_max_children, DROP COLUMN php_memory_mb;
    ALTER TABLE sites DROP COLUMN revision;
    ALTER TABLE hostings DROP COLUMN revision, DROP COLUMN purge_requested_at, DROP COLUMN purged_at;
  `.execute(db);
}
