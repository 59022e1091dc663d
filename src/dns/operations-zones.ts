// The verbs of zones: list, show, add, change, remove, check. Routes and the CLI call these; each
// change runs in change() (transaction, authorization, audit, revision).
import type { AppContext } from '../platform/context.js';
import { customerScope, isStaff, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import type { Db } from '../platform/db/database.js';
import { displayDomain } from '../platform/names.js';
import { findCustomer } from '../accounts/store-customers.js';
import { objectProvisioning, serverBriefsFor } from '../servers/store-provisioning.js';
import { showZone, type ZoneRow } from './model.js';
import { assertZoneName, zoneSubject } from './rules.js';
import { createZone, deleteZoneRow, dnsServers, findZone, listZones, siteNamesIn, updateZone, zonesAroundName } from './store-zones.js';
import { nameserverStates, requiredRecords } from './check.js';
import { replaceCustomerRecords } from './site-zones.js';
import { zoneLost } from './zone-loss.js';
import { noticeZoneLost } from './notices.js';

/** Zones as the API shows them, with their state on the DNS servers (external zones are "live": nothing to publish). */
export async function zoneViews(db: Db, rows: ZoneRow[], opts: { created?: boolean } = {}) {
  const servers = await serverBriefsFor(db, opts);
  const dnsServers = servers.filter((s) => s.roles.includes('dns')).map((s) => s.id);
  const states = await objectProvisioning(db, 'zone', rows.filter((r) => r.dns === 'managed').map((r) => ({ id: r.id, revision: r.revision, servers: dnsServers })), servers, opts);
  return rows.map((r) => {
    let p = states.get(r.id) ?? { status: 'live' as const, message: 'the domain\'s DNS is hosted elsewhere', servers: [] };
    if (r.dns === 'managed' && !dnsServers.length) p = { status: 'pending', message: 'no DNS server: give a server the dns role', servers: [] };
    return showZone(r, p);
  });
}
const zoneView = async (db: Db, id: string) => (await zoneViews(db, [await findZone(db, id)]))[0]!;

export const zoneAudit = (z: ZoneRow) => ({ name: z.name, dns: z.dns, edgeRecords: z.edgeRecords, customerId: z.customerId, proven: z.provenAt !== null });

/** The zone, locked, when the caller may change it: customers their own, never the platform's (404 to them). */
export async function zoneForChange(c: Change, ref: string, what = 'zone'): Promise<ZoneRow> {
  const zone = await findZone(c.db, ref, customerScope(c.actor), { lock: true });
  c.may(zoneSubject(zone, what), 'manage');
  return zone;
}

/** Bumps the revision for the DNS servers and stamps the zones with it. */
export async function zonesChangedBy(c: Change, zoneIds: string[], reason: string): Promise<number> {
  const revision = await c.bump(reason, dnsServers(), [{ table: 'zones', ids: zoneIds }]);
  return revision;
}

/** The customer a new object is for: the one named (visible to the caller), else the caller's only one. */
export async function customerFor(c: { db: Db; actor: Caller['actor'] }, ref: string | undefined) {
  if (ref) return findCustomer(c.db, ref, customerScope(c.actor));
  if (c.actor && !isStaff(c.actor) && c.actor.delegations.size === 1) return findCustomer(c.db, [...c.actor.delegations.keys()][0]!);
  throw new AppError('request.validation', 'say which customer this is for', { issues: [{ code: 'request.validation', path: 'body.customerId', message: 'required' }] });
}

/**
 * Refuses a zone next to another customer's (or the platform's): above one (it would hold its
 * delegation) or below one (it would take names of that domain).
 */
export async function assertNoForeignZoneAround(db: Db, name: string, customerId: string): Promise<void> {
  const other = (await zonesAroundName(db, name)).find((z) => z.customerId !== customerId);
  if (other) {
    throw new AppError('zone.taken', `${displayDomain(name)} overlaps the zone ${other.customerId ? 'of another customer' : 'of the platform'}`, {
      params: { zone: displayDomain(name) }, issues: [{ code: 'zone.taken', path: 'body.name', message: 'overlaps another zone' }],
    });
  }
}

export async function listZonesOf(app: AppContext, caller: Caller, query: ListQuery & { customerId?: string; dns?: 'managed' | 'external' }) {
  const r = reader(app, caller);
  const customerId = query.customerId ? (await findCustomer(app.db, query.customerId, customerScope(caller.actor))).id : undefined;
  if (customerId) r.may({ what: 'customer', customerId });
  else r.may({ what: 'zone', customerId: null });
  const page = await listZones(app.db, customerScope(caller.actor), { ...query, customerId });
  return { ...page, items: await zoneViews(app.db, page.items) };
}

export async function showZoneOf(app: AppContext, caller: Caller, ref: string) {
  const zone = await findZone(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(zoneSubject(zone));
  return (await zoneViews(app.db, [zone]))[0]!;
}

export interface ZoneInput { name: string; customerId?: string; dns: 'managed' | 'external'; edgeRecords: boolean }

export function addZone(app: AppContext, caller: Caller, input: ZoneInput) {
  return change(app, caller, async (c) => {
    const customer = await customerFor(c, input.customerId);
    c.may({ what: 'zone', customerId: customer.id, customerStatus: customer.status }, 'manage');
    assertZoneName(input.name, app.config.platformDomain);
    await assertNoForeignZoneAround(c.db, input.name, customer.id);
    const zone = await createZone(c.db, app.config.dns, { name: input.name, customerId: customer.id, dns: input.dns, edgeRecords: input.edgeRecords });
    await c.audit({ action: 'zone.create', targetType: 'zone', targetId: zone.id, target: displayDomain(zone.name), customerId: customer.id, after: zoneAudit(zone) });
    const revision = await zonesChangedBy(c, [zone.id], `zone ${zone.name} created`);
    return (await zoneViews(c.db, [{ ...zone, revision }], { created: true }))[0]!; // only its stamp changed
  });
}

export interface ZonePatch { dns?: 'managed' | 'external'; edgeRecords?: boolean; customerId?: string }

export function changeZone(app: AppContext, caller: Caller, ref: string, patch: ZonePatch) {
  return change(app, caller, async (c) => {
    const before = await zoneForChange(c, ref);
    if (before.platform && (patch.dns === 'external' || patch.customerId)) throw new AppError('zone.platform', 'the platform\'s own zone is always the platform\'s and published by it');
    let customerId: string | undefined;
    if (patch.customerId) {
      if (!c.actor || !isStaff(c.actor)) throw new AppError('zone.forbidden', 'only the platform staff hand a zone over to another customer');
      customerId = (await findCustomer(c.db, patch.customerId)).id;
    }
    const after = await updateZone(c.db, before.id, { dns: patch.dns, edgeRecords: patch.edgeRecords, customerId }, c.now);
    if (after.edgeRecords && !before.edgeRecords) {
      await replaceCustomerRecords(c.db, after, [after.name, `www.${after.name}`], c.caller, 'the platform publishes the edge at the apex and www again');
    }
    await c.audit({ action: 'zone.update', targetType: 'zone', targetId: after.id, target: displayDomain(after.name), customerId: after.customerId, before: zoneAudit(before), after: zoneAudit(after) });
    if (customerId && before.customerId && customerId !== before.customerId) {
      // handed over by the staff: the former customer's sites lose their names in the zone, and are told
      const lost = await zoneLost(c, after, before.customerId, customerId, `the staff handed ${displayDomain(after.name)} over to another customer`);
      await c.audit({ action: 'zone.lost', targetType: 'zone', targetId: after.id, target: displayDomain(after.name), customerId: before.customerId, before: { ...zoneAudit(before), names: lost }, after: { reason: 'handed over by the staff' } });
      await noticeZoneLost(c.db, { zone: after.name, loserId: before.customerId, winnerId: customerId, lost, how: 'staff' }, c.now);
    }
    await zonesChangedBy(c, [after.id], `zone ${after.name} changed`);
    return zoneView(c.db, after.id);
  });
}

export function removeZone(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const zone = await zoneForChange(c, ref);
    if (zone.platform) throw new AppError('zone.platform', 'the platform\'s own zone cannot be removed while ABRI_PLATFORM_DOMAIN names it');
    const used = await siteNamesIn(c.db, zone.name);
    if (used.length) {
      const shown = used.slice(0, 5).map(displayDomain);
      throw new AppError('zone.in_use', `the zone ${displayDomain(zone.name)} holds names of sites (${shown.join(', ')}${used.length > 5 ? '…' : ''}); remove or rename those sites first`, {
        params: { zone: displayDomain(zone.name), names: shown },
      });
    }
    await deleteZoneRow(c.db, zone.id);
    await c.audit({ action: 'zone.delete', targetType: 'zone', targetId: zone.id, target: displayDomain(zone.name), customerId: zone.customerId, before: zoneAudit(zone) });
    await zonesChangedBy(c, [], `zone ${zone.name} removed`);
  });
}

/** Asks the DNS now: what the name servers answer (managed), or whether the records to set are set (external). */
export async function checkZone(app: AppContext, caller: Caller, ref: string) {
  const zone = await findZone(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(zoneSubject(zone));
  const base = { zone: zone.name, zoneUnicode: displayDomain(zone.name), dns: zone.dns };
  if (zone.dns === 'managed') {
    const nameservers = await nameserverStates(app.db, app.config.dns, zone.name);
    const message = nameservers.length ? null : 'no DNS server publishes the zone: give a server the dns role';
    return { ...base, nameservers, required: [], ok: nameservers.length > 0 && nameservers.every((n) => n.ok), message };
  }
  const failed: string[] = [];
  const required = await requiredRecords(app.db, app.config, zone, failed);
  const message = !required.length ? 'no site of the platform uses this zone: nothing to set' : failed.length ? [...new Set(failed)].slice(0, 3).join('; ') : null;
  return { ...base, nameservers: [], required, ok: required.every((r) => r.ok), message };
}
