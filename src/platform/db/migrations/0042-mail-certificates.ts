import { sql, type Kysely } from 'kysely';

// Certificates of the mail servers (issue 12): one per mail server (kind 'mail'), covering the name
// its mail records point to, ordered and renewed by the certificate controller like the others and
// given to that mail server alone. The row goes with its server.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE certificates ADD COLUMN server_id uuid UNIQUE REFERENCES servers(id) ON DELETE CASCADE;
    ALTER TABLE certificates DROP CONSTRAINT certificates_kind_check;
    ALTER TABLE certificates ADD CONSTRAINT certificates_kind_check CHECK (kind IN ('site', 'platform', 'mail'));
    ALTER TABLE certificates ADD CONSTRAINT certificates_mail_server CHECK ((kind = 'mail') = (server_id IS NOT NULL));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM certificates WHERE kind = 'mail';
    ALTER TABLE certificates DROP CONSTRAINT certificates_mail_server;
    ALTER TABLE certificates DROP CONSTRAINT certificates_kind_check;
    ALTER TABLE certificates ADD CONSTRAINT certificates_kind_check CHECK (kind IN ('site', 'platform'));
    ALTER TABLE certificates DROP COLUMN server_id;
  `.execute(db);
}
