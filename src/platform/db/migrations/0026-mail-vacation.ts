import { sql, type Kysely } from 'kysely';

// Out-of-office replies of mailboxes (src/mail, Sieve vacation on the mail server): one row per
// mailbox that has one (set, or kept switched off with its text). Not stamped itself: a change
// stamps its mailbox, which carries the vacation in the mail server's desired state.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE mailbox_vacations (
      mailbox_id uuid PRIMARY KEY REFERENCES mailboxes(id) ON DELETE CASCADE,
      enabled boolean NOT NULL,
      subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
      message text NOT NULL CHECK (length(message) BETWEEN 1 AND 5000),
      starts_on date,
      ends_on date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE mailbox_vacations`.execute(db);
}
