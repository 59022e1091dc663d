import { sql, type Kysely } from 'kysely';

// App passwords of mailboxes (src/mail): named passwords for devices, each a SHA-512 crypt string
// like the mailbox's own, usable for IMAP, POP3 and SMTP with the mailbox's address as login, and
// revocable alone. Not stamped: they are part of their mailbox in the mail server's desired state,
// and a change to them stamps the mailbox (its provisioning says when the server has applied it).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE mail_app_passwords (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      mailbox_id uuid NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
      password_hash text NOT NULL CHECK (password_hash ~ '^[$]6[$][./0-9A-Za-z]{1,16}[$][./0-9A-Za-z]{86}$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (mailbox_id, name)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE mail_app_passwords`.execute(db);
}
