// What happens to an order once its invoice is paid, and to one that never is. The payment's change
// (a staff recording, Stripe's webhook: an onInvoicePaid hook) marks the order paid and enqueues its
// provisioning job; the job makes the hosting with createHosting's verb (the least used web server),
// its first site when a domain was asked for, and its service, due at the end of the period the
// order's invoice covers (so the renewal job never invoices that period again). The order's row is
// locked throughout: a replayed webhook or a second payment path finds it paid already and does
// nothing, and a job run twice finds it provisioned. A provisioning that fails leaves the order
// `failed` with its error for staff, who retry it. The expiry job cancels orders left unpaid for the
// seller's orderDays (their invoice credited).
import type { AppContext } from '../platform/context.js';
import { systemCaller, type Caller } from '../platform/actor.js';
import { change, type Change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { enqueueJob } from '../jobs/enqueue.js';
import type { JobContext, JobOutcome, JobRegistry } from '../jobs/registry.js';
import { messageOf } from '../jobs/rules.js';
import { siteCreate } from '../hosting/model.js';
import { createHostingIn } from '../hosting/operations-hostings.js';
import { createSiteIn } from '../hosting/operations-sites.js';
import { onInvoicePaid } from './operations-payments.js';
import { cancelIn } from './operations-orders.js';
import { orderView } from './model-orders.js';
import { findInvoice } from './store-invoices.js';
import { findOrder, lockOrderOfInvoice, ordersToExpire, updateOrder } from './store-orders.js';
import { readSeller } from './store-settings.js';
import { setDueDate } from './store-services.js';

export const PROVISION_JOB = 'orders.provision';
export const EXPIRY_JOB = 'orders.expiry';
const caller = systemCaller('orders');

const provisionSoon = (c: Change, orderId: string) => enqueueJob(c.db, { kind: PROVISION_JOB, key: orderId, runAt: c.now, resetAttempts: true }, c.now, c.afterCommit);

/** The onInvoicePaid hook: the order of this invoice (if any, awaiting payment) is paid, its provisioning enqueued. */
async function orderPaid(c: Change, invoiceId: string): Promise<void> {
  const o = await lockOrderOfInvoice(c.db, invoiceId);
  if (!o || o.state !== 'awaiting_payment') return;
  await updateOrder(c.db, o.id, { state: 'paid', paidAt: c.now }, c.now);
  await c.audit({ action: 'order.paid', targetType: 'order', targetId: o.id, target: String(o.number), customerId: o.customerId, before: { state: o.state }, after: { state: 'paid' } });
  await provisionSoon(c, o.id);
}

/** Provisions a paid order: its hosting, its first site, its service. Answers whether anything was done. */
export function provisionOrder(app: AppContext, orderId: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const o = await findOrder(c.db, orderId, null, { lock: true });
    if (o.state !== 'paid') {
      c.nothingToAudit(); // provisioned already (a job run again), or cancelled
      return false;
    }
    const h = await createHostingIn(c, { customerId: o.customerId, offerId: o.offerId });
    const inv = await findInvoice(c.db, o.invoiceId, null);
    // its first period is the one the order's invoice covers: the renewal job starts after it
    await setDueDate(c.db, h.id, inv.periodEnd!, c.now);
    if (o.domain) await createSiteIn(c, h, siteCreate.parse({ domain: o.domain }));
    await updateOrder(c.db, o.id, { state: 'provisioned', hostingId: h.id, provisionedAt: c.now, error: '' }, c.now);
    await c.audit({ action: 'order.provision', targetType: 'order', targetId: o.id, target: String(o.number), customerId: o.customerId, after: { hosting: h.name, domain: o.domain, dueDate: inv.periodEnd } });
    return true;
  });
}

/** The job's run: provisioning, or the order failed with its error (the platform being read-only only delays it). */
async function runProvision(app: AppContext, ctx: Pick<JobContext, 'job' | 'log'>): Promise<JobOutcome> {
  try {
    await provisionOrder(app, ctx.job.key);
  } catch (e) {
    if (e instanceof AppError && e.code === 'platform.read_only') throw e;
    if (e instanceof AppError && e.code === 'order.not_found') return { forget: true };
    const error = messageOf(e);
    ctx.log.warn({ err: e, orderId: ctx.job.key }, 'order not provisioned');
    await change(app, caller, async (c) => {
      c.staffOnly();
      const o = await findOrder(c.db, ctx.job.key, null, { lock: true });
      if (o.state !== 'paid') return c.nothingToAudit();
      await updateOrder(c.db, o.id, { state: 'failed', error }, c.now);
      await c.audit({ action: 'order.provision_failed', targetType: 'order', targetId: o.id, target: String(o.number), customerId: o.customerId, after: { state: 'failed', error } });
    });
  }
}

/** Staff retry a failed provisioning: the order is paid again and its job runs at once. */
export function retryOrder(app: AppContext, who: Caller, ref: string) {
  return change(app, who, async (c) => {
    c.staffOnly();
    const o = await findOrder(c.db, ref, null, { lock: true });
    if (o.state !== 'failed') {
      throw new AppError('order.not_retryable', `order ${o.number} is ${o.state.replace('_', ' ')}: only a failed provisioning is retried`, { params: { number: Number(o.number), state: o.state } });
    }
    await updateOrder(c.db, o.id, { state: 'paid', error: '' }, c.now);
    await c.audit({ action: 'order.retry', targetType: 'order', targetId: o.id, target: String(o.number), customerId: o.customerId, before: { state: o.state, error: o.error }, after: { state: 'paid' } });
    await provisionSoon(c, o.id);
    return orderView(await findOrder(c.db, o.id, null), true);
  });
}

/** Cancels the orders unpaid for the seller's orderDays, each in its own change; answers how many. */
export async function runExpiry(app: AppContext, ctx: Pick<JobContext, 'now' | 'log'>): Promise<{ cancelled: number; failed: number }> {
  const { orderDays } = await readSeller(app.db);
  const before = new Date(ctx.now.getTime() - orderDays * 86_400_000);
  let cancelled = 0;
  let failed = 0;
  for (const id of await ordersToExpire(app.db, before, 500)) {
    try {
      await change(app, caller, async (c) => {
        c.staffOnly();
        const o = await findOrder(c.db, id, null, { lock: true });
        if (o.state !== 'awaiting_payment' || Number(o.invoicePaidCents) !== 0) return c.nothingToAudit(); // paid meanwhile, or partly: staff decide
        await cancelIn(c, o, { by: 'expiry', days: orderDays });
        cancelled++;
      });
    } catch (e) {
      failed++;
      ctx.log.error({ err: e, orderId: id }, 'unpaid order not cancelled');
    }
  }
  if (cancelled) ctx.log.info({ cancelled }, 'unpaid orders cancelled');
  return { cancelled, failed };
}

export function registerOrders(registry: JobRegistry, app: AppContext): void {
  onInvoicePaid('orders', (c, { invoice }) => orderPaid(c, invoice.id));
  registry.register({
    kind: PROVISION_JOB, retryDelaysMs: [60_000], maxAttempts: 3, concurrency: 2,
    run: (ctx) => runProvision(app, ctx),
  });
  registry.register({
    kind: EXPIRY_JOB, recurring: 'every 1h', retryDelaysMs: [60_000, 600_000, 3_600_000], maxAttempts: null, concurrency: 1,
    run: async (ctx): Promise<JobOutcome> => {
      const { failed } = await runExpiry(app, ctx);
      if (failed) return { failed: `${failed} unpaid order(s) not cancelled: see the manager's log` };
    },
  });
}
