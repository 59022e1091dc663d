import { sql, type Kysely } from 'kysely';

// Payments of invoices (issue 14, src/billing): each row is money received for one invoice (amount
// > 0) or paid back for it (a refund: amount < 0, linked to the credit note that credits it). Rows are
// written once, never changed (a correction is another row). A provider's payment (a card payment's id
// at Stripe…) is unique per provider, so a replayed webhook records nothing twice. The invoice's paid
// amount is the sum of its rows; its status and balance follow (billing/rules-payments.ts). The seller
// gets bank details (IBAN, BIC) for transfers, frozen onto each invoice with the rest of the seller.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE billing_settings ADD COLUMN iban text NOT NULL DEFAULT '' CHECK (iban ~ '^([A-Z]{2}[0-9]{2}[A-Z0-9]{11,30})?$');
    ALTER TABLE billing_settings ADD COLUMN bic text NOT NULL DEFAULT '' CHECK (bic ~ '^([A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?)?$');

    CREATE TABLE payments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      invoice_id uuid NOT NULL REFERENCES invoices(id),
      customer_id uuid NOT NULL,
      amount_cents bigint NOT NULL CHECK (amount_cents <> 0),
      currency text NOT NULL,
      method text NOT NULL CHECK (method IN ('card', 'transfer', 'cheque', 'cash', 'other')),
      provider text CHECK (provider ~ '^[a-z][a-z0-9_-]{0,31}$'),
      provider_id text CHECK (length(provider_id) BETWEEN 1 AND 255),
      reference text NOT NULL DEFAULT '',
      received_on date NOT NULL,
      credit_note_id uuid REFERENCES invoices(id),
      recorded_by_id uuid,
      recorded_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (provider, provider_id),
      CHECK ((provider IS NULL) = (provider_id IS NULL)),
      CHECK ((amount_cents < 0) = (credit_note_id IS NOT NULL))
    );
    CREATE INDEX payments_invoice ON payments (invoice_id, created_at);
    CREATE INDEX payments_customer ON payments (customer_id, created_at DESC, id);
    CREATE INDEX payments_created ON payments (created_at DESC, id);
    CREATE INDEX invoices_payment_due ON invoices (payment_due) WHERE kind = 'invoice';

    CREATE FUNCTION payments_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'recorded payments are immutable: % refused (record a refund instead)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
    END $$;
    CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments FOR EACH ROW EXECUTE FUNCTION payments_immutable();
    CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON payments FOR EACH STATEMENT EXECUTE FUNCTION payments_immutable();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX invoices_payment_due;
    DROP TABLE payments; DROP FUNCTION payments_immutable();
    ALTER TABLE billing_settings DROP COLUMN iban;
    ALTER TABLE billing_settings DROP COLUMN bic;
  `.execute(db);
}
