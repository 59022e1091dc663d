// Pure rules of scheduled tasks: the schedule (parsed by rules.ts), the command, the time limit and
// the quota per hosting (both bounded by the offer: maxCronTasks, cronMaxRunSeconds), how many runs are kept, and which tasks are due between two instants (the
// agent's scheduler asks this; tests give the instants).
import { AppError, fieldError } from '../platform/errors.js';
import type { OfferRow } from '../offers/model.js';
import { nextRun, parseSchedule, ScheduleError, type Schedule } from './rules.js';

/** A command line of at most this many characters (bash -c). */
export const MAX_COMMAND = 4096;
/** Time limit bounds, in seconds (the offer's cronMaxRunSeconds bounds it further). */
export const MIN_TIME_LIMIT = 1;
export const MAX_TIME_LIMIT = 86_400;
/** A new task's time limit when it gives none (or the offer's cronMaxRunSeconds when lower). */
export const DEFAULT_TIME_LIMIT = 300;
/** Runs kept per task: older ones are deleted when a new one is recorded. */
export const KEPT_RUNS = 20;
/** Output kept per run (the agent truncates beyond and says so). */
export const MAX_RUN_OUTPUT = 64 * 1024;

/** The schedule, trimmed and with single spaces, or a field error telling what is wrong. */
export function normaliseSchedule(raw: string, at = 'body.schedule'): string {
  const text = raw.trim().split(/\s+/).join(' ');
  try {
    parseSchedule(text);
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    throw fieldError('cron_task.schedule_invalid', at, `schedule "${raw}": ${e.message}`, { schedule: raw, reason: e.message });
  }
  return text;
}

/** The command: not blank, one line without control characters (tabs allowed), well-formed, at most MAX_COMMAND characters. */
export function checkCommand(raw: string, at = 'body.command'): string {
  const command = raw.trim();
  const reason = !command ? 'must not be blank'
    : command.length > MAX_COMMAND ? `must be at most ${MAX_COMMAND} characters`
    : /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/.test(command) ? 'must be one line, without control characters'
    : /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(command) ? 'must be well-formed Unicode'
    : null;
  if (reason) throw fieldError('cron_task.command_invalid', at, `command: ${reason}`, { reason });
  return command;
}

type CronOffer = Pick<OfferRow, 'name' | 'maxCronTasks' | 'cronMaxRunSeconds'>;

/** A hosting's tasks stay within its offer's maxCronTasks. */
export function assertCronQuota(offer: CronOffer, used: number) {
  if (used + 1 > offer.maxCronTasks) {
    throw new AppError('quota.cron_tasks_exceeded', `the offer "${offer.name}" allows ${offer.maxCronTasks} scheduled task(s) per hosting`, {
      params: { offer: offer.name, max: offer.maxCronTasks, used },
    });
  }
}

/** The time limit asked for (or the default, lowered to the offer's bound), or a field error above the offer's cronMaxRunSeconds. */
export function timeLimitOf(offer: CronOffer, asked: number | undefined, at = 'body.timeLimit'): number {
  if (asked === undefined) return Math.min(DEFAULT_TIME_LIMIT, offer.cronMaxRunSeconds);
  if (asked > offer.cronMaxRunSeconds) {
    throw fieldError('cron_task.time_limit_exceeded', at, `the offer "${offer.name}" allows runs of at most ${offer.cronMaxRunSeconds} seconds`, {
      offer: offer.name, max: offer.cronMaxRunSeconds, asked,
    });
  }
  return asked;
}

/** The next run after an instant, or null (a schedule that never matches, e.g. 31 February). */
export function nextRunOf(schedule: string, after: Date): Date | null {
  return nextRun(parseSchedule(schedule), after);
}

export interface DueTask { id: string; schedule: string; enabled: boolean }

/**
 * The tasks due in (from, to]: an enabled task whose schedule has a time after `from` and at or
 * before `to`. A scheduler that woke late (the machine slept) runs each due task once, not once per
 * missed minute, as cron does.
 */
export function dueTasks<T extends DueTask>(tasks: T[], from: Date, to: Date, parsed = new Map<string, Schedule>()): T[] {
  return tasks.filter((t) => {
    if (!t.enabled) return false;
    let s = parsed.get(t.schedule);
    if (!s) parsed.set(t.schedule, (s = parseSchedule(t.schedule)));
    const next = nextRun(s, from);
    return next !== null && next.getTime() <= to.getTime();
  });
}
