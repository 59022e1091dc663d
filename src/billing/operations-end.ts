// Ending a service. A customer's owner (or staff, for any hosting) ends a hosting's service at term
// (terminated on its due date, nothing renewed, cancellable until then) or early ("résiliation par
// anticipation": terminated tomorrow, nothing refunded unless staff credit). The renewals job
// terminates it on that day with the hosting's own terminate (its files kept for the retention
// period). Each step is audited and e-mailed to the customer. A renewal invoice already issued for
// the period after the end is credited when the end is asked, and issued again if it is cancelled.
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, type Change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { findHosting } from '../hosting/store-hostings.js';
import { terminateIn } from '../hosting/operations-hostings.js';
import { queueMessage } from '../outbox/operations.js';
import type { EndMode } from './rules-lifecycle.js';
import { endDay, remainderLine } from './rules-lifecycle.js';
import { dayOf, renewalDay, sellerMissing } from './rules.js';
import { serviceSubject, serviceView } from './operations-billing.js';
import { creditIn } from './operations-credit.js';
import { serviceDraft, writeDocument } from './operations-issue.js';
import { buyerOf, openInvoiceOfPeriod } from './store-invoices.js';
import { setServiceEnd, servicesEnding } from './store-lifecycle.js';
import { findService, type ServiceRow } from './store-services.js';
import { readSeller } from './store-settings.js';

async function tell(c: Change, svc: ServiceRow, event: 'requested' | 'cancelled' | 'done', mode: EndMode, endsOn: string) {
  const buyer = await buyerOf(c.db, svc.customerId);
  if (!buyer.email) return;
  await queueMessage(c, {
    template: 'service_end', locale: buyer.locale, to: buyer.email, customerId: svc.customerId, link: `${c.app.config.publicUrl}/hostings/${svc.hosting}`,
    params: { hosting: svc.hosting, event, mode, endsOn },
  });
}

/** The documents of a step are audited by the step's own entry (one per change). */
const quiet = { audit: false };

const reasons = { fr: 'Service résilié à son échéance : période non due', en: 'Service ended at term: period not due' };

/** Ends a hosting's service at term or early; asked again, it may move an end at term to tomorrow. */
export function endService(app: AppContext, caller: Caller, ref: string, input: { mode: EndMode; reason?: string }) {
  return change(app, caller, async (c) => {
    const svc = await findService(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may(serviceSubject(svc), 'own');
    const today = dayOf(c.now);
    const endsOn = endDay(input.mode, svc.dueDate, today);
    if (svc.endsOn && svc.endsOn <= endsOn) {
      throw new AppError('service.already_ending', `${svc.hosting} ends on ${svc.endsOn} already`, { params: { hosting: svc.hosting, endsOn: svc.endsOn, mode: svc.endMode! } });
    }
    await setServiceEnd(c.db, svc.hostingId, { endsOn, mode: input.mode }, endsOn, c.now);
    // the period after the end is not due: its renewal invoice, if issued, is credited
    const seller = await readSeller(c.db);
    const next = svc.dueDate ? await openInvoiceOfPeriod(c.db, svc.hostingId, svc.dueDate) : null;
    const credit = next && !sellerMissing(seller).length
      ? await creditIn(c, next.id, reasons[(await buyerOf(c.db, svc.customerId)).locale], (inv, left) => [remainderLine(inv.lines[0]?.description ?? '', left, inv.lines[0]?.vatRateBp ?? 0)], quiet)
      : null;
    await c.audit({
      action: 'service.end', targetType: 'hosting', targetId: svc.hostingId, target: svc.hosting, customerId: svc.customerId,
      before: svc.endsOn ? { endsOn: svc.endsOn, mode: svc.endMode } : undefined, after: { endsOn, mode: input.mode, reason: input.reason ?? '', credited: credit?.number ?? null },
    });
    await tell(c, svc, 'requested', input.mode, endsOn);
    return serviceView(await findService(c.db, svc.hostingId, null), seller);
  });
}

/** Cancels the end of a service (until its day): it renews again, its renewal invoice issued now if its day has passed. */
export function cancelServiceEnd(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const svc = await findService(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may(serviceSubject(svc), 'own');
    if (!svc.endsOn) throw new AppError('service.not_ending', `${svc.hosting} is not ending: there is nothing to cancel`, { params: { hosting: svc.hosting } });
    await setServiceEnd(c.db, svc.hostingId, null, svc.endsOn, c.now);
    const seller = await readSeller(c.db);
    const after = await findService(c.db, svc.hostingId, null);
    let issued: string | null = null;
    const due = after.dueDate && after.priceCents > 0 && !sellerMissing(seller).length && renewalDay(after.dueDate, seller.renewalDays) <= dayOf(c.now);
    if (due && !(await openInvoiceOfPeriod(c.db, after.hostingId, after.dueDate!))) issued = (await writeDocument(c, await serviceDraft(c, seller, after, 'invoice'), quiet)).number;
    await c.audit({
      action: 'service.end_cancel', targetType: 'hosting', targetId: svc.hostingId, target: svc.hosting, customerId: svc.customerId,
      before: { endsOn: svc.endsOn, mode: svc.endMode }, after: { issued },
    });
    await tell(c, svc, 'cancelled', svc.endMode!, svc.endsOn);
    return serviceView(after, seller);
  });
}

/** Terminates one hosting whose service ends by today (the renewals job); answers whether it did. */
export function endDueService(app: AppContext, caller: Caller, hostingId: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const svc = await findService(c.db, hostingId, null, { lock: true });
    if (!svc.endsOn || svc.endsOn > dayOf(c.now) || svc.hostingStatus === 'terminated') {
      c.nothingToAudit();
      return false;
    }
    await terminateIn(c, await findHosting(c.db, hostingId), { action: 'service.ended', after: { endsOn: svc.endsOn, mode: svc.endMode } });
    await tell(c, svc, 'done', svc.endMode!, svc.endsOn);
    return true;
  });
}

/** Every service whose end has come: its hosting terminated, each in its own change (one failing stops no other). */
export async function runEndings(app: AppContext, caller: Caller, today: string, log: { error: (o: object, m: string) => void }): Promise<{ ended: number; failed: number }> {
  let [ended, failed] = [0, 0];
  const skipped = new Set<string>();
  for (;;) {
    const batch = (await servicesEnding(app.db, today, 200 + skipped.size)).filter((id) => !skipped.has(id));
    if (!batch.length) break;
    for (const id of batch) {
      try {
        if (await endDueService(app, caller, id)) ended++;
        else skipped.add(id);
      } catch (e) {
        failed++;
        skipped.add(id);
        log.error({ err: e, hostingId: id }, 'service not ended');
      }
    }
  }
  return { ended, failed };
}
