// The seller's settings in the database: one row (billing_settings, made by migration 0037).
import type { Selectable } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { BillingSettingsTable } from '../platform/db/schema.js';
import type { SellerPatch } from './model.js';

export type SellerRow = Selectable<BillingSettingsTable>;

/** The settings; `lock` holds the row until the transaction ends (an edit against a concurrent one). */
export async function readSeller(db: Db, opts: { lock?: boolean } = {}): Promise<SellerRow> {
  const q = db.selectFrom('billingSettings').selectAll();
  return (opts.lock ? q.forUpdate() : q).executeTakeFirstOrThrow();
}

export async function updateSeller(db: Db, patch: SellerPatch, now: Date): Promise<SellerRow> {
  return db.updateTable('billingSettings').set({ ...patch, updatedAt: now }).returningAll().executeTakeFirstOrThrow();
}
