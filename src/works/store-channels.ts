// The channels told about works (webhooks, Mastodon accounts) and their deliveries, in the database.
// A channel's secret is kept sealed; a delivery is one event for one channel, inserted once.
import type { Selectable } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { WorkChannelsTable, WorkDeliveriesTable } from '../platform/db/schema-works.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';

export type ChannelRow = Selectable<WorkChannelsTable>;
export type DeliveryRow = Selectable<WorkDeliveriesTable>;
export type ChannelValues = Pick<ChannelRow, 'kind' | 'name' | 'url' | 'secretSealed' | 'locale' | 'enabled'>;

export const listChannels = (db: Db) => db.selectFrom('workChannels').selectAll().orderBy('name').execute();
export const enabledChannels = (db: Db) => db.selectFrom('workChannels').selectAll().where('enabled', '=', true).orderBy('name').execute();

/** A channel by id or name. */
export async function findChannel(db: Db, ref: string, opts: { lock?: boolean } = {}): Promise<ChannelRow> {
  const q = db.selectFrom('workChannels').selectAll().where(uuidLike.test(ref) ? 'id' : 'name', '=', ref);
  const r = await (opts.lock ? q.forUpdate() : q).executeTakeFirst();
  if (!r) throw notFound('work_channel');
  return r;
}

export const channelNameTaken = async (db: Db, name: string, except?: string) =>
  !!(await db.selectFrom('workChannels').select('id').where('name', '=', name).$if(!!except, (q) => q.where('id', '<>', except!)).executeTakeFirst());

export async function insertChannel(db: Db, v: ChannelValues, now: Date): Promise<ChannelRow> {
  return db.insertInto('workChannels').values({ ...v, createdAt: now, updatedAt: now }).returningAll().executeTakeFirstOrThrow();
}

export async function updateChannel(db: Db, id: string, set: Partial<ChannelValues>, now: Date): Promise<ChannelRow> {
  return db.updateTable('workChannels').set({ ...set, updatedAt: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteChannel(db: Db, id: string): Promise<void> {
  await db.deleteFrom('workChannels').where('id', '=', id).execute();
}

/** The last delivery of each channel. */
export async function lastDeliveries(db: Db): Promise<Map<string, DeliveryRow>> {
  const rows = await db.selectFrom('workDeliveries').selectAll().distinctOn('channelId').orderBy('channelId').orderBy('createdAt', 'desc').orderBy('id', 'desc').execute();
  return new Map(rows.map((r) => [r.channelId, r]));
}

/** A delivery of an event to a channel; undefined when it exists already (a replayed job). */
export async function insertDelivery(db: Db, d: { historyId: string; channelId: string; event: string; payload: unknown }, now: Date): Promise<string | undefined> {
  const r = await db.insertInto('workDeliveries').values({ ...d, payload: JSON.stringify(d.payload), lastError: null, responseStatus: null, sentAt: null, createdAt: now, updatedAt: now })
    .onConflict((oc) => oc.columns(['historyId', 'channelId']).doNothing()).returning('id').executeTakeFirst();
  return r?.id;
}

/** A delivery with its channel, for the job that sends it. */
export async function deliveryToSend(db: Db, id: string) {
  if (!uuidLike.test(id)) return undefined;
  return db.selectFrom('workDeliveries').innerJoin('workChannels', 'workChannels.id', 'workDeliveries.channelId')
    .select(['workDeliveries.id', 'workDeliveries.event', 'workDeliveries.payload', 'workDeliveries.status', 'workChannels.kind', 'workChannels.url', 'workChannels.secretSealed'])
    .where('workDeliveries.id', '=', id).executeTakeFirst();
}

export async function markDelivery(db: Db, id: string, r: { status: 'sent' | 'queued' | 'failed'; responseStatus: number | null; error: string | null }, now: Date): Promise<void> {
  await db.updateTable('workDeliveries').set((eb) => ({
    status: r.status, responseStatus: r.responseStatus, lastError: r.error?.slice(0, 2000) ?? null, attempts: eb('attempts', '+', 1), updatedAt: now,
    ...(r.status === 'sent' ? { sentAt: now } : {}),
  })).where('id', '=', id).execute();
}

const deliveries = (db: Db) => db.selectFrom('workDeliveries').innerJoin('workChannels', 'workChannels.id', 'workDeliveries.channelId')
  .innerJoin('workHistory', 'workHistory.id', 'workDeliveries.historyId').innerJoin('works', 'works.id', 'workHistory.workId');
const withNames = ['workChannels.name as channelName', 'workChannels.kind as channelKind', 'works.number as workNumber'] as const;

/** A delivery with its channel's name and its work's number. */
export async function findDelivery(db: Db, id: string) {
  const r = uuidLike.test(id) ? await deliveries(db).selectAll('workDeliveries').select([...withNames]).where('workDeliveries.id', '=', id).executeTakeFirst() : undefined;
  if (!r) throw notFound('work_delivery');
  return r;
}

/** Staff try a delivery again: queued once more. */
export async function requeueDelivery(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('workDeliveries').set({ status: 'queued', updatedAt: now }).where('id', '=', id).execute();
}

export async function listDeliveries(db: Db, query: ListQuery & { channelId?: string; status?: DeliveryRow['status'] }) {
  let base = deliveries(db);
  if (query.channelId) base = base.where('workDeliveries.channelId', '=', query.channelId);
  if (query.status) base = base.where('workDeliveries.status', '=', query.status);
  return paginate(
    base,
    {
      search: ['work_channels.name', 'work_deliveries.event', 'work_deliveries.last_error'],
      sorts: { createdAt: 'work_deliveries.created_at', status: 'work_deliveries.status', attempts: 'work_deliveries.attempts' },
      defaultSort: '-createdAt',
      idColumn: 'work_deliveries.id',
    },
    query,
    (q) => q.selectAll('workDeliveries').select([...withNames]),
  );
}
