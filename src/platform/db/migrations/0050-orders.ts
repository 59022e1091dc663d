import { sql, type Kysely } from 'kysely';

// Orders (issue 14, src/billing): offers customers may order (offers.orderable), the days an unpaid
// order waits before it is cancelled (billing_settings.order_days), and the orders themselves: an
// offer's price and cycle frozen when ordered, the first site's domain asked for, the invoice of the
// first period (one per order), the hosting made once it is paid, and where it stands.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE offers ADD COLUMN orderable boolean NOT NULL DEFAULT false;
    ALTER TABLE billing_settings ADD COLUMN order_days integer NOT NULL DEFAULT 14 CHECK (order_days BETWEEN 1 AND 365);

    CREATE TABLE orders (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      customer_id uuid NOT NULL REFERENCES customers(id),
      offer_id uuid NOT NULL REFERENCES offers(id),
      offer_name text NOT NULL,
      price_cents integer NOT NULL CHECK (price_cents > 0),
      currency text NOT NULL,
      billing_cycle text NOT NULL CHECK (billing_cycle IN ('monthly', 'quarterly', 'yearly')),
      domain text,
      state text NOT NULL CHECK (state IN ('awaiting_payment', 'paid', 'provisioned', 'cancelled', 'failed')),
      error text NOT NULL DEFAULT '',
      invoice_id uuid NOT NULL UNIQUE REFERENCES invoices(id),
      hosting_id uuid UNIQUE REFERENCES hostings(id) ON DELETE SET NULL,
      ordered_by text NOT NULL,
      created_at timestamptz NOT NULL,
      paid_at timestamptz,
      provisioned_at timestamptz,
      cancelled_at timestamptz,
      updated_at timestamptz NOT NULL
    );
    CREATE INDEX orders_customer ON orders (customer_id, created_at DESC);
    CREATE INDEX orders_list ON orders (created_at DESC, id);
    CREATE INDEX orders_awaiting ON orders (created_at) WHERE state = 'awaiting_payment';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE orders;
    ALTER TABLE billing_settings DROP COLUMN order_days;
    ALTER TABLE offers DROP COLUMN orderable;
  `.execute(db);
}
