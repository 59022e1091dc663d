// Dunning: the job ("billing.dunning", every hour, by the Clock) walks the invoices owed past their
// due day and takes, for each, the one step it is due for (billing/rules-dunning.ts): a reminder
// e-mailed once in the customer's language, the suspension of its hosting (reason "unpaid"), its
// termination (files kept for the retention). Each invoice is its own change (its row locked like a
// payment's), so a step is taken once however often the job runs, and a step and its e-mail, log
// entry and audit commit together. A payment in full ends the invoice's dunning in the paying change
// (onInvoicePaid) and lifts a suspension dunning made (never one staff made, nor while another
// unpaid invoice of the hosting holds it); so does a credit that leaves nothing owed (creditIn), and
// the job's next run catches up whatever ended another way.
import type { AppContext } from '../platform/context.js';
import { systemCaller } from '../platform/actor.js';
import { change, type Change } from '../platform/change.js';
import type { JobContext, JobRegistry } from '../jobs/registry.js';
import { queueMessage } from '../outbox/operations.js';
import type { DunningParams } from '../outbox/render-dunning.js';
import { findHosting, type HostingRow } from '../hosting/store-hostings.js';
import { hostingStatusIn, terminateIn } from '../hosting/operations-hostings.js';
import { hostingSubject } from '../hosting/rules.js';
import { invoiceView, type InvoiceView } from './model.js';
import { onInvoicePaid } from './operations-payments.js';
import { formatDay, formatMoney } from './render-invoice.js';
import { dayOf } from './rules.js';
import { daysLate, dueStep, nextStep, type DueStep, type DunningProgress, type DunningSettings } from './rules-dunning.js';
import { buyerOf, findInvoice, lockInvoice } from './store-invoices.js';
import { readSeller } from './store-settings.js';
import { overdueInvoices } from './store-payments.js';
import {
  addDunningEvent, customerPause, dunningOf, dunningsToEnd, openDunning, openDunnings, otherSuspendingInvoices, readDunningSettings, recordSuspension, suspendedByDunning, updateDunning,
  type DunningRow,
} from './store-dunning.js';

export const DUNNING_JOB = 'billing.dunning';
const caller = systemCaller('dunning');

export const progressOf = (d: DunningRow | undefined): DunningProgress => ({
  reminders: d?.reminders ?? 0, lastStepOn: d?.lastStepOn ?? null, suspendedOn: d?.suspendedAt ? dayOf(new Date(d.suspendedAt)) : null, terminated: !!d?.terminatedAt,
});

const doneBy = (c: Change) => c.actor?.email ?? c.caller.label ?? 'system';

/** E-mails a step to the customer's contact, in their language. */
async function tell(c: Change, inv: InvoiceView, step: DunningParams['step'], extra: { reminder?: number; hosting: string | null; next: { step: DueStep['step']; on: string } | null; settledBy?: DunningParams['settledBy'] }) {
  const buyer = await buyerOf(c.db, inv.customerId);
  if (!buyer.email) return;
  const seller = await readSeller(c.db);
  const l = buyer.locale;
  await queueMessage(c, {
    template: 'dunning', locale: l, to: buyer.email, customerId: inv.customerId, link: `${c.app.config.publicUrl}/invoices/${inv.id}`,
    params: {
      step, reminder: extra.reminder ?? null, number: inv.number, seller: seller.name, balance: formatMoney(inv.balanceCents, inv.currency, l), paymentDue: formatDay(inv.paymentDue, l),
      daysLate: daysLate(inv.paymentDue, dayOf(c.now)), hosting: extra.hosting, next: extra.next && { step: extra.next.step, on: formatDay(extra.next.on, l) }, reference: inv.paymentReference ?? inv.number, iban: seller.iban, bic: seller.bic,
      settledBy: extra.settledBy ?? 'payment',
    },
  });
}

/** Takes the step `inv` is due for today, if any; answers it. */
async function takeStep(c: Change, inv: InvoiceView, s: DunningSettings): Promise<DueStep | null> {
  const today = dayOf(c.now);
  const d = await openDunning(c.db, inv, c.now);
  if (d.pausedAt || d.ended) return null;
  const hosting = inv.hostingId ? await findHosting(c.db, inv.hostingId, null, { lock: true }) : null;
  const live = !!hosting && hosting.status !== 'terminated';
  const step = dueStep(s, progressOf(d), inv.paymentDue, today, live);
  if (!step) return null;
  const late = daysLate(inv.paymentDue, today);
  const base = { invoiceId: inv.id, customerId: inv.customerId, hostingId: inv.hostingId, daysLate: late, doneBy: doneBy(c), at: c.now };
  let detail = '';
  let quiet = false;
  const after: DunningProgress = { ...progressOf(d), lastStepOn: today };
  if (step.step === 'reminder') {
    await updateDunning(c.db, inv.id, { reminders: step.n, lastStepOn: today }, c.now);
    after.reminders = step.n;
  } else if (step.step === 'suspension') {
    detail = await suspend(c, hosting!, inv);
    quiet = detail === BY_STAFF; // its customer knows why already; this invoice's payment will not lift it
    await updateDunning(c.db, inv.id, { suspendedAt: c.now, lastStepOn: today }, c.now);
    after.suspendedOn = today;
  } else {
    c.may(hostingSubject(hosting!), 'manage');
    await terminateIn(c, hosting!, { action: 'hosting.terminate', after: { reason: `unpaid: ${inv.number}` } });
    await updateDunning(c.db, inv.id, { terminatedAt: c.now, lastStepOn: today }, c.now);
    after.terminated = true;
  }
  await addDunningEvent(c.db, { ...base, step: step.step, reminder: step.step === 'reminder' ? step.n : null, detail });
  await c.audit({ action: `dunning.${step.step}`, targetType: 'invoice', targetId: inv.id, target: inv.number, customerId: inv.customerId, after: { ...step, daysLate: late, hostingId: inv.hostingId, detail } });
  const next = nextStep(s, after, inv.paymentDue, today, live && step.step !== 'termination');
  if (!quiet) await tell(c, inv, step.step, { reminder: step.step === 'reminder' ? step.n : undefined, hosting: hosting?.name ?? null, next });
  return step;
}

const BY_STAFF = 'already suspended by staff';

/** Suspends the hosting for non-payment; one suspended already (by staff, or for another invoice) stays as it is. */
async function suspend(c: Change, h: HostingRow, inv: InvoiceView): Promise<string> {
  if (h.status === 'suspended') return (await suspendedByDunning(c.db, h.id)) ? 'already suspended for another unpaid invoice' : BY_STAFF;
  c.may(hostingSubject(h), 'manage');
  await hostingStatusIn(c, h, 'suspended', `unpaid: ${inv.number}`);
  await recordSuspension(c.db, h.id, inv.id, c.now);
  return '';
}

/** One invoice's dunning step, in a change of its own (the invoice's row locked: a payment waits, or is seen). */
export function dunInvoice(app: AppContext, invoiceId: string, s: DunningSettings): Promise<DueStep | null> {
  return change(app, caller, async (c) => {
    c.staffOnly();
    await lockInvoice(c.db, invoiceId);
    const inv = invoiceView(await findInvoice(c.db, invoiceId, null));
    const owed = inv.kind === 'invoice' && (inv.status === 'unpaid' || inv.status === 'partially_paid') && inv.paymentDue < dayOf(c.now);
    const step = owed && !(await customerPause(c.db, inv.customerId)) ? await takeStep(c, inv, s) : null;
    if (!step) c.nothingToAudit();
    return step;
  });
}

/**
 * Ends an invoice's dunning (paid in full, or credited) in the caller's change, and lifts the
 * suspension of its hosting when dunning made it and no other unpaid invoice of the hosting holds it.
 */
export async function endDunning(c: Change, invoiceId: string, why: 'paid' | 'credited'): Promise<boolean> {
  const d = await dunningOf(c.db, invoiceId, { lock: true });
  if (!d || d.ended) return false;
  const inv = invoiceView(await findInvoice(c.db, invoiceId, null));
  const late = Math.max(0, daysLate(inv.paymentDue, dayOf(c.now)));
  const base = { invoiceId, customerId: d.customerId, hostingId: d.hostingId, daysLate: late, doneBy: doneBy(c), at: c.now };
  await updateDunning(c.db, invoiceId, { ended: why, endedAt: c.now }, c.now);
  await addDunningEvent(c.db, { ...base, step: why });
  let lifted = false;
  if (d.hostingId && d.suspendedAt) {
    const h = await findHosting(c.db, d.hostingId, null, { lock: true });
    if (h.status === 'suspended' && (await suspendedByDunning(c.db, h.id)) && !(await otherSuspendingInvoices(c.db, h.id, invoiceId))) {
      // the payment (or credit) decided: the platform lifts what the platform did
      await hostingStatusIn(c, h, 'active', `${why}: ${inv.number}`);
      await addDunningEvent(c.db, { ...base, step: 'unsuspension' });
      await tell(c, inv, 'lifted', { hosting: h.name, next: null, settledBy: why === 'credited' ? 'credit' : 'payment' });
      lifted = true;
    }
  }
  await c.audit({ action: 'dunning.end', targetType: 'invoice', targetId: invoiceId, target: inv.number, customerId: d.customerId, after: { why, unsuspended: lifted } });
  return lifted;
}

/** The dunning of an invoice owed no more (the job's catch-up: credits, or a payment recorded without the hook). */
export function endDunningOf(app: AppContext, invoiceId: string, why: 'paid' | 'credited') {
  return change(app, caller, async (c) => {
    c.staffOnly();
    await lockInvoice(c.db, invoiceId);
    if (!(await endDunning(c, invoiceId, why))) c.nothingToAudit();
  });
}

export async function runDunning(app: AppContext, ctx: Pick<JobContext, 'now' | 'log'>): Promise<{ steps: number; ended: number; failed: number }> {
  let ended = 0;
  let failed = 0;
  const settle = async (f: () => Promise<unknown>, what: object) => {
    try {
      return await f();
    } catch (e) {
      failed++;
      ctx.log.error({ err: e, ...what }, 'dunning step failed');
    }
  };
  for (let batch = await dunningsToEnd(app.db, 200); batch.length; batch = await dunningsToEnd(app.db, 200)) {
    const before = failed;
    for (const d of batch) await settle(() => endDunningOf(app, d.invoiceId, d.credited ? 'credited' : 'paid'), { invoiceId: d.invoiceId });
    ended += batch.length - (failed - before);
    if (failed > before) break; // a failing one would come back in every batch
  }
  const s = await readDunningSettings(app.db);
  let steps = 0;
  if (s.enabled) {
    const today = dayOf(ctx.now);
    const { states, pausedCustomers } = await openDunnings(app.db);
    for (const inv of await overdueInvoices(app.db, today)) {
      // what is surely not due is skipped here; what may be is decided again under the invoice's lock
      const d = states.get(inv.id);
      if (pausedCustomers.has(inv.customerId) || d?.pausedAt || !dueStep(s, progressOf(d), inv.paymentDue, today, !!inv.hostingId)) continue;
      if (await settle(() => dunInvoice(app, inv.id, s), { invoiceId: inv.id, number: inv.number })) steps++;
    }
  }
  if (steps || ended) ctx.log.info({ steps, ended, failed }, 'dunning run');
  return { steps, ended, failed };
}

export function registerDunning(registry: JobRegistry, app: AppContext): void {
  onInvoicePaid('dunning', (c, { invoice }) => endDunning(c, invoice.id, 'paid').then(() => undefined));
  registry.register({
    kind: DUNNING_JOB, recurring: 'every 1h', retryDelaysMs: [60_000, 600_000, 3_600_000], maxAttempts: null, concurrency: 1,
    run: async (ctx) => {
      const { failed } = await runDunning(app, ctx);
      if (failed) return { failed: `${failed} dunning step(s) failed: see the manager's log` };
    },
  });
}
