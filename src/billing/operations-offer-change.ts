// A change of offer, prorated: the unused part of the period in progress (change day → due date) is
// credited on the invoice of that period (a partial credit note, each line × unused days ÷ the
// period's days, half up to the cent), and the new offer is invoiced for the same days (its price ×
// days ÷ the days of its billing cycle ending on the due date, half up). The due date stays. A
// renewal invoice already issued for the next period is credited and issued again at the new price.
// Customers (manager role) move to offers open to self-service; staff to any. A hosting that holds
// more than the new offer allows is refused with the list of what does not fit. The preview computes
// the same plan without writing anything.
import type { AppContext } from '../platform/context.js';
import { customerScope, isStaff, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { AppError, fieldError } from '../platform/errors.js';
import type { Db } from '../platform/db/database.js';
import type { OfferRow } from '../offers/model.js';
import { findOffer } from '../offers/store.js';
import { hostingSubject } from '../hosting/rules.js';
import { assertPhpAllowed, findHosting, phpVersionsInUse, type HostingRow } from '../hosting/store-hostings.js';
import { moveHostingOffer } from '../hosting/operations-hostings.js';
import { hostingMailUse } from '../mail/store-mailboxes.js';
import type { OfferChangeView } from './model-lifecycle.js';
import { invoiceView } from './model.js';
import { addDays, dayOf, lineOf, sellerMissing, totalsOf, vatRateOf, type InvoiceLine, type Locale } from './rules.js';
import { cycleDaysBefore, daysBetween, misfitsOf, proratedLine, remainderLine, remainingOf, unusedCreditLines } from './rules-lifecycle.js';
import { formatDay } from './render-invoice.js';
import { creditIn } from './operations-credit.js';
import { mentionsOf, sellerParty, serviceDraft, writeDocument } from './operations-issue.js';
import { buyerOf, creditedTotals, findInvoice, openInvoiceOfPeriod } from './store-invoices.js';
import { findService } from './store-services.js';
import { readSeller, type SellerRow } from './store-settings.js';
import { invoiceOfToday } from './store-lifecycle.js';

const range = (from: string, end: string, l: Locale) => `${formatDay(from, l)} ${l === 'fr' ? 'au' : 'to'} ${formatDay(addDays(end, -1), l)}`;
const words = {
  fr: {
    unused: (h: string, o: string, r: string, d: number, n: number) => `Hébergement ${h} — offre « ${o} » : part non utilisée, du ${r} (${d}/${n} jours)`,
    charge: (h: string, o: string, r: string, d: number, n: number) => `Hébergement ${h} — offre « ${o} », du ${r} (prorata ${d}/${n} jours)`,
    reason: (a: string, b: string) => `Changement d'offre : « ${a} » → « ${b} »`,
  },
  en: {
    unused: (h: string, o: string, r: string, d: number, n: number) => `Hosting ${h}, offer "${o}": unused part, ${r} (${d}/${n} days)`,
    charge: (h: string, o: string, r: string, d: number, n: number) => `Hosting ${h}, offer "${o}", ${r} (prorated ${d}/${n} days)`,
    reason: (a: string, b: string) => `Change of offer: "${a}" → "${b}"`,
  },
};

interface Plan {
  view: OfferChangeView;
  credit: { invoiceId: string; lines: InvoiceLine[] } | null;
  charge: InvoiceLine[] | null;
  renewal: { invoiceId: string } | null;
  locale: Locale;
}

/** Who may move this hosting to this offer, and whether it fits: refused otherwise. */
async function assertMove(db: Db, caller: Caller, h: HostingRow, offer: OfferRow, field: string) {
  if (offer.id === h.offerId) throw new AppError('offer_change.same_offer', `${h.name} has the offer "${offer.name}" already`, { params: { offer: offer.name } });
  if (offer.archived) throw new AppError('offer.archived', `the offer "${offer.name}" is archived`, { params: { offer: offer.name } });
  if (!isStaff(caller.actor) && !offer.selfService) {
    throw new AppError('offer_change.not_self_service', `only staff move a hosting to the offer "${offer.name}": ask them`, { params: { offer: offer.name } });
  }
  for (const v of new Set([h.phpVersion, ...(await phpVersionsInUse(db, h.id))])) assertPhpAllowed(offer, v, field);
  const mail = await hostingMailUse(db, h.id);
  const misfits = misfitsOf(
    { diskUsedBytes: h.diskUsedBytes === null ? null : Number(h.diskUsedBytes), sites: Number(h.siteCount), mailboxes: mail.count, mailQuotaMb: mail.quotaMb,
      databases: Number(h.databaseCount), transferUsers: Number(h.transferUserCount), cronTasks: Number(h.cronTaskCount) },
    offer,
  );
  if (misfits.length) {
    throw new AppError('offer_change.does_not_fit', `${h.name} holds more than the offer "${offer.name}" allows: ${misfits.map((m) => `${m.what} ${m.used} > ${m.limit}`).join(', ')}`, {
      params: { offer: offer.name, misfits: misfits.map((m) => m.what) },
      issues: misfits.map((m) => ({ path: field, code: 'offer_change.does_not_fit', message: `${m.what}: ${m.used} used, the offer allows ${m.limit}`, params: { ...m } })),
    });
  }
}

/** The credit, the prorated invoice and the renewal to redo of moving a service to an offer (reads only). */
async function planOf(db: Db, now: Date, h: HostingRow, offer: OfferRow, seller: SellerRow): Promise<Plan> {
  const svc = await findService(db, h.id, null);
  const today = dayOf(now);
  const { locale } = await buyerOf(db, h.customerId);
  const w = words[locale];
  const rate = vatRateOf(seller, offer.vatRateBp);
  const view: OfferChangeView = {
    hostingId: h.id, hosting: h.name, from: { offerId: svc.offerId, offer: svc.offer, priceCents: svc.priceCents, billingCycle: svc.billingCycle },
    to: { offerId: offer.id, offer: offer.name, priceCents: offer.priceCents, billingCycle: offer.billingCycle }, currency: svc.currency,
    changeDate: today, dueDate: svc.dueDate, billed: false, credit: null, charge: null, renewal: null, balanceCents: 0, issued: [],
  };
  const plan: Plan = { view, credit: null, charge: null, renewal: null, locale };
  if (sellerMissing(seller).length || !svc.dueDate || svc.dueDate <= today) return plan; // nothing billed to prorate
  view.billed = true;
  const current = await invoiceOfToday(db, h.id, today);
  if (current) {
    const inv = invoiceView(await findInvoice(db, current.id, null));
    const [unused, periodDays] = [daysBetween(today, current.periodEnd), daysBetween(current.periodStart, current.periodEnd)];
    const describe = () => w.unused(h.name, svc.offer, range(today, current.periodEnd, locale), unused, periodDays);
    let lines = unusedCreditLines(inv.lines, unused, periodDays, describe);
    const left = remainingOf(inv, await creditedTotals(db, inv.id));
    if (-totalsOf(lines).totalCents > left.totalCents) lines = [remainderLine(describe(), left, inv.lines[0]?.vatRateBp ?? 0)];
    if (lines.length && left.totalCents > 0) {
      plan.credit = { invoiceId: inv.id, lines };
      view.credit = { invoice: inv.number, unusedDays: unused, periodDays, ...totalsOf(lines) };
    }
  }
  const days = daysBetween(today, svc.dueDate);
  const cycleDays = cycleDaysBefore(svc.dueDate, offer.billingCycle);
  const line = proratedLine(w.charge(h.name, offer.name, range(today, svc.dueDate, locale), days, cycleDays), offer.priceCents, days, cycleDays, rate);
  if (line.exCents > 0) {
    plan.charge = [line];
    view.charge = { periodStart: today, periodEnd: svc.dueDate, days, cycleDays, ...totalsOf([line]) };
  }
  const next = await openInvoiceOfPeriod(db, h.id, svc.dueDate);
  if (next) {
    plan.renewal = { invoiceId: next.id };
    view.renewal = { invoice: next.number, newTotalCents: offer.priceCents > 0 ? totalsOf([lineOf('', 1, offer.priceCents, rate)]).totalCents : 0 };
  }
  view.balanceCents = (view.charge?.totalCents ?? 0) + (view.credit?.totalCents ?? 0);
  return plan;
}

async function offerOf(db: Db, ref: string, field: string): Promise<OfferRow> {
  return findOffer(db, ref).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'offer.not_found') throw fieldError('offer.not_found', field, 'no such offer');
    throw e;
  });
}

/** What moving a hosting to an offer would credit and invoice today, without doing it. */
export async function previewOfferChange(app: AppContext, caller: Caller, ref: string, offerRef: string): Promise<OfferChangeView> {
  const h = await findHosting(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(h));
  const offer = await offerOf(app.db, offerRef, 'query.offer');
  await assertMove(app.db, caller, h, offer, 'query.offer');
  return (await planOf(app.db, app.clock.now(), h, offer, await readSeller(app.db))).view;
}

/** Moves a hosting to an offer, prorated: the plan of the preview, carried out in one change. */
export function changeOffer(app: AppContext, caller: Caller, ref: string, offerRef: string): Promise<OfferChangeView> {
  return change(app, caller, async (c) => {
    const h = await findHosting(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may(hostingSubject(h), 'manage');
    const offer = await offerOf(c.db, offerRef, 'body.offer');
    await assertMove(c.db, caller, h, offer, 'body.offer');
    const seller = await readSeller(c.db);
    const plan = await planOf(c.db, c.now, h, offer, seller);
    const moved = await moveHostingOffer(c, h, offer);
    await carryOut(c, plan, seller);
    const { view } = plan;
    // one entry for the whole change: the hosting before and after, and every document issued
    await c.audit({
      action: 'service.offer_change', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, before: moved.before,
      after: { ...moved.after, credit: view.credit?.totalCents ?? 0, charge: view.charge?.totalCents ?? 0, issued: view.issued.map((d) => d.number) },
    });
    return view;
  });
}

/** The documents of a change are audited by the change's own entry. */
const quiet = { audit: false };

async function carryOut(c: Change, plan: Plan, seller: SellerRow) {
  const { view, locale } = plan;
  const reason = words[locale].reason(view.from.offer, view.to.offer);
  const issued = (d: { id: string; number: string }, kind: 'invoice' | 'credit_note') => view.issued.push({ id: d.id, number: d.number, kind });
  if (plan.credit) {
    const lines = plan.credit.lines;
    issued(await creditIn(c, plan.credit.invoiceId, reason, () => lines, quiet), 'credit_note');
  }
  if (plan.charge) {
    const svc = await findService(c.db, view.hostingId, null);
    const { locale: l, ...buyer } = await buyerOf(c.db, svc.customerId);
    const today = dayOf(c.now);
    const byTerms = addDays(today, seller.paymentDays);
    issued(await writeDocument(c, {
      kind: 'invoice', customerId: svc.customerId, hostingId: svc.hostingId, creditsId: null, paymentDue: byTerms < view.dueDate! ? byTerms : view.dueDate!,
      periodStart: today, periodEnd: view.dueDate, currency: svc.currency, locale: l, lines: plan.charge, ...totalsOf(plan.charge),
      seller: sellerParty(seller), buyer, mentions: mentionsOf(seller, l), reason,
    }, quiet), 'invoice');
  }
  if (plan.renewal) {
    issued(await creditIn(c, plan.renewal.invoiceId, reason, (inv, left) => [remainderLine(reason, left, inv.lines[0]?.vatRateBp ?? 0)], quiet), 'credit_note');
    const svc = await findService(c.db, view.hostingId, null); // with its new offer
    if (svc.priceCents > 0) issued(await writeDocument(c, await serviceDraft(c, seller, svc, 'invoice'), quiet), 'invoice');
  }
}
