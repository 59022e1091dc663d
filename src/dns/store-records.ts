// A zone's own records (the customer's): checked per type, against the platform's managed rrsets
// and against the rules of a name (one CNAME, alone), then stored. One TTL per rrset.
import type { Db } from '../platform/db/database.js';
import type { DnsSettings } from '../platform/config.js';
import { AppError, notFound, type FieldIssue } from '../platform/errors.js';
import { uuidLike } from '../platform/validation.js';
import { ownerName } from './names.js';
import { checkOwner, nameConflicts, recordContent, type RecordType } from './records.js';
import { collidesWithManaged, managedRrsets } from './zone-content.js';
import { zoneContentInput } from './store-zones.js';
import type { RecordRow, ZoneRow } from './model.js';

/** Records a zone may hold besides the platform's. */
export const MAX_RECORDS_PER_ZONE = 1000;

const invalid = (issues: FieldIssue[]) =>
  new AppError('record.invalid', issues.map((i) => `${i.path.replace(/^body\./, '')}: ${i.message}`).join('; '), { issues });

export async function listRecords(db: Db, zoneId: string): Promise<RecordRow[]> {
  return db.selectFrom('dnsRecords').select(['id', 'zoneId', 'name', 'type', 'content', 'ttl']).where('zoneId', '=', zoneId).orderBy('name').orderBy('type').orderBy('content').execute();
}

export async function findRecord(db: Db, zoneId: string, id: string): Promise<RecordRow> {
  if (!uuidLike.test(id)) throw notFound('record');
  const row = await db.selectFrom('dnsRecords').select(['id', 'zoneId', 'name', 'type', 'content', 'ttl']).where('zoneId', '=', zoneId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('record');
  return row;
}

export interface RecordInput {
  name: string;
  type: RecordType;
  content: string;
  ttl?: number;
}

/** Checks a record for the zone (all field errors at once), with the zone's other records. */
async function checkRecord(db: Db, dns: DnsSettings, zone: ZoneRow, input: RecordInput, replacing: RecordRow | null) {
  const issues: FieldIssue[] = [];
  const name = ownerName(input.name, zone.name);
  if (!name.ok) issues.push({ code: 'record.name_invalid', path: 'body.name', message: name.reason });
  const content = recordContent(input.type, input.content);
  if (!content.ok) issues.push({ code: 'record.content_invalid', path: 'body.content', message: content.reason });
  if (name.ok) {
    const owner = checkOwner(input.type, name.value, zone.name);
    if (owner) issues.push({ code: 'record.name_invalid', path: 'body.name', message: owner });
  }
  if (issues.length) throw invalid(issues);
  if (input.type === 'CNAME' && content.ok && name.ok && content.value === `${name.value}.`) {
    throw invalid([{ code: 'record.cname_loop', path: 'body.content', message: 'a CNAME cannot point to its own name' }]);
  }
  const others = (await listRecords(db, zone.id)).filter((r) => r.id !== replacing?.id);
  // one TTL per rrset: a record given none takes the one of its name and type, if any
  const rrsetTtl = others.find((r) => r.name === (name.ok ? name.value : '') && r.type === input.type)?.ttl;
  const record = { name: name.ok ? name.value : '', type: input.type, content: content.ok ? content.value : '', ttl: input.ttl ?? replacing?.ttl ?? rrsetTtl ?? dns.ttl };
  const ctx = await zoneContentInput(db, dns, zone);
  const managed = collidesWithManaged(managedRrsets(ctx), record.name, record.type);
  if (managed) {
    throw new AppError('record.managed_conflict', `${managed.name} has ${managed.type} records the platform keeps (${managed.records.join(', ')}); a ${record.type} record of ${record.name} would override them`, {
      issues: [{ code: 'record.managed_conflict', path: 'body.name', message: `the platform keeps the ${managed.type} records of this name` }],
    });
  }
  if (others.some((r) => r.name === record.name && r.type === record.type && r.content === record.content)) {
    throw new AppError('record.exists', `this ${record.type} record of ${record.name} already exists`, { issues: [{ code: 'record.exists', path: 'body.content', message: 'already exists' }] });
  }
  const managedAtName = managedRrsets(ctx).filter((m) => m.name === record.name).map((m) => ({ name: m.name, type: m.type, content: '' }));
  const conflict = nameConflicts([...others, ...managedAtName, record]).find((c) => c.name === record.name);
  if (conflict) throw new AppError('record.cname_conflict', conflict.reason, { issues: [{ code: 'record.cname_conflict', path: record.type === 'CNAME' ? 'body.type' : 'body.name', message: conflict.reason }] });
  if (!replacing && others.length >= MAX_RECORDS_PER_ZONE) {
    throw new AppError('quota.records_exceeded', `a zone holds at most ${MAX_RECORDS_PER_ZONE} records`);
  }
  return record;
}

/** One TTL per name and type: the other records of the rrset take the new one. */
async function alignTtl(db: Db, zoneId: string, r: { name: string; type: RecordType; ttl: number }) {
  await db.updateTable('dnsRecords').set({ ttl: r.ttl, updatedAt: new Date() }).where('zoneId', '=', zoneId).where('name', '=', r.name).where('type', '=', r.type).where('ttl', '!=', r.ttl).execute();
}

export async function createRecord(db: Db, dns: DnsSettings, zone: ZoneRow, input: RecordInput): Promise<RecordRow> {
  const r = await checkRecord(db, dns, zone, input, null);
  const row = await db.insertInto('dnsRecords').values({ zoneId: zone.id, ...r }).returning(['id', 'zoneId', 'name', 'type', 'content', 'ttl']).executeTakeFirstOrThrow();
  await alignTtl(db, zone.id, r);
  return row;
}

export async function updateRecord(db: Db, dns: DnsSettings, zone: ZoneRow, current: RecordRow, patch: Partial<RecordInput>): Promise<RecordRow> {
  const type = (patch.type ?? current.type) as RecordType;
  // a record that changes type must be typed again: the old content rarely fits the new type
  const content = patch.content ?? current.content;
  const name = patch.name ?? (current.name === zone.name ? '@' : `${current.name}.`);
  const r = await checkRecord(db, dns, zone, { name, type, content, ttl: patch.ttl ?? current.ttl }, current);
  const row = await db.updateTable('dnsRecords').set({ ...r, updatedAt: new Date() }).where('id', '=', current.id).returning(['id', 'zoneId', 'name', 'type', 'content', 'ttl']).executeTakeFirstOrThrow();
  await alignTtl(db, zone.id, r);
  return row;
}

export async function deleteRecord(db: Db, id: string): Promise<void> {
  await db.deleteFrom('dnsRecords').where('id', '=', id).execute();
}
