// Works and their history in the database. History rows are only ever inserted (migration 0031
// refuses any UPDATE or DELETE of them).
import type { Selectable } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { WorkHistoryTable } from '../platform/db/schema-works.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import { affectsAny } from './store-affected.js';
import type { WorkHistoryRow, WorkRow } from './model.js';
import type { WorkKind, WorkState } from './rules.js';

const columns = [
  'works.id', 'works.number', 'works.kind', 'works.state', 'works.titleFr', 'works.titleEn', 'works.textFr', 'works.textEn',
  'works.affectsPlatform', 'works.affectsRoles', 'works.affectsServers', 'works.plannedStart', 'works.plannedMinutes',
  'works.startedAt', 'works.endedAt', 'works.createdAt', 'works.updatedAt',
] as const;

const date = (d: Date | string | null) => (d === null ? null : new Date(d));
const row = (r: Record<string, unknown>): WorkRow => ({
  ...(r as unknown as WorkRow),
  plannedStart: date(r.plannedStart as string | null), startedAt: date(r.startedAt as string | null), endedAt: date(r.endedAt as string | null),
  createdAt: date(r.createdAt as string)!, updatedAt: date(r.updatedAt as string)!,
});

/** Who may see which works: all (null), those affecting a live hosting of these customers, or of this hosting. */
export type WorkScope = null | { scope?: string[]; hostingId?: string };

/** A work by id or number, if the scope sees it. */
export async function findWork(db: Db, ref: string, scope: WorkScope = null, opts: { lock?: boolean } = {}): Promise<WorkRow> {
  const byNumber = /^\d{1,9}$/.test(ref);
  if (!byNumber && !uuidLike.test(ref)) throw notFound('work');
  let q = db.selectFrom('works').select([...columns]).where(byNumber ? 'works.number' : 'works.id', '=', byNumber ? Number(ref) : ref);
  if (scope) q = q.where(affectsAny(scope));
  const r = await (opts.lock ? q.forUpdate() : q).executeTakeFirst();
  if (!r) throw notFound('work');
  return row(r);
}

export async function listWorks(db: Db, scope: WorkScope, query: ListQuery & { kind?: WorkKind; state?: WorkState; open?: boolean }) {
  let base = db.selectFrom('works');
  if (scope) base = base.where(affectsAny(scope));
  if (query.kind) base = base.where('works.kind', '=', query.kind);
  if (query.state) base = base.where('works.state', '=', query.state);
  if (query.open !== undefined) base = base.where('works.state', query.open ? 'not in' : 'in', ['done', 'cancelled', 'resolved']);
  const page = await paginate(
    base,
    {
      search: ['works.title_fr', 'works.title_en'],
      sorts: { createdAt: 'works.created_at', number: 'works.number', updatedAt: 'works.updated_at' },
      defaultSort: '-number',
      idColumn: 'works.id',
    },
    query,
    (q) => q.select([...columns]),
  );
  return { ...page, items: page.items.map((r) => row(r)) };
}

/** Every work (the public page), newest first. */
export async function allWorks(db: Db): Promise<WorkRow[]> {
  return (await db.selectFrom('works').select([...columns]).orderBy('works.number', 'desc').execute()).map((r) => row(r));
}

/** The finished works the record counts. */
export async function doneWorks(db: Db): Promise<WorkRow[]> {
  return (await db.selectFrom('works').select([...columns]).where('works.state', '=', 'done').execute()).map((r) => row(r));
}

export type WorkValues = Omit<WorkRow, 'id' | 'number' | 'createdAt' | 'updatedAt'>;

export async function insertWork(db: Db, w: WorkValues, now: Date): Promise<string> {
  const r = await db.insertInto('works').values({ ...w, createdAt: now, updatedAt: now }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateWork(db: Db, id: string, set: Partial<WorkValues>, now: Date): Promise<void> {
  await db.updateTable('works').set({ ...set, updatedAt: now }).where('id', '=', id).execute();
}

/** Appends an event to a work's history; returns its id (the key of what is told about it). */
export async function appendHistory(db: Db, h: WorkHistoryRow): Promise<string> {
  const r = await db.insertInto('workHistory').values(h).returning('id').executeTakeFirstOrThrow();
  return String(r.id);
}

/** The history of these works, oldest first. */
export async function historyOf(db: Db, workIds: string[]): Promise<Map<string, WorkHistoryRow[]>> {
  const out = new Map<string, WorkHistoryRow[]>(workIds.map((id) => [id, []]));
  if (!workIds.length) return out;
  const rows = await db.selectFrom('workHistory').selectAll().where('workId', 'in', workIds).orderBy('id').execute();
  for (const r of rows) out.get(r.workId)!.push(historyRowOf(r));
  return out;
}

/** A row of work_history as the code sees it. */
export const historyRowOf = (r: Selectable<WorkHistoryTable>): WorkHistoryRow => ({
  workId: r.workId, at: date(r.at)!, author: r.author, event: r.event as WorkHistoryRow['event'], state: r.state as WorkState | null,
  previousState: r.previousState as WorkState | null, plannedStart: date(r.plannedStart), plannedMinutes: r.plannedMinutes,
  previousStart: date(r.previousStart), previousMinutes: r.previousMinutes, textFr: r.textFr, textEn: r.textEn,
});

/** Servers by id or name → their ids (the names not found are returned apart). */
export async function resolveServers(db: Db, refs: string[]): Promise<{ ids: string[]; missing: string[] }> {
  if (!refs.length) return { ids: [], missing: [] };
  const rows = await db.selectFrom('servers').select(['id', 'name'])
    .where((eb) => eb.or([eb('name', 'in', refs), ...(refs.some((r) => uuidLike.test(r)) ? [eb('id', 'in', refs.filter((r) => uuidLike.test(r)))] : [])]))
    .execute();
  const found = new Map<string, string>();
  for (const r of rows) (found.set(r.id, r.id), found.set(r.name, r.id));
  return { ids: [...new Set(refs.filter((r) => found.has(r)).map((r) => found.get(r)!))], missing: refs.filter((r) => !found.has(r)) };
}

/** Names of servers by id (a removed server has none). */
export async function serverNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('servers').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
