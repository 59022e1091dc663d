// The verbs of the accounting exports (staff): the CSV of invoices and credit notes and the FEC of
// the sales journal over a range of days. They read issued documents only (which never change), so
// the same range always gives the same file; they change nothing, so they go on while the platform
// is read-only.
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { AppError } from '../platform/errors.js';
import { invoiceView } from './model.js';
import { MAX_EXPORT_DAYS, type ExportRange } from './model-exports.js';
import { fecFileName, fecText, invoicesCsv, sirenOf } from './render-exports.js';
import { invoicesIssuedBetween } from './store-invoices.js';
import { readSeller } from './store-settings.js';

const DAY = 86_400_000;

/** The range's documents, once the caller is staff and the range makes sense. */
async function documents(app: AppContext, caller: Caller, { from, to }: ExportRange) {
  assertStaff(caller.actor);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY + 1;
  if (!(days >= 1)) throw new AppError('billing.export_range', `the range ends (${to}) before it starts (${from})`, { params: { from, to, maxDays: MAX_EXPORT_DAYS } });
  if (days > MAX_EXPORT_DAYS) throw new AppError('billing.export_range', `an export covers at most ${MAX_EXPORT_DAYS} days (${from} to ${to} is ${days})`, { params: { from, to, maxDays: MAX_EXPORT_DAYS } });
  return (await invoicesIssuedBetween(app.db, from, to)).map(invoiceView);
}

/** invoices-<from>-<to>.csv: one line per document and VAT rate. */
export async function exportInvoicesCsv(app: AppContext, caller: Caller, range: ExportRange) {
  const docs = await documents(app, caller, range);
  return { name: `invoices-${range.from}-${range.to}.csv`, content: invoicesCsv(docs) };
}

/** <SIREN>FEC<to>.txt: the sales journal's entries. */
export async function exportFec(app: AppContext, caller: Caller, range: ExportRange & { separator: 'tab' | 'pipe' }) {
  assertStaff(caller.actor);
  const seller = await readSeller(app.db);
  const siren = sirenOf(seller);
  if (!siren) throw new AppError('billing.siren_missing', 'the FEC is named after the seller\'s SIREN: set it in the billing settings (or a SIREN or SIRET as registration number)');
  const docs = await documents(app, caller, range);
  const accounts = { customer: seller.customerAccount, revenue: seller.revenueAccount, vat: seller.vatAccount };
  return { name: fecFileName(siren, range.to), content: fecText(docs, accounts, range.separator === 'pipe' ? '|' : '\t') };
}
