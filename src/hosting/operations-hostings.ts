// The verbs of hostings: list, show, create, change (offer, PHP, server), suspend, reactivate,
// terminate, purge. Routes, the CLI, controllers and jobs (dunning will suspend) call these.
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { AppError, fieldError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { addMs } from '../platform/clock.js';
import { findCustomer } from '../accounts/store-customers.js';
import { findOffer } from '../offers/store.js';
import type { OfferRow } from '../offers/model.js';
import { findServer } from '../servers/store.js';
import { objectProvisioning } from '../servers/store-provisioning.js';
import { syncSiteZones } from '../dns/site-zones.js';
import { hostingView, type hostingCreate, type hostingPatch } from './model.js';
import { assertSiteQuota, hostingSubject } from './rules.js';
import {
  assertPhpAllowed, createHosting as insertHosting, serversOfHosting, findHosting, listHostings, phpVersionsInUse, requestPurge, hostingStamps, terminateHosting as endHosting,
  updateHosting, type HostingRow,
} from './store-hostings.js';

export type HostingInput = z.output<typeof hostingCreate>;
export type HostingPatch = z.output<typeof hostingPatch>;

const auditView = (h: HostingRow) => ({ name: h.name, offer: h.offerName, status: h.status, phpVersion: h.phpVersion, serverId: h.serverId });

/** The hosting's servers must apply it (and `also`, a server it leaves), at this change's revision. */
async function hostingChanged(c: Change, h: HostingRow, reason: string, also: string | null = null) {
  // its database servers too: its database users are locked while it is not active
  const revision = await c.bump(reason, serversOfHosting(h.id), hostingStamps(h.id));
  if (also) await c.bump(reason, [also]);
  return revision;
}

export async function listHostingsOf(app: AppContext, caller: Caller, filter: { customerId?: string; status?: HostingRow['status'] }, query: ListQuery) {
  reader(app, caller); // the scope below is the decision: a customer's users list only theirs
  const page = await listHostings(app.db, customerScope(caller.actor), filter, query);
  return { ...page, items: page.items.map(hostingView) };
}

export async function showHosting(app: AppContext, caller: Caller, ref: string) {
  const h = await findHosting(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(h));
  const states = await objectProvisioning(app.db, 'hosting', [{ id: h.id, revision: h.revision, servers: h.serverId ? [h.serverId] : [] }]);
  return { ...hostingView(h), provisioning: states.get(h.id) };
}

export function createHosting(app: AppContext, caller: Caller, input: HostingInput) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    return hostingView(await createHostingIn(c, input)); // stamping changed nothing it shows
  });
}

/**
 * createHosting inside the caller's change (an order paid, a billing tool's call), once it decided
 * who may: answers the hosting's row. `after`: more the audit entry says (one entry per change).
 */
export async function createHostingIn(c: Change, input: Omit<HostingInput, 'phpVersion'> & { phpVersion?: string }, after: Record<string, unknown> = {}): Promise<HostingRow> {
  const customer = await findCustomer(c.db, input.customerId).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'customer.not_found') throw fieldError('customer.not_found', 'body.customerId', 'no such customer');
    throw e;
  });
  if (customer.status === 'closed') throw new AppError('customer.closed', 'this customer account is closed: it gets no new hosting');
  const offer = await findOffer(c.db, input.offerId).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'offer.not_found') throw fieldError('offer.not_found', 'body.offerId', 'no such offer');
    throw e;
  });
  if (offer.archived) throw new AppError('offer.archived', `the offer "${offer.name}" is archived`, { params: { offer: offer.name } });
  // no server given: the least used web server, chosen by the statement that inserts the hosting
  const serverId = input.serverId ? (await findServer(c.db, input.serverId)).id : null;
  const h = await insertHosting(c.db, c.app.config, { customerId: customer.id, offer, phpVersion: input.phpVersion, serverId });
  await c.audit({ action: 'hosting.create', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, after: { ...auditView(h), ...after } });
  await hostingChanged(c, h, `hosting ${h.name} created`);
  return h;
}

/**
 * Changes a hosting: customers (manager role) its default PHP version; staff also its offer and
 * server. Suspending and reactivating are verbs of their own.
 */
export function updateHostingOf(app: AppContext, caller: Caller, ref: string, patch: HostingPatch) {
  return change(app, caller, async (c) => {
    const before = await findHosting(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may(hostingSubject(before), 'manage');
    if (patch.offerId !== undefined || patch.serverId !== undefined) c.staffOnly();
    const offer = await findOffer(c.db, patch.offerId ?? before.offerId);
    if (patch.offerId) {
      assertSiteQuota(offer, Number(before.siteCount), 0);
      for (const v of await phpVersionsInUse(c.db, before.id)) assertPhpAllowed(offer, v, 'body.offerId');
    }
    const phpVersion = patch.phpVersion ?? before.phpVersion;
    assertPhpAllowed(offer, phpVersion);
    const serverId = patch.serverId === undefined ? before.serverId : patch.serverId === null ? null : (await findServer(c.db, patch.serverId)).id;
    const after = await updateHosting(c.db, before.id, { offerId: offer.id, phpVersion, serverId }, c.now);
    await c.audit({ action: 'hosting.update', targetType: 'hosting', targetId: after.id, target: after.name, customerId: after.customerId, before: auditView(before), after: auditView(after) });
    await hostingChanged(c, after, `hosting ${after.name} changed`, before.serverId !== after.serverId ? before.serverId : null);
    return hostingView(after);
  });
}

/** Suspends (its sites answer a "suspended" page, its customer's users may only read it) or reactivates a hosting. */
export function setHostingStatus(app: AppContext, caller: Caller, ref: string, status: 'active' | 'suspended', reason?: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const before = await findHosting(c.db, ref, null, { lock: true });
    c.may(hostingSubject(before), 'manage');
    return hostingView(await hostingStatusIn(c, before, status, reason));
  });
}

/** setHostingStatus inside the caller's change (dunning's, a payment's), on a hosting it locked, once it decided who may. */
export async function hostingStatusIn(c: Change, before: HostingRow, status: 'active' | 'suspended', reason?: string): Promise<HostingRow> {
  // a repeated request changes nothing and says so (a job checks the status before asking)
  if (status === 'suspended' && before.status === 'suspended') throw new AppError('hosting.already_suspended', `the hosting ${before.name} is already suspended`);
  if (status === 'active' && before.status !== 'suspended') throw new AppError('hosting.not_suspended', `the hosting ${before.name} is not suspended`);
  const after = await updateHosting(c.db, before.id, { status }, c.now);
  await c.audit({
    action: status === 'suspended' ? 'hosting.suspend' : 'hosting.reactivate', targetType: 'hosting', targetId: after.id, target: after.name,
    customerId: after.customerId, before: { status: before.status }, after: { status, ...(reason ? { reason } : {}) },
  });
  await hostingChanged(c, after, `hosting ${after.name} ${status === 'suspended' ? 'suspended' : 'reactivated'}`);
  return after;
}

/** Terminates a hosting: its sites stop being served and their names become free; its files are kept. */
export function terminateHosting(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const h = await findHosting(c.db, ref, null, { lock: true });
    c.may(hostingSubject(h), 'manage');
    return hostingView(await terminateIn(c, h));
  });
}

/**
 * Terminates a hosting (locked by the caller, who decided) in the caller's change: what the end of a
 * service does too, under its own action (one audit entry per change).
 */
export async function terminateIn(c: Change, h: HostingRow, audit: { action: string; after?: Record<string, unknown> } = { action: 'hosting.terminate' }): Promise<HostingRow> {
  const sites = await endHosting(c.db, h.id, c.now);
  await c.audit({ ...audit, targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, before: { ...auditView(h), sites: sites.map((s) => s.domain) } });
  const revision = await hostingChanged(c, h, `hosting ${h.name} terminated`);
  await syncSiteZones(c.db, c.app.config, { customerId: h.customerId, before: sites.flatMap((s) => [s.domain, ...s.aliases]), after: [] }, revision);
  return findHosting(c.db, h.id);
}

/**
 * Moves a hosting (locked by the caller, who decided and audits) to another offer in the caller's
 * change: its sites and PHP versions must fit the offer (the other quotas: the caller's to check).
 * Answers the hosting as the audit shows it, before and after.
 */
export async function moveHostingOffer(c: Change, before: HostingRow, offer: OfferRow, field = 'body.offer') {
  assertSiteQuota(offer, Number(before.siteCount), 0);
  for (const v of new Set([before.phpVersion, ...(await phpVersionsInUse(c.db, before.id))])) assertPhpAllowed(offer, v, field);
  const after = await updateHosting(c.db, before.id, { offerId: offer.id }, c.now);
  await hostingChanged(c, after, `hosting ${after.name} changed`);
  return { before: auditView(before), after: auditView(after) };
}

/** Asks the hosting's web server to delete the files and account of a terminated hosting. */
export function purgeHosting(app: AppContext, caller: Caller, ref: string, force: boolean) {
  return change(app, caller, async (c) => {
    c.adminOnly();
    const h = await findHosting(c.db, ref, null, { lock: true });
    if (h.status !== 'terminated') throw new AppError('hosting.not_terminated', `terminate ${h.name} first`, { params: { hosting: h.name } });
    if (h.purgedAt || h.purgeRequestedAt) throw new AppError('hosting.purge_requested', `the purge of ${h.name} was already requested`, { params: { hosting: h.name } });
    const until = addMs(new Date(h.terminatedAt!), app.config.retentionDays * 86_400_000);
    if (until > c.now && !force) {
      throw new AppError('hosting.retention_pending', `${h.name}'s files are kept until ${until.toISOString()} (ABRI_RETENTION_DAYS); use force to purge now`, {
        params: { hosting: h.name, until: until.toISOString() },
      });
    }
    await requestPurge(c.db, h.id, c.now);
    await c.audit({ action: 'hosting.purge', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, before: { home: h.home, uid: h.uid, force } });
    await hostingChanged(c, h, `hosting ${h.name} purge requested`);
    return hostingView(await findHosting(c.db, h.id));
  });
}
