// The verbs of jobs, for staff: list them (with their last error), show one, run one again now.
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { assertStaff } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { jobView, type JobStatus } from './model.js';
import { findJob, listJobs, scheduleNow } from './store.js';
import { wakeRunners } from './runner.js';

export async function listJobsOf(app: AppContext, caller: Caller, query: ListQuery & { kind?: string; status?: JobStatus }) {
  assertStaff(caller.actor);
  const page = await listJobs(app.db, query);
  return { ...page, items: page.items.map(jobView) };
}

export async function showJob(app: AppContext, caller: Caller, id: string) {
  assertStaff(caller.actor);
  return jobView(await findJob(app.db, id));
}

/** Runs a job again now (a failed one gets one more attempt); a running one is left to finish. */
export function retryJob(app: AppContext, caller: Caller, id: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const job = await findJob(c.db, id);
    if (job.status === 'running') {
      throw new AppError('job.running', `this job is running (${job.leaseOwner}); it can be run again once it ends`, { params: { leaseOwner: job.leaseOwner } });
    }
    const after = await scheduleNow(c.db, job.id, c.now);
    await c.audit({ action: 'job.retry', targetType: 'job', targetId: job.id, target: `${job.kind} ${job.key}`, before: { status: job.status, runAt: job.runAt, attempts: job.attempts, lastError: job.lastError } });
    c.afterCommit.push(wakeRunners);
    return jobView(after);
  });
}
