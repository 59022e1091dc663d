// Records of a zone: the platform's (managed, read-only) and the customer's (checked per type).
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { AppError } from '../platform/errors.js';
import { idParams, ref } from '../platform/validation.js';
import { customerScope } from '../platform/actor.js';
import { recordAudit } from '../platform/store-audit.js';
import { recordCreate, recordOut, recordPatch, showRecord, type RecordRow, type ZoneRow } from './model.js';
import { findZone, zoneContentInput, zonesChanged } from './store-zones.js';
import { createRecord, deleteRecord, findRecord, listRecords, updateRecord } from './store-records.js';
import { managedRrsets } from './zone-content.js';
import { zoneForChange } from './routes-zones.js';

const recordParams = z.object({ id: ref, recordId: ref });
const audit = (r: RecordRow) => ({ name: r.name, type: r.type, content: r.content, ttl: r.ttl });

type Shown = z.infer<typeof recordOut>;
const sorts: Record<string, (r: Shown) => string | number> = { name: (r) => r.name, type: (r) => r.type, content: (r) => r.content, ttl: (r) => r.ttl };

/** Lists are small (≤ 1,000 records a zone): search, sort and page in memory, with the same contract as the other lists. */
function page(items: Shown[], query: z.infer<typeof listQuery>) {
  const q = query.q?.toLowerCase();
  let rows = q ? items.filter((r) => [r.name, r.nameUnicode, r.type, r.content, String(r.ttl)].some((v) => v.toLowerCase().includes(q))) : items;
  const field = (query.sort ?? 'name').replace(/^-/, '');
  const by = sorts[field];
  if (!by) throw new AppError('request.invalid_sort', `sort must be one of: ${Object.keys(sorts).join(', ')} (optionally prefixed by -)`);
  const dir = query.sort?.startsWith('-') ? -1 : 1;
  rows = [...rows].sort((a, b) => (by(a) < by(b) ? -dir : by(a) > by(b) ? dir : a.type < b.type ? -1 : a.type > b.type ? 1 : a.content < b.content ? -1 : 1));
  let start = 0;
  if (query.cursor) {
    start = Number(Buffer.from(query.cursor, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > rows.length) throw new AppError('request.invalid_cursor', 'cursor is not one this API returned');
  }
  const end = start + query.limit;
  return { items: rows.slice(start, end), nextCursor: end < rows.length ? Buffer.from(String(end)).toString('base64url') : null, total: rows.length };
}

async function allRecords(app: { db: import('../platform/db/database.js').Db; config: import('../platform/config.js').Config }, zone: ZoneRow): Promise<Shown[]> {
  const managed = managedRrsets(await zoneContentInput(app.db, app.config.dns, zone));
  const own = await listRecords(app.db, zone.id);
  return [
    ...managed.flatMap((m) => m.records.map((content) => showRecord(zone.name, { id: null, name: m.name, type: m.type, ttl: m.ttl, content, purpose: m.purpose }))),
    ...own.map((r) => showRecord(zone.name, r)),
  ];
}

export const recordRoutes = [
  route({
    method: 'GET', path: '/api/v1/zones/{id}/records', summary: 'List a zone\'s records: the platform\'s (managed) and the customer\'s', tag: 'dns', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(recordOut),
    async handler({ app, actor, params, query }) {
      const zone = await findZone(app.db, params.id, customerScope(actor));
      return page(await allRecords(app, zone), query);
    },
  }),
  route({
    method: 'POST', path: '/api/v1/zones/{id}/records', summary: 'Add a record', tag: 'dns', access: 'user', tenant: true, status: 201,
    params: idParams, body: recordCreate, response: recordOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const zone = await zoneForChange(trx, actor, params.id);
        const r = await createRecord(trx, app.config.dns, zone, body);
        await recordAudit(trx, { actor, address: req.address }, { action: 'record.create', targetType: 'record', targetId: r.id, target: `${r.name} ${r.type}`, customerId: zone.customerId, after: audit(r) });
        await zonesChanged(trx, [zone.id], `record ${r.name} ${r.type} added`);
        return showRecord(zone.name, r);
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/zones/{id}/records/{recordId}', summary: 'Show a record', tag: 'dns', access: 'user', tenant: true,
    params: recordParams, response: recordOut,
    async handler({ app, actor, params }) {
      const zone = await findZone(app.db, params.id, customerScope(actor));
      return showRecord(zone.name, await findRecord(app.db, zone.id, params.recordId));
    },
  }),
  route({
    method: 'PATCH', path: '/api/v1/zones/{id}/records/{recordId}', summary: 'Change a record', tag: 'dns', access: 'user', tenant: true,
    params: recordParams, body: recordPatch, response: recordOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const zone = await zoneForChange(trx, actor, params.id);
        const before = await findRecord(trx, zone.id, params.recordId);
        const after = await updateRecord(trx, app.config.dns, zone, before, body);
        await recordAudit(trx, { actor, address: req.address }, { action: 'record.update', targetType: 'record', targetId: after.id, target: `${after.name} ${after.type}`, customerId: zone.customerId, before: audit(before), after: audit(after) });
        await zonesChanged(trx, [zone.id], `record ${after.name} ${after.type} changed`);
        return showRecord(zone.name, after);
      });
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/zones/{id}/records/{recordId}', summary: 'Remove a record', tag: 'dns', access: 'user', tenant: true, params: recordParams, status: 204,
    async handler({ app, actor, params, req }) {
      await app.db.transaction().execute(async (trx) => {
        const zone = await zoneForChange(trx, actor, params.id);
        const r = await findRecord(trx, zone.id, params.recordId);
        await deleteRecord(trx, r.id);
        await recordAudit(trx, { actor, address: req.address }, { action: 'record.delete', targetType: 'record', targetId: r.id, target: `${r.name} ${r.type}`, customerId: zone.customerId, before: audit(r) });
        await zonesChanged(trx, [zone.id], `record ${r.name} ${r.type} removed`);
      });
    },
  }),
];
