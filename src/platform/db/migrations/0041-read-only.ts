import { sql, type Kysely } from 'kysely';

// The platform's read-only mode (src/platform/read-only.ts): one row, written by the admins who switch
// it (src/read-only/), read by every change (through a cache). `enabled` with `starts_at` null or
// passed (by the Clock) means read-only now; the message is shown in both languages on every page and
// carried by every refusal. No row: the platform was never switched (writable).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE platform_read_only (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      enabled boolean NOT NULL,
      message_fr text NOT NULL CHECK (length(message_fr) <= 1000),
      message_en text NOT NULL CHECK (length(message_en) <= 1000),
      starts_at timestamptz,
      changed_at timestamptz NOT NULL,
      changed_by text
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE platform_read_only`.execute(db);
}
