import { sql, type Kysely } from 'kysely';

// Payments in the FEC (src/billing/render-exports.ts): the seller's settings get the bank account of
// the bank journal BQ (512 by default: the French chart of accounts), debited with every payment
// received and credited with every refund, against the customers' account.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE billing_settings
      ADD COLUMN bank_account text NOT NULL DEFAULT '512' CHECK (bank_account ~ '^[0-9][0-9A-Z]{0,19}$');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE billing_settings DROP COLUMN bank_account;`.execute(db);
}
