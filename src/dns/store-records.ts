// A zone's own records (the customer's, or the staff's in the platform zone). One TTL per rrset.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { prepared } from '../platform/db/prepared.js';
import { laterStampsSql, OPEN_REVISION_BASE } from '../platform/store-revision.js';
import { notFound } from '../platform/errors.js';
import { uuidLike } from '../platform/validation.js';
import type { RecordType } from './records.js';
import type { RecordRow } from './model.js';

const columns = ['id', 'zoneId', 'name', 'type', 'content', 'ttl'] as const;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listRecords(db: Db, zoneId: string): Promise<RecordRow[]> {
  return db.selectFrom('dnsRecords').select(columns).where('zoneId', '=', zoneId).orderBy('name').orderBy('type').orderBy('content').execute();
}

export async function findRecord(db: Db, zoneId: string, id: string): Promise<RecordRow> {
  if (!uuidLike.test(id)) throw notFound('record');
  const row = await db.selectFrom('dnsRecords').select(columns).where('zoneId', '=', zoneId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('record');
  return row;
}

export interface RecordValues { name: string; type: RecordType; content: string; ttl: number }

/** One TTL per name and type: the other records of the rrset take the new one. */
async function alignTtl(db: Db, zoneId: string, r: RecordValues, now: Date) {
  await db.updateTable('dnsRecords').set({ ttl: r.ttl, updatedAt: now }).where('zoneId', '=', zoneId).where('name', '=', r.name).where('type', '=', r.type).where('ttl', '!=', r.ttl).execute();
}

export async function insertRecord(db: Db, zoneId: string, r: RecordValues, now: Date): Promise<RecordRow> {
  const row = await db.insertInto('dnsRecords').values({ zoneId, ...r }).returning(columns).executeTakeFirstOrThrow();
  await alignTtl(db, zoneId, r, now);
  return row;
}

export async function writeRecord(db: Db, zoneId: string, id: string, r: RecordValues, now: Date): Promise<RecordRow> {
  const row = await db.updateTable('dnsRecords').set({ ...r, updatedAt: now }).where('id', '=', id).returning(columns).executeTakeFirstOrThrow();
  await alignTtl(db, zoneId, r, now);
  return row;
}

export async function deleteRecord(db: Db, id: string): Promise<void> {
  await db.deleteFrom('dnsRecords').where('id', '=', id).execute();
}

/**
 * Deletes the A/AAAA/CNAME records at these names of a zone, and stamps the zones with the change's
 * open revision when it commits (platform/store-revision laterStampsSql), in one statement; returns
 * the records deleted.
 */
const deleteAndStamp = prepared((db, p: { zoneId: string | null; names: string[]; revision: number; stamped: string[] }) =>
  sql<RecordRow>`WITH later AS (${laterStampsSql(p.revision, 'zones', p.stamped)})
    DELETE FROM dns_records WHERE zone_id = ${p.zoneId}::uuid AND name = ANY(${p.names}::text[]) AND type IN ('A', 'AAAA', 'CNAME')
    RETURNING id, zone_id, name, type, content, ttl`);

/** The same for names of several zones (the stamps go with the first zone's statement). */
export async function deleteAddressRecordsAndStampAtCommit(db: Db, at: Array<{ zoneId: string; name: string }>, revision: number, zoneIds: string[]): Promise<RecordRow[]> {
  if (revision < OPEN_REVISION_BASE) throw new Error('deleteAddressRecordsAndStampAtCommit: a revision opened in this transaction is expected');
  const byZone = new Map<string | null, string[]>();
  for (const a of at) byZone.set(a.zoneId, [...(byZone.get(a.zoneId) ?? []), a.name]);
  if (!byZone.size) byZone.set(null, []); // the stamps alone
  const deleted: RecordRow[] = [];
  let stamped = [...new Set(zoneIds)];
  for (const [zoneId, names] of byZone) {
    deleted.push(...(await deleteAndStamp.all(db, { zoneId, names, revision, stamped })));
    stamped = [];
  }
  return deleted;
}

/** Deletes the A/AAAA/CNAME records at these names (the platform now points them at the edge); returns them. */
export async function deleteAddressRecordsAt(db: Db, zoneId: string, names: string[]): Promise<RecordRow[]> {
  if (!names.length) return [];
  return db.deleteFrom('dnsRecords').where('zoneId', '=', zoneId).where('name', 'in', names).where('type', 'in', ['A', 'AAAA', 'CNAME']).returning(columns).execute();
}

/** Records at a name or below it (someone uses the name). */
export async function recordsAtOrBelow(db: Db, zoneId: string, name: string): Promise<RecordRow[]> {
  return db.selectFrom('dnsRecords').select(columns).where('zoneId', '=', zoneId)
    .where((eb) => eb.or([eb('name', '=', name), eb('name', 'like', `%.${escapeLike(name)}`)]))
    .orderBy('name').orderBy('type').execute();
}
