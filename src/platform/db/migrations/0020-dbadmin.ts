import { sql, type Kysely } from 'kysely';

// The web database admin (Adminer, src/databases/*-dbadmin.ts). Each database user gets a second,
// random password that only the database admin uses: the manager keeps it sealed (SecretBox) and its
// mysql_native_password string goes to the database server beside the customer's own (MariaDB's
// "IDENTIFIED VIA … OR …"). The customer's password stays known only to the customer. A ticket is
// single-use: its row is consumed by the exchange (the nonce is stored as its SHA-256 digest).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE database_users
      ADD COLUMN console_secret text,
      ADD COLUMN console_auth text CHECK (console_auth ~ '^[*][0-9A-F]{40}$');
    CREATE TABLE dbadmin_tickets (
      nonce_digest text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES database_users(id) ON DELETE CASCADE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX dbadmin_tickets_expiry ON dbadmin_tickets (expires_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE dbadmin_tickets;
    ALTER TABLE database_users DROP COLUMN console_secret, DROP COLUMN console_auth;
  `.execute(db);
}
