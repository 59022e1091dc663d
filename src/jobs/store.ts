// Jobs in the database. A job is one row per (kind, key); the runner leases due rows with
// FOR UPDATE SKIP LOCKED, so several manager processes share the work and each run happens once.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import { prepared } from '../platform/db/prepared.js';
import type { JobRow, JobStatus } from './model.js';

export interface JobSpec {
  kind: string;
  key: string;
  payload?: Record<string, unknown>;
  /** when it should run at the latest (an earlier planned run is kept) */
  runAt: Date;
  /** recurring: "every 1h", "at 05:00 Europe/Paris" */
  schedule?: string | null;
  /** failures in a row start over (a person asked for it again) */
  resetAttempts?: boolean;
  /** a job already scheduled or running is left as it is (only a missing, done or failed one is scheduled) */
  unlessPlanned?: boolean;
}

/**
 * The statement that inserts a job never enqueued before (its key is new, say the id of a row the
 * same statement inserts): to run inside another statement (a CTE) rather than as one of its own.
 * Its values may be parameters of a prepared() statement.
 */
export const newJobSql = (kind: string, key: unknown, runAt: unknown, now: unknown): RawBuilder<unknown> =>
  sql`INSERT INTO jobs (kind, key, payload, schedule, run_at, created_at, updated_at) VALUES (${kind}, ${key}, '{}', NULL, ${runAt}, ${now}, ${now})`;

/**
 * Makes sure a job runs by `runAt`: created, or brought forward, or scheduled again after it was
 * done or failed. A running job keeps running and runs again afterwards (its generation goes up).
 */
export async function upsertJob(db: Db, spec: JobSpec, now: Date): Promise<void> {
  const payload = JSON.stringify(spec.payload ?? {});
  await db
    .insertInto('jobs')
    .values({ kind: spec.kind, key: spec.key, payload, schedule: spec.schedule ?? null, runAt: spec.runAt, createdAt: now, updatedAt: now })
    .onConflict((oc) => {
      const update = oc.columns(['kind', 'key']).doUpdateSet({
        ...(spec.payload ? { payload } : {}),
        ...(spec.schedule !== undefined ? { schedule: spec.schedule } : {}),
        status: sql`CASE WHEN jobs.status = 'running' THEN 'running' ELSE 'scheduled' END`,
        runAt: sql`CASE WHEN jobs.status = 'scheduled' THEN LEAST(jobs.run_at, ${spec.runAt}::timestamptz) ELSE ${spec.runAt}::timestamptz END`,
        ...(spec.resetAttempts ? { attempts: 0 } : {}),
        generation: sql`jobs.generation + 1`,
        updatedAt: now,
      });
      return spec.unlessPlanned ? update.where('jobs.status', 'in', ['done', 'failed']) : update;
    })
    .execute();
}

/** Nothing more to do for this job (unless it is running: its handler decides). */
export async function cancelJob(db: Db, kind: string, key: string, now: Date): Promise<void> {
  await db.updateTable('jobs').set({ status: 'done', updatedAt: now }).where('kind', '=', kind).where('key', '=', key).where('status', 'in', ['scheduled', 'failed']).execute();
}

/** A recurring job that must exist: created on first start, its schedule updated when it changed. */
export async function ensureRecurringJob(db: Db, kind: string, key: string, schedule: string, firstRun: Date, now: Date): Promise<void> {
  await db
    .insertInto('jobs')
    .values({ kind, key, schedule, runAt: firstRun, createdAt: now, updatedAt: now })
    .onConflict((oc) => oc.columns(['kind', 'key']).doUpdateSet({ schedule, runAt: firstRun, status: 'scheduled', updatedAt: now })
      .where(sql<boolean>`jobs.schedule IS DISTINCT FROM ${schedule} OR jobs.status IN ('done', 'failed')`))
    .execute();
}

/**
 * The kinds that have a job due now (as claimDue takes them), leaving out the `exclude`d jobs: one
 * statement for the runner's pass, which then leases only in those kinds (a transaction per
 * registered kind every second made most of an idle manager's database work).
 */
export async function dueKinds(db: Db, now: Date, exclude: string[] = []): Promise<Set<string>> {
  return new Set((await dueKindsQuery.all(db, { now, exclude })).map((r) => r.kind));
}

const dueKindsQuery = prepared((db, p: { now: Date; exclude: string[] }) =>
  db
    .selectFrom('jobs')
    .select('kind')
    .distinct()
    .where((eb) => eb.or([
      eb.and([eb('status', '=', 'scheduled'), eb('runAt', '<=', p.now)]),
      eb.and([eb('status', '=', 'running'), eb('leaseUntil', '<', p.now)]),
    ]))
    .where(sql<boolean>`NOT (id = ANY(${p.exclude}::uuid[]))`),
);

/**
 * Leases up to `limit` due jobs of a kind to `owner` until now + leaseMs: scheduled ones whose time
 * has come, and running ones whose lease ran out (their process died). Other processes skip the
 * rows this one is taking (SKIP LOCKED), so a job is never taken twice.
 */
export async function claimDue(db: Db, o: { kind: string; limit: number; owner: string; now: Date; leaseMs: number; exclude?: string[] }): Promise<JobRow[]> {
  if (o.limit <= 0) return [];
  return db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', o.kind)
      .where((eb) => eb.or([
        eb.and([eb('status', '=', 'scheduled'), eb('runAt', '<=', o.now)]),
        eb.and([eb('status', '=', 'running'), eb('leaseUntil', '<', o.now)]),
      ]));
    if (o.exclude?.length) q = q.where('id', 'not in', o.exclude);
    const due = await q.orderBy('runAt').limit(o.limit).forUpdate().skipLocked().execute();
    if (!due.length) return [];
    return trx
      .updateTable('jobs')
      .set({ status: 'running', leaseOwner: o.owner, leaseUntil: new Date(o.now.getTime() + o.leaseMs), lastRunAt: o.now, updatedAt: o.now })
      .where('id', 'in', due.map((r) => r.id))
      .returningAll()
      .execute();
  });
}

export type Finish =
  | { status: 'scheduled'; runAt: Date; attempts: number; lastError: string | null }
  | { status: 'done' | 'failed'; attempts: number; lastError: string | null }
  | { status: 'forget' };

/**
 * Ends a run this owner leased. When the job was asked for again during the run (its generation
 * moved), the request wins: it stays scheduled, at the earlier of both times.
 */
export async function finishJob(db: Db, job: Pick<JobRow, 'id' | 'generation'>, owner: string, f: Finish, now: Date): Promise<boolean> {
  if (f.status === 'forget') {
    const gone = await db.deleteFrom('jobs').where('id', '=', job.id).where('leaseOwner', '=', owner).where('generation', '=', job.generation).executeTakeFirst();
    if (Number(gone.numDeletedRows) > 0) return true;
    return finishJob(db, job, owner, { status: 'done', attempts: 0, lastError: null }, now);
  }
  const same = sql<boolean>`jobs.generation = ${job.generation}`;
  const runAt = f.status === 'scheduled'
    ? sql<Date>`CASE WHEN ${same} THEN ${f.runAt}::timestamptz ELSE LEAST(jobs.run_at, ${f.runAt}::timestamptz) END`
    : sql<Date>`CASE WHEN ${same} THEN ${now}::timestamptz ELSE jobs.run_at END`;
  const r = await db
    .updateTable('jobs')
    .set({
      status: sql`CASE WHEN ${same} THEN ${f.status} ELSE 'scheduled' END`,
      runAt,
      attempts: f.attempts,
      lastError: f.lastError?.slice(0, 4000) ?? null,
      leaseOwner: null,
      leaseUntil: null,
      updatedAt: now,
    })
    .where('id', '=', job.id)
    .where('leaseOwner', '=', owner)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function findJob(db: Db, id: string): Promise<JobRow> {
  const row = uuidLike.test(id) ? await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound('job');
  return row;
}

/** The jobs of one kind working on these keys, by key. */
export async function jobsByKey(db: Db, kind: string, keys: string[]): Promise<Map<string, JobRow>> {
  if (!keys.length) return new Map();
  const rows = await db.selectFrom('jobs').selectAll().where('kind', '=', kind).where('key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.key, r]));
}

/** Staff's "run it now": scheduled at `now`, failures in a row kept (they tell how it went). */
export async function scheduleNow(db: Db, id: string, now: Date): Promise<JobRow> {
  return db
    .updateTable('jobs')
    .set({ status: 'scheduled', runAt: now, generation: sql`generation + 1`, updatedAt: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The earliest planned run of these kinds (the runner's timer sleeps until then). */
export async function nextDue(db: Db, kinds: string[]): Promise<Date | null> {
  if (!kinds.length) return null;
  const r = await db.selectFrom('jobs').select((eb) => eb.fn.min('runAt').as('at')).where('status', '=', 'scheduled').where('kind', 'in', kinds).executeTakeFirst();
  return r?.at ? new Date(r.at as Date | string) : null;
}

export async function listJobs(db: Db, query: ListQuery & { kind?: string; status?: JobStatus }) {
  let base = db.selectFrom('jobs');
  if (query.kind) base = base.where('kind', '=', query.kind);
  if (query.status) base = base.where('status', '=', query.status);
  return paginate(
    base,
    {
      search: ['jobs.kind', 'jobs.key', 'jobs.status', 'jobs.last_error', 'jobs.schedule'],
      sorts: { runAt: 'jobs.run_at', updatedAt: 'jobs.updated_at', createdAt: 'jobs.created_at', kind: 'jobs.kind', status: 'jobs.status', attempts: 'jobs.attempts' },
      defaultSort: 'runAt',
      idColumn: 'jobs.id',
    },
    query,
    (q) => q.selectAll('jobs'),
  ) as Promise<{ items: JobRow[]; nextCursor: string | null; total: number }>;
}
