import { sql, type Kysely } from 'kysely';

// Billing, first slice (src/billing): offers get a VAT rate; each hosting is a service with a due
// date; the seller's legal details are one row; invoices, proformas and credit notes are numbered
// without gaps per series by a counter row locked in the issuing transaction (a rolled-back
// transaction gives its number back), and once written they never change: a trigger refuses any
// UPDATE or DELETE of an invoice (and of a counter going backwards). A hosting becomes a service
// (its row in services) the first time the renewal job sees it, due that day by the Clock. Buyer and seller details are
// copied onto each invoice (frozen), so a later change of address changes no issued document.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE offers ADD COLUMN vat_rate_bp integer CHECK (vat_rate_bp BETWEEN 0 AND 10000);

    CREATE TABLE billing_settings (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      name text NOT NULL DEFAULT '',
      address text NOT NULL DEFAULT '',
      registration text NOT NULL DEFAULT '',
      vat_number text NOT NULL DEFAULT '',
      email text NOT NULL DEFAULT '',
      vat_mode text NOT NULL DEFAULT 'franchise' CHECK (vat_mode IN ('vat', 'franchise', 'nonprofit')),
      default_vat_rate_bp integer NOT NULL DEFAULT 2000 CHECK (default_vat_rate_bp BETWEEN 0 AND 10000),
      payment_terms text NOT NULL DEFAULT '',
      late_payment text NOT NULL DEFAULT '',
      payment_days integer NOT NULL DEFAULT 0 CHECK (payment_days BETWEEN 0 AND 365),
      renewal_days integer NOT NULL DEFAULT 30 CHECK (renewal_days BETWEEN 0 AND 365),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO billing_settings DEFAULT VALUES;

    CREATE TABLE services (
      hosting_id uuid PRIMARY KEY REFERENCES hostings(id) ON DELETE CASCADE,
      due_date date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX services_due ON services (due_date);

    CREATE TABLE invoice_counters (
      series text PRIMARY KEY CHECK (series ~ '^[A-Z][0-9]{4}$'),
      last integer NOT NULL CHECK (last > 0)
    );

    CREATE TABLE invoices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL CHECK (kind IN ('invoice', 'proforma', 'credit_note')),
      series text NOT NULL,
      seq integer NOT NULL CHECK (seq > 0),
      number text NOT NULL UNIQUE,
      customer_id uuid NOT NULL,
      hosting_id uuid,
      credits_id uuid UNIQUE REFERENCES invoices(id),
      issued_at timestamptz NOT NULL,
      issue_date date NOT NULL,
      payment_due date NOT NULL,
      period_start date,
      period_end date,
      currency text NOT NULL,
      locale text NOT NULL CHECK (locale IN ('fr', 'en')),
      lines jsonb NOT NULL,
      total_ex_cents bigint NOT NULL,
      vat_cents bigint NOT NULL,
      total_cents bigint NOT NULL,
      seller jsonb NOT NULL,
      buyer jsonb NOT NULL,
      mentions jsonb NOT NULL,
      reason text NOT NULL DEFAULT '',
      UNIQUE (series, seq),
      CHECK ((kind = 'credit_note') = (credits_id IS NOT NULL))
    );
    CREATE INDEX invoices_customer ON invoices (customer_id, issued_at DESC, id);
    CREATE INDEX invoices_issued ON invoices (issued_at DESC, id);
    CREATE INDEX invoices_hosting_period ON invoices (hosting_id, period_start) WHERE kind = 'invoice';

    CREATE FUNCTION invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'issued invoices are immutable: % refused (correct with a credit note)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
    END $$;
    CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_immutable();
    CREATE TRIGGER invoices_no_truncate BEFORE TRUNCATE ON invoices FOR EACH STATEMENT EXECUTE FUNCTION invoices_immutable();

    CREATE FUNCTION invoice_counters_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' OR NEW.series <> OLD.series OR NEW.last <> OLD.last + 1 THEN
        RAISE EXCEPTION 'invoice counters only move forward by one' USING ERRCODE = 'integrity_constraint_violation';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER invoice_counters_forward BEFORE UPDATE OR DELETE ON invoice_counters FOR EACH ROW EXECUTE FUNCTION invoice_counters_forward();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE invoices; DROP FUNCTION invoices_immutable();
    DROP TABLE invoice_counters; DROP FUNCTION invoice_counters_forward();
    DROP TABLE services; DROP TABLE billing_settings;
    ALTER TABLE offers DROP COLUMN vat_rate_bp;
  `.execute(db);
}
