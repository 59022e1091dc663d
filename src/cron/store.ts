// Scheduled tasks of hostings and their last runs: rows.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import type { Stamp } from '../platform/store-revision.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import type { CronRunRow, CronTaskRow } from './model.js';

const base = (db: Db) => db.selectFrom('cronTasks').innerJoin('hostings', 'hostings.id', 'cronTasks.hostingId');

const columns = [
  'cronTasks.id', 'cronTasks.hostingId', 'hostings.name as hostingName', 'hostings.status as hostingStatus', 'hostings.customerId', 'hostings.serverId',
  'cronTasks.command', 'cronTasks.schedule', 'cronTasks.timeLimit', 'cronTasks.enabled', 'cronTasks.runRequests', 'cronTasks.revision',
  'cronTasks.createdAt', 'cronTasks.updatedAt',
] as const;

/** A task by id within the visible customers (null = all). */
export async function findCronTask(db: Db, ref: string, scope: string[] | null = null): Promise<CronTaskRow> {
  if (!uuidLike.test(ref) || (scope && !scope.length)) throw notFound('cron_task');
  let q = base(db).select([...columns]).where('cronTasks.id', '=', ref);
  if (scope) q = q.where('hostings.customerId', 'in', scope);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('cron_task');
  return row as CronTaskRow;
}

export async function listCronTasks(db: Db, hostingId: string, query: ListQuery) {
  return paginate(
    base(db).where('cronTasks.hostingId', '=', hostingId),
    {
      search: ['cron_tasks.command', 'cron_tasks.schedule'],
      sorts: { createdAt: 'cron_tasks.created_at', command: 'cron_tasks.command' },
      defaultSort: 'createdAt',
      idColumn: 'cron_tasks.id',
    },
    query,
    (q) => q.select([...columns]),
  ) as Promise<{ items: CronTaskRow[]; nextCursor: string | null; total: number }>;
}

export async function countCronTasks(db: Db, hostingId: string): Promise<number> {
  const r = await db.selectFrom('cronTasks').select(sql<number>`count(*)`.as('n')).where('hostingId', '=', hostingId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertCronTask(db: Db, t: { hostingId: string; command: string; schedule: string; timeLimit: number; enabled: boolean; now: Date }): Promise<string> {
  const { now, ...values } = t;
  const row = await db.insertInto('cronTasks').values({ ...values, createdAt: now, updatedAt: now }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCronTask(db: Db, id: string, set: { command?: string; schedule?: string; timeLimit?: number; enabled?: boolean }, now: Date): Promise<void> {
  await db.updateTable('cronTasks').set({ ...set, updatedAt: now }).where('id', '=', id).execute();
}

/** One more "run now": the agent runs the task when it sees the count grow. */
export async function requestCronRun(db: Db, id: string): Promise<void> {
  await db.updateTable('cronTasks').set({ runRequests: sql`run_requests + 1` }).where('id', '=', id).execute();
}

export async function deleteCronTask(db: Db, id: string): Promise<void> {
  await db.deleteFrom('cronTasks').where('id', '=', id).execute();
}

/** The last runs of a task, newest first. */
export async function runsOf(db: Db, taskId: string): Promise<CronRunRow[]> {
  return (await db.selectFrom('cronRuns').selectAll().where('taskId', '=', taskId).orderBy('startedAt', 'desc').orderBy('id').execute()) as CronRunRow[];
}

/** The newest run of each of these tasks. */
export async function lastRunsOf(db: Db, taskIds: string[]): Promise<Map<string, CronRunRow>> {
  if (!taskIds.length) return new Map();
  const rows = await db.selectFrom('cronRuns').selectAll().distinctOn('taskId').where('taskId', 'in', taskIds).orderBy('taskId').orderBy('startedAt', 'desc').execute();
  return new Map(rows.map((r) => [r.taskId, r as CronRunRow]));
}

/**
 * Records runs a web server reports (only for tasks of hostings on that server: a run of anything
 * else is ignored) and keeps the last `keep` of each task.
 */
export async function recordCronRuns(db: Db, serverId: string, runs: Array<Omit<CronRunRow, 'id'>>, keep: number): Promise<number> {
  if (!runs.length) return 0;
  const owned = await db.selectFrom('cronTasks').innerJoin('hostings', 'hostings.id', 'cronTasks.hostingId')
    .select('cronTasks.id').where('hostings.serverId', '=', serverId).where('cronTasks.id', 'in', [...new Set(runs.map((r) => r.taskId))]).execute();
  const ids = new Set(owned.map((r) => r.id));
  const mine = runs.filter((r) => ids.has(r.taskId));
  if (!mine.length) return 0;
  await db.insertInto('cronRuns').values(mine).execute();
  await sql`
    DELETE FROM cron_runs r USING (
      SELECT id, row_number() OVER (PARTITION BY task_id ORDER BY started_at DESC, id) AS n FROM cron_runs WHERE task_id IN (${sql.join([...ids])})
    ) old WHERE r.id = old.id AND old.n > ${keep}`.execute(db);
  return mine.length;
}

/** What a change to a task stamps: the task. */
export const cronStamps = (taskIds: string[]): Stamp[] => [{ table: 'cron_tasks', ids: taskIds }];
