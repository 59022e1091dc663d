import { sql, type Kysely } from 'kysely';

// The provisioning API of hosts that keep their own billing tool (issue 14, src/billing): the tool's
// own ids of the customers and hostings it made (WHMCS's client and service ids, FOSSBilling's), one
// row each, unique both ways. A hosting's row keeps the customer ref and first domain it was asked
// with, so a repeated call is told apart from a conflicting one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE provisioning_customers (
      ref text PRIMARY KEY CHECK (ref ~ '^[A-Za-z0-9._:-]{1,100}$'),
      customer_id uuid NOT NULL UNIQUE REFERENCES customers(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL
    );
    CREATE TABLE provisioning_hostings (
      ref text PRIMARY KEY CHECK (ref ~ '^[A-Za-z0-9._:-]{1,100}$'),
      hosting_id uuid NOT NULL UNIQUE REFERENCES hostings(id) ON DELETE CASCADE,
      customer_ref text NOT NULL,
      domain text,
      created_at timestamptz NOT NULL
    );
  `.execute(db);
}
