import { sql, type Kysely } from 'kysely';

// Questions the manager asks a server's agent and waits for (src/servers/queries.ts): the last lines
// of a site's logs today, browsing backups or snapshots later. A row is asked (kind, args), taken by
// the server's agent on its queries long-poll, then answered (answer or error) or left to expire;
// rows are short-lived and deleted a while after they expire.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE agent_queries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      server_id uuid NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9-]{0,31}$'),
      args jsonb NOT NULL,
      expires_at timestamptz NOT NULL,
      taken_at timestamptz,
      answered_at timestamptz,
      answer jsonb,
      error text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX agent_queries_waiting ON agent_queries (server_id, created_at) WHERE taken_at IS NULL;
    CREATE INDEX agent_queries_expiry ON agent_queries (expires_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE agent_queries;`.execute(db);
}
