import { sql, type Kysely } from 'kysely';

// The platform's e-mail (src/outbox): every message is a row written in the transaction of the change
// that causes it, then sent by the job runner ("outbox.send", one job per message). A message keeps
// what its template needs (params, never a secret) and, until it is sent or given up, the link it
// carries sealed with the platform's secret key (link_sealed): staff read the message with the link
// masked. Password-reset links (src/accounts): only the SHA-256 of their secret is kept.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE outgoing_mail (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      template text NOT NULL CHECK (template ~ '^[a-z][a-z0-9_]{0,39}$'),
      locale text NOT NULL CHECK (locale IN ('fr', 'en')),
      recipient text NOT NULL,
      params jsonb NOT NULL,
      link_sealed text,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      message_id text,
      user_id uuid REFERENCES users(id) ON DELETE SET NULL,
      customer_id uuid REFERENCES customers(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX outgoing_mail_created ON outgoing_mail (created_at DESC, id);
    CREATE INDEX outgoing_mail_status ON outgoing_mail (status, created_at);
    CREATE TABLE password_resets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX password_resets_user ON password_resets (user_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE password_resets; DROP TABLE outgoing_mail;`.execute(db);
}
