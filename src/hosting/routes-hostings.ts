// Hostings: staff create, change and terminate them; customers read theirs.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { AppError } from '../platform/errors.js';
import { idParams } from '../platform/validation.js';
import { assertCanChange, customerScope, isStaff } from '../platform/actor.js';
import { recordAudit } from '../audit/store.js';
import { hostingChanged } from './changes.js';
import { syncSiteZones } from '../dns/site-zones.js';
import { findCustomer } from '../accounts/store-customers.js';
import { findOffer } from '../offers/store.js';
import { findServer, pickWebServer } from '../servers/store.js';
import { hostingCreate, hostingOut, hostingPatch, hostingStatus } from './model.js';
import { assertPhpAllowed, createHosting, findHosting, listHostings, terminateHosting, updateHosting, type HostingRow } from './store-hostings.js';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export const showHosting = (h: Omit<HostingRow, 'siteCount'> & { siteCount: number | string }): z.infer<typeof hostingOut> => ({
  id: h.id,
  name: h.name,
  uid: h.uid,
  home: h.home,
  customerId: h.customerId,
  customerNumber: h.customerNumber,
  customerName: h.customerName,
  offerId: h.offerId,
  offerName: h.offerName,
  serverId: h.serverId,
  status: h.status,
  phpVersion: h.phpVersion,
  usage: { sites: { used: Number(h.siteCount), max: h.maxSites } },
  createdAt: iso(h.createdAt)!,
  updatedAt: iso(h.updatedAt)!,
  terminatedAt: iso(h.terminatedAt),
  purgeRequestedAt: iso(h.purgeRequestedAt),
  purgedAt: iso(h.purgedAt),
});

const auditView = (h: HostingRow) => ({ name: h.name, offer: h.offerName, status: h.status, phpVersion: h.phpVersion, serverId: h.serverId });

export const hostingRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings', summary: 'List hostings (customer users: their own)', tag: 'hostings', access: 'user',
    query: listQuery.extend({ customerId: z.uuid().optional(), status: hostingStatus.optional() }), response: listOf(hostingOut),
    async handler({ app, actor, query }) {
      const { customerId, status, ...list } = query;
      const page = await listHostings(app.db, customerScope(actor), { customerId, status }, list);
      return { ...page, items: page.items.map(showHosting) };
    },
  }),
  route({
    method: 'POST', path: '/api/v1/hostings', summary: 'Create a hosting for a customer with an offer', tag: 'hostings', access: 'staff',
    status: 201, body: hostingCreate, response: hostingOut,
    async handler({ app, actor, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const customer = await findCustomer(trx, body.customerId).catch(() => {
          throw new AppError('customer.not_found', 'no such customer', { issues: [{ path: 'body.customerId', message: 'no such customer' }] });
        });
        if (customer.status === 'closed') throw new AppError('customer.closed', 'this customer is closed', { status: 409 });
        const offer = await findOffer(trx, body.offerId).catch(() => {
          throw new AppError('offer.not_found', 'no such offer', { issues: [{ path: 'body.offerId', message: 'no such offer' }] });
        });
        if (offer.archived) throw new AppError('offer.archived', `the offer "${offer.name}" is archived`, { status: 409 });
        const serverId = body.serverId ? (await findServer(trx, body.serverId)).id : await pickWebServer(trx);
        const h = await createHosting(trx, app.config, { customerId: customer.id, offer, phpVersion: body.phpVersion, serverId });
        await recordAudit(trx, { actor, address: req.address }, { action: 'hosting.create', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, after: auditView(h) });
        await hostingChanged(trx, h, `hosting ${h.name} created`);
        return showHosting(h);
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/hostings/{id}', summary: 'Show a hosting (id or system name) with its usage', tag: 'hostings', access: 'user', tenant: true,
    params: idParams, response: hostingOut,
    async handler({ app, actor, params }) {
      return showHosting(await findHosting(app.db, params.id, customerScope(actor)));
    },
  }),
  route({
    method: 'PATCH', path: '/api/v1/hostings/{id}', summary: 'Change a hosting (customers: default PHP version; staff: offer, status, server)',
    tag: 'hostings', access: 'user', tenant: true, params: idParams, body: hostingPatch, response: hostingOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const before = await findHosting(trx, params.id, customerScope(actor), { lock: true });
        assertCanChange(actor, before.customerId, 'hosting');
        if (!isStaff(actor) && (body.offerId !== undefined || body.status !== undefined || body.serverId !== undefined)) {
          throw new AppError('hosting.forbidden', 'only the platform staff change a hosting\'s offer, status or server');
        }
        if (before.status === 'terminated') throw new AppError('hosting.terminated', `${before.name} is terminated`, { status: 409 });
        const offer = await findOffer(trx, body.offerId ?? before.offerId);
        if (body.offerId) {
          if (Number(before.siteCount) > offer.maxSites) {
            throw new AppError('quota.sites_exceeded', `${before.name} has ${before.siteCount} sites; "${offer.name}" allows ${offer.maxSites}`);
          }
          const versions = await trx.selectFrom('sites').select('phpVersion').distinct().where('hostingId', '=', before.id).execute();
          for (const v of versions) assertPhpAllowed(offer, v.phpVersion, 'body.offerId');
        }
        const phpVersion = body.phpVersion ?? before.phpVersion;
        assertPhpAllowed(offer, phpVersion);
        const serverId = body.serverId === undefined ? before.serverId : body.serverId === null ? null : (await findServer(trx, body.serverId)).id;
        const after = await updateHosting(trx, before.id, { offerId: offer.id, phpVersion, status: body.status, serverId });
        await recordAudit(trx, { actor, address: req.address }, { action: 'hosting.update', targetType: 'hosting', targetId: after.id, target: after.name, customerId: after.customerId, before: auditView(before), after: auditView(after) });
        await hostingChanged(trx, after, `hosting ${after.name} changed`, { alsoServer: before.serverId !== after.serverId ? before.serverId : null });
        return showHosting(after);
      });
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/hostings/{id}', summary: 'Terminate a hosting: its sites stop being served, its files are kept',
    tag: 'hostings', access: 'staff', tenant: true, params: idParams, response: hostingOut,
    async handler({ app, actor, params, req }) {
      return app.db.transaction().execute(async (trx) => {
        const h = await findHosting(trx, params.id, null, { lock: true });
        if (h.status === 'terminated') throw new AppError('hosting.terminated', `${h.name} is already terminated`, { status: 409 });
        const sites = await terminateHosting(trx, h.id);
        const after = await findHosting(trx, h.id);
        await recordAudit(trx, { actor, address: req.address }, { action: 'hosting.terminate', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, before: { ...auditView(h), sites: sites.map((s) => s.domain) } });
        const revision = await hostingChanged(trx, h, `hosting ${h.name} terminated`);
        await syncSiteZones(trx, app.config, { customerId: h.customerId, before: sites.flatMap((s) => [s.domain, ...s.aliases]), after: [] }, revision);
        return showHosting(after);
      });
    },
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/purge', summary: 'Delete the files and Unix account of a terminated hosting (after the retention period, or with force)',
    tag: 'hostings', access: 'admin', tenant: true, params: idParams, body: z.strictObject({ force: z.boolean().default(false).describe('purge before the retention period ends') }),
    response: hostingOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const h = await findHosting(trx, params.id, null, { lock: true });
        if (h.status !== 'terminated') throw new AppError('hosting.not_terminated', `terminate ${h.name} first`, { status: 409 });
        if (h.purgedAt || h.purgeRequestedAt) throw new AppError('hosting.purge_requested', `the purge of ${h.name} was already requested`, { status: 409 });
        const until = new Date(new Date(h.terminatedAt!).getTime() + app.config.retentionDays * 86400_000);
        if (until > new Date() && !body.force) {
          throw new AppError('hosting.retention_pending', `${h.name}'s files are kept until ${until.toISOString()} (ABRI_RETENTION_DAYS); use force to purge now`, { status: 409 });
        }
        await trx.updateTable('hostings').set({ purgeRequestedAt: new Date() }).where('id', '=', h.id).execute();
        await recordAudit(trx, { actor, address: req.address }, { action: 'hosting.purge', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, before: { home: h.home, uid: h.uid, force: body.force } });
        await hostingChanged(trx, h, `hosting ${h.name} purge requested`);
        return showHosting(await findHosting(trx, h.id));
      });
    },
  }),
];
