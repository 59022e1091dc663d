// The verbs of a zone's records: list (the platform's managed rrsets and the zone's own records),
// show, add, change, remove. Each change runs in change() with the zone's authorization.
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import type { Db } from '../platform/db/database.js';
import type { Config } from '../platform/config.js';
import { displayDomain, foldText } from '../platform/names.js';
import { recordOut, showRecord, type RecordRow, type ZoneRow } from './model.js';
import { checkRecord, zoneSubject, type RecordInput } from './rules.js';
import type { RecordType } from './records.js';
import { managedRrsets } from './zone-content.js';
import { findZone } from './store-zones.js';
import { zoneContentInput } from './store-zone-content.js';
import { deleteRecord, findRecord, insertRecord, listRecords, writeRecord } from './store-records.js';
import { zoneForChange, zonesChangedBy } from './operations-zones.js';

type Shown = z.infer<typeof recordOut>;
const audit = (r: RecordRow) => ({ name: r.name, type: r.type, content: r.content, ttl: r.ttl });
const target = (r: RecordRow) => `${displayDomain(r.name)} ${r.type}`;
// sorted as people read names (accent-insensitive), then by type and content
const sorts: Record<string, (r: Shown) => string | number> = { name: (r) => foldText(r.nameUnicode), type: (r) => r.type, content: (r) => r.content, ttl: (r) => r.ttl };

/** Lists are small (≤ 1,000 records a zone): search, sort and page in memory, with the same contract as the other lists. */
function page(items: Shown[], query: ListQuery) {
  const q = query.q ? foldText(query.q) : null;
  let rows = q ? items.filter((r) => [r.name, r.nameUnicode, r.type, r.content, r.contentUnicode, String(r.ttl)].some((v) => foldText(v).includes(q))) : items;
  const field = (query.sort ?? 'name').replace(/^-/, '');
  const by = Object.hasOwn(sorts, field) ? sorts[field] : undefined;
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

async function allRecords(db: Db, config: Config, zone: ZoneRow): Promise<Shown[]> {
  const managed = managedRrsets(await zoneContentInput(db, config, zone));
  const own = await listRecords(db, zone.id);
  return [
    ...managed.flatMap((m) => m.records.map((content) => showRecord(zone.name, { id: null, name: m.name, type: m.type, ttl: m.ttl, content, purpose: m.purpose }))),
    ...own.map((r) => showRecord(zone.name, r)),
  ];
}

async function visibleZone(app: AppContext, caller: Caller, ref: string) {
  const zone = await findZone(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(zoneSubject(zone));
  return zone;
}

export async function listRecordsOf(app: AppContext, caller: Caller, zoneRef: string, query: ListQuery) {
  const zone = await visibleZone(app, caller, zoneRef);
  return page(await allRecords(app.db, app.config, zone), query);
}

export async function showRecordOf(app: AppContext, caller: Caller, zoneRef: string, id: string) {
  const zone = await visibleZone(app, caller, zoneRef);
  return showRecord(zone.name, await findRecord(app.db, zone.id, id));
}

/** The record checked against the zone: its own records (but the one replaced) and the platform's. */
async function checked(c: Change, zone: ZoneRow, input: RecordInput, replacing: RecordRow | null) {
  const others = (await listRecords(c.db, zone.id)).filter((r) => r.id !== replacing?.id);
  const managed = managedRrsets(await zoneContentInput(c.db, c.app.config, zone));
  return checkRecord(zone, input, replacing, others, managed, c.app.config.dns.ttl);
}

export function addRecord(app: AppContext, caller: Caller, zoneRef: string, input: RecordInput) {
  return change(app, caller, async (c) => {
    const zone = await zoneForChange(c, zoneRef);
    const r = await insertRecord(c.db, zone.id, await checked(c, zone, input, null), c.now);
    await c.audit({ action: 'record.create', targetType: 'record', targetId: r.id, target: target(r), customerId: zone.customerId, after: audit(r) });
    await zonesChangedBy(c, [zone.id], `record ${r.name} ${r.type} added`);
    return showRecord(zone.name, r);
  });
}

export function changeRecord(app: AppContext, caller: Caller, zoneRef: string, id: string, patch: Partial<RecordInput>) {
  return change(app, caller, async (c) => {
    const zone = await zoneForChange(c, zoneRef);
    const before = await findRecord(c.db, zone.id, id);
    // a record that changes type must be typed again: the old content rarely fits the new type
    const input: RecordInput = {
      name: patch.name ?? (before.name === zone.name ? '@' : `${before.name}.`),
      type: (patch.type ?? before.type) as RecordType,
      content: patch.content ?? before.content,
      ttl: patch.ttl ?? before.ttl,
    };
    const after = await writeRecord(c.db, zone.id, before.id, await checked(c, zone, input, before), c.now);
    await c.audit({ action: 'record.update', targetType: 'record', targetId: after.id, target: target(after), customerId: zone.customerId, before: audit(before), after: audit(after) });
    await zonesChangedBy(c, [zone.id], `record ${after.name} ${after.type} changed`);
    return showRecord(zone.name, after);
  });
}

export function removeRecord(app: AppContext, caller: Caller, zoneRef: string, id: string) {
  return change(app, caller, async (c) => {
    const zone = await zoneForChange(c, zoneRef);
    const r = await findRecord(c.db, zone.id, id);
    await deleteRecord(c.db, r.id);
    await c.audit({ action: 'record.delete', targetType: 'record', targetId: r.id, target: target(r), customerId: zone.customerId, before: audit(r) });
    await zonesChangedBy(c, [zone.id], `record ${r.name} ${r.type} removed`);
  });
}
