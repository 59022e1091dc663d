import { sql, type Kysely } from 'kysely';

// The lifecycle of a service (issue 14): offers customers may move to by themselves (self_service);
// a service ending at term or early (ends_on: the day the renewals job terminates its hosting; the
// renewal of a period starting on or after it is never invoiced); several credit notes per invoice
// (partial credits, their sum never beyond the invoice: checked with the invoice row locked).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE offers ADD COLUMN self_service boolean NOT NULL DEFAULT false;

    ALTER TABLE services ADD COLUMN ends_on date;
    ALTER TABLE services ADD COLUMN end_mode text CHECK (end_mode IN ('term', 'early'));
    ALTER TABLE services ADD COLUMN end_requested_at timestamptz;
    ALTER TABLE services ADD CONSTRAINT services_end CHECK ((ends_on IS NULL) = (end_mode IS NULL) AND (ends_on IS NULL) = (end_requested_at IS NULL));
    CREATE INDEX services_ends_on ON services (ends_on) WHERE ends_on IS NOT NULL;

    ALTER TABLE invoices DROP CONSTRAINT invoices_credits_id_key;
    CREATE INDEX invoices_credits ON invoices (credits_id) WHERE credits_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX invoices_credits;
    ALTER TABLE invoices ADD CONSTRAINT invoices_credits_id_key UNIQUE (credits_id);
    DROP INDEX services_ends_on;
    ALTER TABLE services DROP CONSTRAINT services_end;
    ALTER TABLE services DROP COLUMN end_requested_at;
    ALTER TABLE services DROP COLUMN end_mode;
    ALTER TABLE services DROP COLUMN ends_on;
    ALTER TABLE offers DROP COLUMN self_service;
  `.execute(db);
}
