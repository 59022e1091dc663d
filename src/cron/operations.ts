// The verbs of scheduled tasks: list, show, create, change, remove, "run now", and the runs of a
// task. Each change runs in change() (transaction, authorization, audit, revision): the hosting's
// web server gets a new revision and its agent's scheduler takes the tasks it now has.
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import type { Db } from '../platform/db/database.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting, type HostingRow } from '../hosting/store-hostings.js';
import { cronRunView, cronTaskView, type cronTaskCreate, type cronTaskPatch, type CronTaskRow } from './model.js';
import { findOffer } from '../offers/store.js';
import { assertCronQuota, checkCommand, nextRunOf, normaliseSchedule, timeLimitOf } from './rules-tasks.js';
import {
  countCronTasks, cronStamps, deleteCronTask, findCronTask, insertCronTask, lastRunsOf, listCronTasks, requestCronRun, runsOf, updateCronTask,
} from './store.js';

export type CronTaskInput = z.output<typeof cronTaskCreate>;
export type CronTaskPatch = z.output<typeof cronTaskPatch>;

async function views(db: Db, now: Date, rows: CronTaskRow[]) {
  const last = await lastRunsOf(db, rows.map((t) => t.id));
  return rows.map((t) => cronTaskView(t, nextRunOf(t.schedule, now), last.get(t.id)));
}

const auditView = (t: { command: string; schedule: string; timeLimit: number; enabled: boolean }) => ({ command: t.command, schedule: t.schedule, timeLimit: t.timeLimit, enabled: t.enabled });

async function lockedHosting(c: Change, ref: string): Promise<HostingRow> {
  const hosting = await findHosting(c.db, ref, customerScope(c.caller.actor), { lock: true });
  c.may(hostingSubject(hosting, 'cron_task'), 'manage');
  return hosting;
}

async function changed(c: Change, hosting: Pick<HostingRow, 'serverId'>, reason: string, taskId?: string) {
  if (!hosting.serverId) return;
  await c.bump(reason, [hosting.serverId], taskId ? cronStamps([taskId]) : []);
}

async function changedView(c: Change, id: string) {
  return (await views(c.db, c.now, [await findCronTask(c.db, id)]))[0]!;
}

export async function listCronTasksOf(app: AppContext, caller: Caller, hostingRef: string, query: ListQuery) {
  const hosting = await findHosting(app.db, hostingRef, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(hosting, 'cron_task'));
  const page = await listCronTasks(app.db, hosting.id, query);
  return { ...page, items: await views(app.db, app.clock.now(), page.items) };
}

async function readable(app: AppContext, caller: Caller, ref: string) {
  const t = await findCronTask(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(await findHosting(app.db, t.hostingId), 'cron_task'));
  return t;
}

export async function showCronTask(app: AppContext, caller: Caller, ref: string) {
  return (await views(app.db, app.clock.now(), [await readable(app, caller, ref)]))[0]!;
}

/** The last runs of a task, newest first (only the last few are kept). */
export async function listCronRuns(app: AppContext, caller: Caller, ref: string) {
  const t = await readable(app, caller, ref);
  const items = (await runsOf(app.db, t.id)).map(cronRunView);
  return { items, nextCursor: null, total: items.length };
}

export function createCronTask(app: AppContext, caller: Caller, hostingRef: string, input: CronTaskInput) {
  return change(app, caller, async (c) => {
    const hosting = await lockedHosting(c, hostingRef);
    if (!hosting.serverId) throw new AppError('cron_task.no_server', `${hosting.name} is on no web server yet: its tasks would have nowhere to run`, { params: { hosting: hosting.name } });
    const offer = await findOffer(c.db, hosting.offerId);
    const values = { command: checkCommand(input.command), schedule: normaliseSchedule(input.schedule), timeLimit: timeLimitOf(offer, input.timeLimit), enabled: input.enabled };
    assertCronQuota(offer, await countCronTasks(c.db, hosting.id));
    const id = await insertCronTask(c.db, { hostingId: hosting.id, ...values, now: c.now });
    await c.audit({ action: 'cron_task.create', targetType: 'cron_task', targetId: id, target: hosting.name, customerId: hosting.customerId, after: auditView(values) });
    await changed(c, hosting, `scheduled task of ${hosting.name} created`, id);
    return changedView(c, id);
  });
}

export function changeCronTask(app: AppContext, caller: Caller, ref: string, patch: CronTaskPatch) {
  return change(app, caller, async (c) => {
    const before = await findCronTask(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, before.hostingId);
    const set = {
      ...(patch.command !== undefined ? { command: checkCommand(patch.command) } : {}),
      ...(patch.schedule !== undefined ? { schedule: normaliseSchedule(patch.schedule) } : {}),
      ...(patch.timeLimit !== undefined ? { timeLimit: timeLimitOf(await findOffer(c.db, hosting.offerId), patch.timeLimit) } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
    };
    await updateCronTask(c.db, before.id, set, c.now);
    await c.audit({
      action: 'cron_task.update', targetType: 'cron_task', targetId: before.id, target: hosting.name, customerId: hosting.customerId,
      before: auditView(before), after: auditView({ ...before, ...set }),
    });
    await changed(c, hosting, `scheduled task of ${hosting.name} changed`, before.id);
    return changedView(c, before.id);
  });
}

/** Asks the hosting's web server to run the task once, now (even when disabled); the run shows in its runs. */
export function runCronTaskNow(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const t = await findCronTask(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, t.hostingId);
    await requestCronRun(c.db, t.id);
    await c.audit({ action: 'cron_task.run', targetType: 'cron_task', targetId: t.id, target: hosting.name, customerId: hosting.customerId, after: { command: t.command } });
    await changed(c, hosting, `scheduled task of ${hosting.name}: run now`, t.id);
    return changedView(c, t.id);
  });
}

export function removeCronTask(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const t = await findCronTask(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, t.hostingId);
    await deleteCronTask(c.db, t.id);
    await c.audit({ action: 'cron_task.delete', targetType: 'cron_task', targetId: t.id, target: hosting.name, customerId: hosting.customerId, before: auditView(t) });
    await changed(c, hosting, `scheduled task of ${hosting.name} removed`);
  });
}
