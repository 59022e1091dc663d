// The verbs of invoices: customers list, read and download theirs (whatever the state of their
// account or hosting: reading is never refused); staff see all, issue a service's next invoice or a
// proforma by hand, and credit an invoice (the only correction: an issued invoice never changes).
import type { AppContext } from '../platform/context.js';
import { assertCanSee, customerScope, type Caller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { invoiceView } from './model.js';
import { creditLines, dayOf, totalsOf } from './rules.js';
import { invoicePdf } from './pdf-invoice.js';
import { mentionsOf, sellerParty, sellerReady, serviceDraft, writeDocument } from './operations-issue.js';
import { findInvoice, listInvoices, lockInvoice, openInvoiceOfPeriod, type InvoiceFilter } from './store-invoices.js';
import { findService, setDueDate } from './store-services.js';
import { readSeller } from './store-settings.js';

const invoiceSubject = (customerId: string) => ({ what: 'invoice', customerId });

export async function listInvoicesOf(app: AppContext, caller: Caller, filter: InvoiceFilter, query: ListQuery) {
  reader(app, caller); // the scope below is the decision: a customer's users list only theirs
  if (filter.customerId) assertCanSee(caller.actor, filter.customerId, 'customer');
  const page = await listInvoices(app.db, customerScope(caller.actor), filter, query);
  return { ...page, items: page.items.map(invoiceView) };
}

export async function showInvoice(app: AppContext, caller: Caller, ref: string) {
  const row = await findInvoice(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(invoiceSubject(row.customerId));
  return invoiceView(row);
}

/** The PDF of an invoice and its file name. */
export async function downloadInvoice(app: AppContext, caller: Caller, ref: string) {
  const view = await showInvoice(app, caller, ref);
  const { facturX } = await readSeller(app.db); // Factur-X or not: the seller's choice today (the document is the same)
  return { name: `${view.number}.pdf`, pdf: await invoicePdf(view, { facturX }) };
}

/**
 * Issues the next invoice (or a proforma) of a hosting's service by hand: the period from its due
 * date (today when it is not billed yet). An invoice not credited for that period is not issued twice.
 */
export function issueInvoice(app: AppContext, caller: Caller, input: { hostingId: string; kind: 'invoice' | 'proforma' }) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const svc = await findService(c.db, input.hostingId, null, { lock: true });
    if (svc.hostingStatus === 'terminated') throw new AppError('hosting.terminated', `${svc.hosting} is terminated: it gets no new invoice`, { params: { hosting: svc.hosting } });
    const seller = await sellerReady(c);
    const draft = await serviceDraft(c, seller, svc, input.kind);
    if (input.kind === 'invoice') {
      const open = await openInvoiceOfPeriod(c.db, svc.hostingId, draft.periodStart!);
      if (open) throw new AppError('invoice.already_issued', `invoice ${open.number} covers this period already (credit it first)`, { params: { number: open.number, periodStart: draft.periodStart! } });
      if (!svc.dueDate) await setDueDate(c.db, svc.hostingId, draft.periodStart!, c.now);
    }
    const { id } = await writeDocument(c, draft);
    return invoiceView(await findInvoice(c.db, id, null));
  });
}

/** Credits an invoice in full with a credit note (its own series) that references it. */
export function creditInvoice(app: AppContext, caller: Caller, ref: string, reason: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const found = await findInvoice(c.db, ref, null);
    await lockInvoice(c.db, found.id); // two credits of one invoice: the second waits, then sees the first
    const inv = invoiceView(await findInvoice(c.db, found.id, null));
    if (inv.kind !== 'invoice') throw new AppError('invoice.not_creditable', `${inv.number} is a ${inv.kind.replace('_', ' ')}: only invoices are credited`, { params: { number: inv.number, kind: inv.kind } });
    if (inv.creditedBy) throw new AppError('invoice.already_credited', `${inv.number} is credited by ${inv.creditedBy.number} already`, { params: { number: inv.number, creditNote: inv.creditedBy.number } });
    const seller = await sellerReady(c);
    const lines = creditLines(inv.lines);
    const { id } = await writeDocument(c, {
      kind: 'credit_note', customerId: inv.customerId, hostingId: inv.hostingId, creditsId: inv.id, paymentDue: dayOf(c.now),
      periodStart: inv.periodStart, periodEnd: inv.periodEnd, currency: inv.currency, locale: inv.locale, lines, ...totalsOf(lines),
      seller: sellerParty(seller), buyer: inv.buyer, mentions: mentionsOf(seller, inv.locale).slice(0, 1), reason,
    });
    return invoiceView(await findInvoice(c.db, id, null));
  });
}
