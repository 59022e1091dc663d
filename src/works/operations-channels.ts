// The channels told about works (staff): webhooks and Mastodon accounts, their secret sealed and
// never shown again, and their deliveries with the last error; a failed delivery may be tried again.
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { DELIVER_JOB } from './apply-deliver.js';
import type { WorkChannelInput, WorkChannelPatch } from './model-notify.js';
import type { NoticeKind } from './rules-notify.js';
import {
  channelNameTaken, deleteChannel, findChannel, findDelivery, requeueDelivery, insertChannel, lastDeliveries, listChannels, listDeliveries, updateChannel,
  type ChannelRow, type ChannelValues, type DeliveryRow,
} from './store-channels.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function channelView(r: ChannelRow, last: DeliveryRow | undefined) {
  return {
    id: r.id, kind: r.kind, name: r.name, url: r.url, locale: r.locale, enabled: r.enabled, secretSet: !!r.secretSealed,
    lastDelivery: last ? { status: last.status, at: iso(last.updatedAt)!, lastError: last.lastError } : null,
    createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)!,
  };
}

/** What the audit keeps of a channel: never its secret. */
const auditOf = (v: Partial<ChannelValues>) => {
  const { secretSealed, ...rest } = v;
  return { ...rest, ...(secretSealed ? { secret: '(changed)' } : {}) };
};

export async function listWorkChannels(app: AppContext, caller: Caller) {
  assertStaff(caller.actor);
  const [rows, last] = await Promise.all([listChannels(app.db), lastDeliveries(app.db)]);
  return rows.map((r) => channelView(r, last.get(r.id)));
}

const nameTaken = (name: string) => new AppError('work_channel.name_taken', `a channel is already named ${name}`, { params: { name } });

export function createWorkChannel(app: AppContext, caller: Caller, input: WorkChannelInput) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    if (await channelNameTaken(c.db, input.name)) throw nameTaken(input.name);
    const values: ChannelValues = { kind: input.kind, name: input.name, url: input.url, secretSealed: c.app.secrets().seal(input.secret), locale: input.locale, enabled: input.enabled };
    const row = await insertChannel(c.db, values, c.now);
    await c.audit({ action: 'work_channel.create', targetType: 'work_channel', targetId: row.id, target: row.name, after: auditOf(values) });
    return channelView(row, undefined);
  });
}

export function changeWorkChannel(app: AppContext, caller: Caller, ref: string, patch: WorkChannelPatch) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const before = await findChannel(c.db, ref, { lock: true });
    if (patch.name && (await channelNameTaken(c.db, patch.name, before.id))) throw nameTaken(patch.name);
    const { secret, ...rest } = patch;
    const set: Partial<ChannelValues> = { ...rest, ...(secret ? { secretSealed: c.app.secrets().seal(secret) } : {}) };
    const row = await updateChannel(c.db, before.id, set, c.now);
    await c.audit({ action: 'work_channel.update', targetType: 'work_channel', targetId: row.id, target: row.name, after: auditOf(set) });
    return channelView(row, (await lastDeliveries(c.db)).get(row.id));
  });
}

export function removeWorkChannel(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const before = await findChannel(c.db, ref, { lock: true });
    await deleteChannel(c.db, before.id);
    await c.audit({ action: 'work_channel.delete', targetType: 'work_channel', targetId: before.id, target: before.name, before: auditOf(before) });
  });
}

function deliveryView(r: DeliveryRow & { channelName: string; channelKind: ChannelRow['kind']; workNumber: number }) {
  return {
    id: r.id, channel: { id: r.channelId, name: r.channelName, kind: r.channelKind }, workNumber: r.workNumber, event: r.event as NoticeKind, status: r.status,
    attempts: r.attempts, responseStatus: r.responseStatus, lastError: r.lastError, createdAt: iso(r.createdAt)!, sentAt: iso(r.sentAt),
  };
}

export async function listWorkDeliveries(app: AppContext, caller: Caller, query: ListQuery & { channel?: string; status?: DeliveryRow['status'] }) {
  assertStaff(caller.actor);
  const channelId = query.channel ? (await findChannel(app.db, query.channel)).id : undefined;
  const page = await listDeliveries(app.db, { ...query, channelId });
  return { ...page, items: page.items.map(deliveryView) };
}

/** A failed or waiting delivery is tried again now, its attempts counted from zero (a sent one is not sent twice). */
export function retryWorkDelivery(app: AppContext, caller: Caller, id: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const d = await findDelivery(c.db, id);
    if (d.status === 'sent') throw new AppError('work_delivery.sent', 'this delivery was sent already', { params: { sentAt: iso(d.sentAt)! } });
    await requeueDelivery(c.db, d.id, c.now);
    await enqueueJob(c.db, { kind: DELIVER_JOB, key: d.id, runAt: c.now, resetAttempts: true }, c.now, c.afterCommit);
    await c.audit({ action: 'work_delivery.retry', targetType: 'work_delivery', targetId: d.id, target: `#${d.workNumber} → ${d.channelName}`, before: { status: d.status, attempts: d.attempts, lastError: d.lastError } });
    return deliveryView({ ...d, status: 'queued' });
  });
}
