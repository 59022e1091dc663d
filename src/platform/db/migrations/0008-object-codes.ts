import { sql, type Kysely } from 'kysely';

// What a server reports about an object in error carries a stable code and its parameters next to
// the English message, so that the UI translates it by code.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE object_states ADD COLUMN code text;
    ALTER TABLE object_states ADD COLUMN params jsonb;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE object_states DROP COLUMN code, DROP COLUMN params;`.execute(db);
}
