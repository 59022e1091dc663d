// Pure rules of scheduled tasks: the schedule (parsed by rules.ts), the command, the time limit, the
// quota per hosting, how many runs are kept, and which tasks are due between two instants (the
// agent's scheduler asks this; tests give the instants).
import { AppError, fieldError } from '../platform/errors.js';
import { nextRun, parseSchedule, ScheduleError, type Schedule } from './rules.js';

/** A command line of at most this many characters (bash -c). */
export const MAX_COMMAND = 4096;
/** Time limit bounds, in seconds. */
export const MIN_TIME_LIMIT = 1;
export const MAX_TIME_LIMIT = 3600;
export const DEFAULT_TIME_LIMIT = 300;
/** Scheduled tasks per hosting (no offer field yet: the same figure for every offer). */
export const MAX_CRON_TASKS = 20;
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

export function assertCronQuota(used: number) {
  if (used + 1 > MAX_CRON_TASKS) {
    throw new AppError('quota.cron_tasks_exceeded', `a hosting has at most ${MAX_CRON_TASKS} scheduled tasks`, { params: { max: MAX_CRON_TASKS, used } });
  }
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
