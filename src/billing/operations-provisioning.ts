// The provisioning API: a host that keeps its own billing tool (WHMCS, FOSSBilling) drives Abri by
// that tool's ids. Every call is idempotent: the same call again answers the same hosting and makes
// or audits nothing; a create that names the ref with another customer, offer or domain is a
// conflict (a change of offer has its own call). Each call holds its refs' locks (store-provisioning)
// so identical calls at once make one customer and one hosting. The tool acts for customers (it
// provisions what they order and pay there): like the platform's jobs for customers, its calls are
// refused while the platform is read-only, although they come with a staff token.
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { AppError, fieldError, notFound } from '../platform/errors.js';
import { readOnlyAt, readOnlyRefusal } from '../platform/read-only.js';
import { readOnlyMode } from '../platform/store-read-only.js';
import { createCustomer as insertCustomer } from '../accounts/store-customers.js';
import { findOffer } from '../offers/store.js';
import { hostingView, siteCreate } from '../hosting/model.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting, type HostingRow } from '../hosting/store-hostings.js';
import { createHostingIn, hostingStatusIn, moveHostingOffer, showHosting, terminateIn } from '../hosting/operations-hostings.js';
import { createSiteIn } from '../hosting/operations-sites.js';
import type { ProvisioningCreate } from './model-provisioning.js';
import { customerOfRef, findHostingRef, insertCustomerRef, insertHostingRef, lockRef, type HostingRef } from './store-provisioning.js';

/** Staff only, and never while the platform is read-only. */
async function toolCall(c: Change): Promise<void> {
  c.staffOnly();
  const mode = await readOnlyMode(c.db);
  if (readOnlyAt(mode, c.now)) throw readOnlyRefusal(mode);
}

const viewOf = (h: HostingRow, link: HostingRef) => ({ ...hostingView(h), ref: link.ref, customerRef: link.customerRef, domain: link.domain });

const offerNamed = (c: Change, ref: string) =>
  findOffer(c.db, ref).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'offer.not_found') throw fieldError('offer.not_found', 'body.offer', 'no such offer');
    throw e;
  });

const conflict = (ref: string, field: string, what: string) =>
  new AppError('provisioning.conflict', `the service ${ref} was provisioned with another ${what}${field === 'offer' ? ': change it with PUT …/offer' : ''}`, { params: { ref, field } });

/** The hosting of a ref, locked (its ref too) for the caller's change. */
async function lockedHosting(c: Change, ref: string): Promise<{ link: HostingRef; h: HostingRow }> {
  await lockRef(c.db, 'h', ref);
  const link = await findHostingRef(c.db, ref);
  if (!link) throw notFound('provisioning', { ref });
  return { link, h: await findHosting(c.db, link.hostingId, null, { lock: true }) };
}

/** Creates the hosting of a service (its customer too, if its ref is new), or answers the one made by the same call before. */
export function provisionHosting(app: AppContext, caller: Caller, ref: string, input: ProvisioningCreate) {
  return change(app, caller, async (c) => {
    await toolCall(c);
    await lockRef(c.db, 'h', ref);
    const offer = await offerNamed(c, input.offer);
    const known = await findHostingRef(c.db, ref);
    if (known) {
      const h = await findHosting(c.db, known.hostingId);
      if (known.customerRef !== input.customer.ref) throw conflict(ref, 'customer.ref', 'customer');
      if (h.offerId !== offer.id) throw conflict(ref, 'offer', 'offer');
      if (known.domain !== (input.domain ?? null)) throw conflict(ref, 'domain', 'domain');
      c.nothingToAudit();
      return { created: false, hosting: viewOf(h, known) };
    }
    await lockRef(c.db, 'c', input.customer.ref);
    let customerId = await customerOfRef(c.db, input.customer.ref);
    const made = !customerId;
    if (!customerId) {
      const { name, contactEmail } = input.customer;
      customerId = (await insertCustomer(c.db, { name, contactEmail, postalAddress: '', status: 'active' }, c.now)).id;
      await insertCustomerRef(c.db, input.customer.ref, customerId, c.now);
    }
    // one audit entry for the change: the hosting's, with the refs and the customer it made
    const h = await createHostingIn(c, { customerId, offerId: offer.id }, { provisioning: { ref, domain: input.domain ?? null, customer: made ? input.customer : { ref: input.customer.ref } } });
    if (input.domain) await createSiteIn(c, h, siteCreate.parse({ domain: input.domain }));
    const link: HostingRef = { ref, hostingId: h.id, customerRef: input.customer.ref, domain: input.domain ?? null };
    await insertHostingRef(c.db, link, c.now);
    return { created: true, hosting: viewOf(await findHosting(c.db, h.id), link) };
  });
}

/** Suspends or reactivates a service's hosting; already so: answered as it is. */
export function provisionStatus(app: AppContext, caller: Caller, ref: string, status: 'active' | 'suspended', reason?: string) {
  return change(app, caller, async (c) => {
    await toolCall(c);
    const { link, h } = await lockedHosting(c, ref);
    c.may(hostingSubject(h), 'manage'); // a terminated hosting: hosting.terminated
    if (h.status === status) {
      c.nothingToAudit();
      return viewOf(h, link);
    }
    return viewOf(await hostingStatusIn(c, h, status, reason), link);
  });
}

/** Terminates a service's hosting (its files are kept); terminated already: answered as it is. */
export function provisionTerminate(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    await toolCall(c);
    const { link, h } = await lockedHosting(c, ref);
    if (h.status === 'terminated') {
      c.nothingToAudit();
      return viewOf(h, link);
    }
    c.may(hostingSubject(h), 'manage');
    return viewOf(await terminateIn(c, h), link);
  });
}

/** Moves a service's hosting to another offer (the staff move: the billing tool invoices); the same offer: answered as it is. */
export function provisionOffer(app: AppContext, caller: Caller, ref: string, offerRef: string) {
  return change(app, caller, async (c) => {
    await toolCall(c);
    const { link, h } = await lockedHosting(c, ref);
    c.may(hostingSubject(h), 'manage');
    const offer = await offerNamed(c, offerRef);
    if (h.offerId === offer.id) {
      c.nothingToAudit();
      return viewOf(h, link);
    }
    if (offer.archived) throw new AppError('offer.archived', `the offer "${offer.name}" is archived`, { params: { offer: offer.name } });
    const moved = await moveHostingOffer(c, h, offer);
    await c.audit({ action: 'hosting.update', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, ...moved });
    return viewOf(await findHosting(c.db, h.id), link);
  });
}

/** A service's hosting with its status and provisioning state (a module's status page, its "test connection"). */
export async function showProvisioned(app: AppContext, caller: Caller, ref: string) {
  assertStaff(caller.actor);
  reader(app, caller);
  const link = await findHostingRef(app.db, ref);
  if (!link) throw notFound('provisioning', { ref });
  return { ...(await showHosting(app, caller, link.hostingId)), ref: link.ref, customerRef: link.customerRef, domain: link.domain };
}
