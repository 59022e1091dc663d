import { sql, type Kysely } from 'kysely';

// Accounting exports and Factur-X (src/billing/render-exports.ts, render-facturx.ts): the seller's
// settings get the accounts of the sales journal in the FEC (customers 411, revenue 706, VAT
// collected 44571 by default: the French chart of accounts), the SIREN the FEC's file name carries
// (empty: taken from the registration number when it is a SIREN or a SIRET), and the Factur-X option
// (off: invoices download as plain PDFs).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE billing_settings
      ADD COLUMN customer_account text NOT NULL DEFAULT '411' CHECK (customer_account ~ '^[0-9][0-9A-Z]{0,19}$'),
      ADD COLUMN revenue_account text NOT NULL DEFAULT '706' CHECK (revenue_account ~ '^[0-9][0-9A-Z]{0,19}$'),
      ADD COLUMN vat_account text NOT NULL DEFAULT '44571' CHECK (vat_account ~ '^[0-9][0-9A-Z]{0,19}$'),
      ADD COLUMN siren text NOT NULL DEFAULT '' CHECK (siren ~ '^([0-9]{9})?$'),
      ADD COLUMN factur_x boolean NOT NULL DEFAULT false;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE billing_settings DROP COLUMN customer_account, DROP COLUMN revenue_account, DROP COLUMN vat_account, DROP COLUMN siren, DROP COLUMN factur_x;
  `.execute(db);
}
