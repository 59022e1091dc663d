// The verbs of the seller's settings (staff) and of services: a hosting's price, cycle and due date
// (its customer reads it; staff move the due date).
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { assertStaff } from '../platform/actor.js';
import type { z } from 'zod';
import type { SellerPatch, serviceOut } from './model.js';
import { renewalDay, sellerMissing, vatRateOf } from './rules.js';
import { readSeller, updateSeller, type SellerRow } from './store-settings.js';
import { findService, setDueDate, type ServiceRow } from './store-services.js';

const sellerView = (s: SellerRow) => {
  const { id: _id, updatedAt, ...fields } = s;
  return { ...fields, missing: sellerMissing(s), updatedAt: new Date(updatedAt).toISOString() };
};

export async function showSeller(app: AppContext, caller: Caller) {
  assertStaff(caller.actor);
  return sellerView(await readSeller(app.db));
}

export function updateSellerOf(app: AppContext, caller: Caller, patch: SellerPatch) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const before = await readSeller(c.db, { lock: true });
    const after = await updateSeller(c.db, patch, c.now);
    await c.audit({ action: 'billing.seller_update', targetType: 'billing_settings', target: after.name || 'seller', before: sellerView(before), after: patch });
    return sellerView(after);
  });
}

export function serviceView(svc: ServiceRow, seller: SellerRow): z.input<typeof serviceOut> {
  const renews = svc.dueDate && !(svc.endsOn && svc.endsOn <= svc.dueDate);
  return {
    ending: svc.endsOn ? { on: svc.endsOn, mode: svc.endMode!, requestedAt: new Date(svc.endRequestedAt!).toISOString() } : null,
    hostingId: svc.hostingId, hosting: svc.hosting, customerId: svc.customerId, hostingStatus: svc.hostingStatus,
    offerId: svc.offerId, offer: svc.offer, priceCents: svc.priceCents, currency: svc.currency, billingCycle: svc.billingCycle,
    vatRateBp: vatRateOf(seller, svc.vatRateBp), dueDate: svc.dueDate, renewalInvoiceOn: renews ? renewalDay(svc.dueDate!, seller.renewalDays) : null,
  };
}

export const serviceSubject = (svc: ServiceRow) => ({ what: 'hosting', customerId: svc.customerId, customerStatus: svc.customerStatus, hosting: { name: svc.hosting, status: svc.hostingStatus } });

export async function showService(app: AppContext, caller: Caller, ref: string) {
  const svc = await findService(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(serviceSubject(svc));
  return serviceView(svc, await readSeller(app.db));
}

/** Staff move a service's due date (the next renewal invoice follows it). */
export function updateService(app: AppContext, caller: Caller, ref: string, patch: { dueDate: string }) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const svc = await findService(c.db, ref, null, { lock: true });
    c.may(serviceSubject(svc), 'manage'); // a terminated hosting is not renewed
    await setDueDate(c.db, svc.hostingId, patch.dueDate, c.now);
    await c.audit({ action: 'service.update', targetType: 'hosting', targetId: svc.hostingId, target: svc.hosting, customerId: svc.customerId, before: { dueDate: svc.dueDate }, after: patch });
    return serviceView({ ...svc, dueDate: patch.dueDate }, await readSeller(c.db));
  });
}
