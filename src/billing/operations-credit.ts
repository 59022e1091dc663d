// Credit notes: the only correction of an issued invoice. Staff credit an invoice in full, some of
// its lines, or an amount; a change of offer credits the unused part of a period; ending a service
// at term credits its next period. However many there are, the credit notes of an invoice never go
// beyond its total: the invoice row is locked while what is left is read and the credit note written,
// so a concurrent credit waits, then sees this one. A credit that leaves nothing owed (credited in full,
// or the rest of a partly paid invoice) ends its dunning in the same change, like a payment: a
// suspension dunning made is lifted at once.
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { change, type Change } from '../platform/change.js';
import { AppError, fieldError } from '../platform/errors.js';
import { invoiceView, type InvoiceCreditInput, type InvoiceView } from './model.js';
import { creditLines, dayOf, totalsOf, type InvoiceLine, type Totals } from './rules.js';
import { amountCreditLine, remainderLine, remainingOf } from './rules-lifecycle.js';
import { mentionsOf, sellerParty, sellerReady, writeDocument } from './operations-issue.js';
import { endDunning } from './operations-dunning.js';
import { creditedTotals, findInvoice, lockInvoice } from './store-invoices.js';

/**
 * In the caller's change: locks an invoice, builds the lines of a credit from it and what is left of
 * it, refuses a credit beyond that, writes the credit note. Answers the credit note's view.
 */
export async function creditIn(
  c: Change, invoiceId: string, reason: string, build: (inv: InvoiceView, left: Totals) => Promise<InvoiceLine[]> | InvoiceLine[], opts: { audit?: boolean } = {},
): Promise<InvoiceView> {
  await lockInvoice(c.db, invoiceId); // two credits of one invoice: the second waits, then sees the first
  const inv = invoiceView(await findInvoice(c.db, invoiceId, null));
  if (inv.kind !== 'invoice') throw new AppError('invoice.not_creditable', `${inv.number} is a ${inv.kind.replace('_', ' ')}: only invoices are credited`, { params: { number: inv.number, kind: inv.kind } });
  const left = remainingOf(inv, await creditedTotals(c.db, inv.id));
  if (inv.creditedBy || left.totalCents <= 0) {
    const last = inv.creditedBy ?? inv.creditNotes.at(-1);
    throw new AppError('invoice.already_credited', `${inv.number} is credited by ${last?.number ?? 'credit notes'} already: nothing is left to credit`, { params: { number: inv.number, creditNote: last?.number ?? '' } });
  }
  const lines = await build(inv, left);
  const totals = totalsOf(lines);
  if (-totals.totalCents > left.totalCents || totals.totalCents >= 0) {
    throw new AppError('invoice.credit_exceeds', `${inv.number} has ${left.totalCents} cents left to credit: a credit of ${-totals.totalCents} cents is refused`, {
      params: { number: inv.number, remainingCents: left.totalCents, askedCents: -totals.totalCents },
    });
  }
  const seller = await sellerReady(c);
  const { id } = await writeDocument(c, {
    kind: 'credit_note', customerId: inv.customerId, hostingId: inv.hostingId, creditsId: inv.id, paymentDue: dayOf(c.now),
    periodStart: inv.periodStart, periodEnd: inv.periodEnd, currency: inv.currency, locale: inv.locale, lines, ...totals,
    seller: sellerParty(seller), buyer: inv.buyer, mentions: mentionsOf(seller, inv.locale).slice(0, 1), reason,
  }, opts);
  const settled = invoiceView(await findInvoice(c.db, inv.id, null));
  if (settled.balanceCents <= 0) await endDunning(c, inv.id, 'credited');
  return invoiceView(await findInvoice(c.db, id, null));
}

const words = {
  fr: { amount: (n: string) => `Avoir partiel sur la facture ${n}`, rest: (n: string) => `Solde de la facture ${n}` },
  en: { amount: (n: string) => `Partial credit of invoice ${n}`, rest: (n: string) => `Balance of invoice ${n}` },
};

/** The lines staff asked to credit: an amount, some lines, or (neither) what is left. */
function askedLines(inv: InvoiceView, input: InvoiceCreditInput, left: Totals): InvoiceLine[] {
  const w = words[inv.locale];
  const rates = [...new Set(inv.lines.map((l) => l.vatRateBp))];
  if (input.amountCents !== undefined) {
    if (rates.length !== 1) throw new AppError('invoice.credit_mixed_rates', `${inv.number} has several VAT rates: credit some of its lines instead of an amount`, { params: { number: inv.number } });
    return [amountCreditLine(w.amount(inv.number), input.amountCents, rates[0]!)];
  }
  if (input.lines) {
    const unknown = input.lines.find((n) => n >= inv.lines.length);
    if (unknown !== undefined) throw fieldError('invoice.credit_line_unknown', 'body.lines', `${inv.number} has no line ${unknown} (it has ${inv.lines.length})`, { line: unknown });
    return creditLines([...new Set(input.lines)].map((n) => inv.lines[n]!));
  }
  if (!inv.creditNotes.length) return creditLines(inv.lines);
  return [remainderLine(w.rest(inv.number), left, rates[0] ?? 0)];
}

/** Staff credit an invoice: in full (what is left of it), some of its lines, or an amount. */
export function creditInvoice(app: AppContext, caller: Caller, ref: string, input: InvoiceCreditInput) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const found = await findInvoice(c.db, ref, null);
    return creditIn(c, found.id, input.reason, (inv, left) => askedLines(inv, input, left));
  });
}
