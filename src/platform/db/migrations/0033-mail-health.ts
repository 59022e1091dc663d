import { sql, type Kysely } from 'kysely';

// The health of each mail server's sending addresses, as the manager last checked it through the DNS
// (src/mail/check-health.ts, every few hours and when staff ask): reverse DNS matching the HELO name
// and confirmed forward, and the configured blocklists. A measure, not a decision: no revision, no
// audit. `addresses` holds one entry per address with what was found and the problems to fix.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE mail_health (
      server_id uuid PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
      helo text,
      ok boolean NOT NULL,
      addresses jsonb NOT NULL,
      problems jsonb NOT NULL,
      checked_at timestamptz NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE mail_health`.execute(db);
}
