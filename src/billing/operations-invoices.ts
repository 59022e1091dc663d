// The verbs of invoices: customers list, read and download theirs (whatever the state of their
// account or hosting: reading is never refused); staff see all, issue a service's next invoice or a
// proforma by hand (crediting: operations-credit.ts).
import type { AppContext } from '../platform/context.js';
import { assertCanSee, customerScope, type Caller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { invoiceView } from './model.js';
import { sellerReady, serviceDraft, writeDocument } from './operations-issue.js';
import { findInvoice, listInvoices, openInvoiceOfPeriod, type InvoiceFilter } from './store-invoices.js';
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
  const { invoicePdf } = await import('./pdf-invoice.js'); // pdfkit, its fonts and the QR code load with the first PDF, not at start
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
