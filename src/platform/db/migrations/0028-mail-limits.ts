import { sql, type Kysely } from 'kysely';

// Sending limits of mail (issue 12): an offer sets how many messages each of its mailboxes may send
// (authenticated submission) per hour and per day; past them the mail server holds the messages for
// staff. A mailbox records how many of its messages its server last reported held (0: none).
// Existing offers get the defaults: 100 per hour, 1,000 per day.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE offers ADD COLUMN mail_send_per_hour integer NOT NULL DEFAULT 100 CHECK (mail_send_per_hour BETWEEN 1 AND 1000000);
    ALTER TABLE offers ADD COLUMN mail_send_per_day integer NOT NULL DEFAULT 1000 CHECK (mail_send_per_day BETWEEN 1 AND 10000000);
    ALTER TABLE mailboxes ADD COLUMN held_messages integer NOT NULL DEFAULT 0 CHECK (held_messages >= 0);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE mailboxes DROP COLUMN held_messages;
    ALTER TABLE offers DROP COLUMN mail_send_per_hour, DROP COLUMN mail_send_per_day;
  `.execute(db);
}
