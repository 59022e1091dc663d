// Zones: customers see and change their own (the platform's own zone is staff's); staff see all.
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { AppError, notFound } from '../platform/errors.js';
import { idParams, reference } from '../platform/validation.js';
import { customerScope, isStaff, type Actor } from '../platform/actor.js';
import { decide } from '../platform/policy.js';
import type { Db } from '../platform/db/database.js';
import { recordAudit } from '../platform/store-audit.js';
import { findCustomer } from '../accounts/store-customers.js';
import { objectProvisioning, serversWithRole } from '../servers/store-provisioning.js';
import { registeredDomain, inZone } from './names.js';
import { dnsMode, showZone, zoneCheckOut, zoneCreate, zoneOut, zonePatch, type ZoneRow } from './model.js';
import { createZone, deleteZone, findZone, listZones, updateZone, zonesChanged } from './store-zones.js';
import { nameserverStates, requiredRecords } from './check.js';
import { replaceCustomerRecords } from './site-zones.js';

/** Zones as the API shows them, with their state on the DNS servers (external zones are "live": nothing to publish). */
export async function showZones(db: Db, rows: ZoneRow[]) {
  const dnsServers = await serversWithRole(db, 'dns');
  const states = await objectProvisioning(db, 'zone', rows.filter((r) => r.dns === 'managed').map((r) => ({ id: r.id, revision: r.revision, servers: dnsServers })));
  return rows.map((r) => {
    let p = states.get(r.id) ?? { status: 'live' as const, message: 'the domain\'s DNS is hosted elsewhere', servers: [] };
    if (r.dns === 'managed' && !dnsServers.length) p = { status: 'pending', message: 'no DNS server: give a server the dns role', servers: [] };
    return showZone(r, p);
  });
}
const showOne = async (db: Db, row: ZoneRow) => (await showZones(db, [row]))[0];

/** The zone, when the actor may change it: customers their own, never the platform's. */
export async function zoneForChange(db: Db, actor: Actor, ref: string): Promise<ZoneRow> {
  const zone = await findZone(db, ref, customerScope(actor), { lock: true });
  if (zone.platform && !isStaff(actor)) throw notFound('zone');
  if (zone.customerId) decide(actor, { what: 'zone', customerId: zone.customerId }, 'manage');
  return zone;
}

const audit = (z0: ZoneRow) => ({ name: z0.name, dns: z0.dns, edgeRecords: z0.edgeRecords, customerId: z0.customerId });

export const zoneRoutes = [
  route({
    method: 'GET', path: '/api/v1/zones', summary: 'List DNS zones (customer users: their own)', tag: 'dns', access: 'user',
    query: listQuery.extend({
      customerId: reference(64).optional().describe('only this customer\'s zones (id or number)'),
      dns: dnsMode.optional().describe('only the zones published this way'),
    }),
    response: listOf(zoneOut),
    async handler({ app, actor, query }) {
      const customerId = query.customerId ? (await findCustomer(app.db, query.customerId, customerScope(actor))).id : undefined;
      const page = await listZones(app.db, customerScope(actor), { ...query, customerId });
      return { ...page, items: await showZones(app.db, page.items) };
    },
  }),
  route({
    method: 'POST', path: '/api/v1/zones', summary: 'Add a zone for a registered domain (sites create theirs by themselves)', tag: 'dns', access: 'user', status: 201,
    body: zoneCreate, response: zoneOut,
    async handler({ app, actor, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        let customerId: string;
        if (body.customerId) customerId = (await findCustomer(trx, body.customerId, customerScope(actor))).id;
        else if (!isStaff(actor) && actor.delegations.size === 1) customerId = [...actor.delegations.keys()][0]!;
        else throw new AppError('request.validation', 'say which customer the zone is for', { issues: [{ code: 'request.validation', path: 'body.customerId', message: 'required' }] });
        decide(actor, { what: 'zone', customerId: customerId }, 'manage');
        if (registeredDomain(body.name) !== body.name) {
          throw new AppError('zone.invalid', `${body.name} is not a registered domain: add the zone of ${registeredDomain(body.name) ?? 'its parent'} instead`, { issues: [{ code: 'zone.invalid', path: 'body.name', message: 'must be a registered domain like example.org' }] });
        }
        if (app.config.platformDomain && inZone(body.name, app.config.platformDomain)) throw new AppError('zone.taken', `${body.name} is part of the platform's own domain`);
        const zone = await createZone(trx, app.config.dns, { name: body.name, customerId, dns: body.dns, edgeRecords: body.edgeRecords });
        await recordAudit(trx, { actor, address: req.address }, { action: 'zone.create', targetType: 'zone', targetId: zone.id, target: zone.name, customerId, after: audit(zone) });
        await zonesChanged(trx, [zone.id], `zone ${zone.name} created`);
        return showOne(trx, await findZone(trx, zone.id));
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/zones/{id}', summary: 'Show a zone (id or name)', tag: 'dns', access: 'user', tenant: true, params: idParams, response: zoneOut,
    async handler({ app, actor, params }) {
      const zone = await findZone(app.db, params.id, customerScope(actor));
      return showOne(app.db, zone);
    },
  }),
  route({
    method: 'PATCH', path: '/api/v1/zones/{id}', summary: 'Change how a zone is published', tag: 'dns', access: 'user', tenant: true,
    params: idParams, body: zonePatch, response: zoneOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const before = await zoneForChange(trx, actor, params.id);
        if (before.platform && (body.dns === 'external' || body.customerId)) throw new AppError('zone.platform', 'the platform\'s own zone is always the platform\'s and published by it');
        let customerId: string | undefined;
        if (body.customerId) {
          if (!isStaff(actor)) throw new AppError('zone.forbidden', 'only the platform staff hand a zone over to another customer');
          customerId = (await findCustomer(trx, body.customerId)).id;
        }
        const after = await updateZone(trx, before.id, { dns: body.dns, edgeRecords: body.edgeRecords, customerId });
        if (after.edgeRecords && !before.edgeRecords) {
          await replaceCustomerRecords(trx, after, [after.name, `www.${after.name}`], { actor, address: req.address }, 'the platform publishes the edge at the apex and www again');
        }
        await recordAudit(trx, { actor, address: req.address }, { action: 'zone.update', targetType: 'zone', targetId: after.id, target: after.name, customerId: after.customerId, before: audit(before), after: audit(after) });
        await zonesChanged(trx, [after.id], `zone ${after.name} changed`);
        return showOne(trx, await findZone(trx, after.id));
      });
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/zones/{id}', summary: 'Remove a zone no site uses (its records are lost)', tag: 'dns', access: 'user', tenant: true, params: idParams, status: 204,
    async handler({ app, actor, params, req }) {
      await app.db.transaction().execute(async (trx) => {
        const zone = await zoneForChange(trx, actor, params.id);
        if (zone.platform) throw new AppError('zone.platform', 'the platform\'s own zone cannot be removed while ABRI_PLATFORM_DOMAIN names it');
        await deleteZone(trx, zone);
        await recordAudit(trx, { actor, address: req.address }, { action: 'zone.delete', targetType: 'zone', targetId: zone.id, target: zone.name, customerId: zone.customerId, before: audit(zone) });
        await zonesChanged(trx, [], `zone ${zone.name} removed`);
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/zones/{id}/check', summary: 'Ask the DNS now: what the name servers answer, or (external DNS) whether the records to set are set',
    tag: 'dns', access: 'user', tenant: true, params: idParams, response: zoneCheckOut,
    async handler({ app, actor, params }) {
      const zone = await findZone(app.db, params.id, customerScope(actor));
      if (zone.dns === 'managed') {
        const nameservers = await nameserverStates(app.db, app.config.dns, zone.name);
        const message = nameservers.length ? null : 'no DNS server publishes the zone: give a server the dns role';
        return { zone: zone.name, dns: zone.dns, nameservers, required: [], ok: nameservers.length > 0 && nameservers.every((n) => n.ok), message };
      }
      const required = await requiredRecords(app.db, app.config.dns, zone);
      const message = required.length ? null : 'no site of the platform uses this zone: nothing to set';
      return { zone: zone.name, dns: zone.dns, nameservers: [], required, ok: required.every((r) => r.ok), message };
    },
  }),
];
