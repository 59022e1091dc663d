// The verbs of the accounting exports (staff): the CSV of invoices and credit notes and the FEC of
// the sales and bank journals over a range of days. They read issued documents and recorded payments
// only (which never change), the lettering as it stood on the range's last day, so the same range
// always gives the same file (unless a payment is recorded later with a day inside it); they change
// nothing, so they go on while the platform is read-only.
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { AppError } from '../platform/errors.js';
import { invoiceView } from './model.js';
import { MAX_EXPORT_DAYS, type ExportRange } from './model-exports.js';
import { fecFileName, fecText, invoicesCsv, sirenOf } from './render-exports.js';
import { lettersOf } from './rules-lettering.js';
import { letterGroups, paymentsReceivedBetween } from './store-exports.js';
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

/** <SIREN>FEC<to>.txt: the sales and bank journals' entries, the customers' account lettered. */
export async function exportFec(app: AppContext, caller: Caller, range: ExportRange & { separator: 'tab' | 'pipe' }) {
  assertStaff(caller.actor);
  const seller = await readSeller(app.db);
  const siren = sirenOf(seller);
  if (!siren) throw new AppError('billing.siren_missing', 'the FEC is named after the seller\'s SIREN: set it in the billing settings (or a SIREN or SIRET as registration number)');
  const docs = await documents(app, caller, range);
  const payments = await paymentsReceivedBetween(app.db, range.from, range.to);
  const invoiceIds = new Set([...docs.map((d) => d.credits?.id ?? d.id), ...payments.map((p) => p.invoiceId)]);
  const letters = lettersOf(await letterGroups(app.db, [...invoiceIds], range.to));
  const accounts = { customer: seller.customerAccount, revenue: seller.revenueAccount, vat: seller.vatAccount, bank: seller.bankAccount };
  return { name: fecFileName(siren, range.to), content: fecText({ docs, payments, letters }, accounts, range.separator === 'pipe' ? '|' : '\t') };
}
