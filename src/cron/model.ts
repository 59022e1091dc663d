// Scheduled tasks of hostings: API schemas and answer shapes.
import { z } from 'zod';
import { MAX_COMMAND, MAX_TIME_LIMIT, MIN_TIME_LIMIT } from './rules-tasks.js';

const command = z.string().min(1, 'must not be empty').max(MAX_COMMAND, `must be at most ${MAX_COMMAND} characters`)
  .describe('one bash command line, run as the hosting\'s user in its jail (the same as an SSH shell: PHP CLI, mysql, git…), starting in var/www of its home, e.g. "php var/www/cron.php"');
const schedule = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters')
  .describe('a crontab(5) schedule in UTC: five fields (minute hour day-of-month month day-of-week) with *, ranges, steps, lists and names, or @hourly, @daily, @weekly, @monthly, @yearly');
const timeLimit = z.number().int().min(MIN_TIME_LIMIT, `must be at least ${MIN_TIME_LIMIT} second`).max(MAX_TIME_LIMIT, `must be at most ${MAX_TIME_LIMIT} seconds`)
  .describe('seconds a run may last, at most the offer\'s cronMaxRunSeconds: it is killed (with everything it started) after that and marked timed out');

export const cronTaskCreate = z.strictObject({
  command,
  schedule,
  timeLimit: timeLimit.optional().describe('seconds a run may last, at most the offer\'s cronMaxRunSeconds; default 300 (or cronMaxRunSeconds when lower)'),
  enabled: z.boolean().default(true),
});

export const cronTaskPatch = z.strictObject({
  command: command.optional(),
  schedule: schedule.optional(),
  timeLimit: timeLimit.optional(),
  enabled: z.boolean().optional().describe('false: it no longer runs on its schedule ("run now" still runs it)'),
});

export const cronRunOut = z.object({
  id: z.string(),
  taskId: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  exitCode: z.number().int().nullable().describe('null when it was killed (timed out or by a signal)'),
  timedOut: z.boolean(),
  output: z.string().describe('standard output and error, interleaved, up to 64 KiB'),
  truncated: z.boolean().describe('the output was longer and is cut'),
  requested: z.boolean().describe('a "run now", not a scheduled run'),
  stoppedBy: z.enum(['time_limit', 'memory', 'processes', 'cpu_time', 'file_size']).nullable()
    .describe('the limit that stopped it: its time limit, its memory, its number of processes, the CPU time or the file size of one of its processes; null when none did'),
});

export const cronTaskOut = z.object({
  id: z.string(),
  hostingId: z.string(),
  hostingName: z.string(),
  command: z.string(),
  schedule: z.string(),
  timeLimit: z.number().int(),
  enabled: z.boolean(),
  nextRunAt: z.string().nullable().describe('the next scheduled run (UTC), null when disabled or the schedule never matches'),
  runRequests: z.number().int().describe('how many "run now" were asked for'),
  lastRun: cronRunOut.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type CronTaskView = z.infer<typeof cronTaskOut>;
export type CronRunView = z.infer<typeof cronRunOut>;

export interface CronTaskRow {
  id: string; hostingId: string; hostingName: string; hostingStatus: string; customerId: string; serverId: string | null;
  command: string; schedule: string; timeLimit: number; enabled: boolean; runRequests: number; revision: number | string;
  createdAt: Date | string; updatedAt: Date | string;
}

export interface CronRunRow {
  id: string; taskId: string; startedAt: Date | string; endedAt: Date | string; exitCode: number | null;
  timedOut: boolean; output: string; truncated: boolean; requested: boolean; stoppedBy?: CronRunView['stoppedBy'];
}

const iso = (d: Date | string) => new Date(d).toISOString();

export const cronRunView = (r: CronRunRow): CronRunView => ({
  id: r.id, taskId: r.taskId, startedAt: iso(r.startedAt), endedAt: iso(r.endedAt), exitCode: r.exitCode,
  timedOut: r.timedOut, output: r.output, truncated: r.truncated, requested: r.requested, stoppedBy: r.stoppedBy ?? null,
});

export const cronTaskView = (t: CronTaskRow, next: Date | null, last: CronRunRow | undefined): CronTaskView => ({
  id: t.id,
  hostingId: t.hostingId,
  hostingName: t.hostingName,
  command: t.command,
  schedule: t.schedule,
  timeLimit: t.timeLimit,
  enabled: t.enabled,
  nextRunAt: t.enabled && next ? next.toISOString() : null,
  runRequests: t.runRequests,
  lastRun: last ? cronRunView(last) : null,
  createdAt: iso(t.createdAt),
  updatedAt: iso(t.updatedAt),
});
