// Pure: recurring schedules and retry delays of jobs.
//
//   "every 90s" | "every 10m" | "every 1h" | "every 2d"   fixed interval, counted from the last planned run
//   "at 05:00"                                             daily, at that wall-clock time in the manager's
//                                                          time zone (the process's: TZ, else the system's)
//   "at 05:00 Europe/Paris"                                daily, in an explicit IANA time zone
//
// A daily time that does not exist one day (a DST jump forward) is moved forward by the jump (02:30
// becomes 03:30, as cron and Temporal do); one that happens twice (DST back) runs once, the first time.
import { AppError } from '../platform/errors.js';

export type Schedule =
  | { kind: 'every'; ms: number; text: string }
  | { kind: 'at'; hour: number; minute: number; timeZone: string; text: string };

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The process's time zone (what "at 05:00" without a zone means). */
export const localTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch (e) {
    // a RangeError is the answer "not a time zone"
    if (e instanceof RangeError) return false;
    throw e;
  }
}

export function parseSchedule(text: string): Schedule {
  const t = text.trim();
  const every = /^every (\d{1,6})([smhd])$/.exec(t);
  if (every) {
    const ms = Number(every[1]) * units[every[2]!]!;
    if (ms < 1000) throw invalidSchedule(text, 'an interval is at least 1s');
    return { kind: 'every', ms, text: t };
  }
  const at = /^at ([01]\d|2[0-3]):([0-5]\d)(?: ([A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){0,2}))?$/.exec(t);
  if (at) {
    const timeZone = at[3] ?? localTimeZone();
    if (!validZone(timeZone)) throw invalidSchedule(text, `unknown time zone ${timeZone}`);
    return { kind: 'at', hour: Number(at[1]), minute: Number(at[2]), timeZone, text: t };
  }
  throw invalidSchedule(text, 'use "every <n>s|m|h|d" or "at HH:MM [Area/City]"');
}

const invalidSchedule = (text: string, why: string) =>
  new AppError('job.schedule_invalid', `invalid job schedule "${text}": ${why}`, { params: { schedule: text } });

/** Wall-clock fields of an instant in a time zone. */
function wallClock(at: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Offset of the zone from UTC at an instant, in ms (Paris in winter: +3 600 000). */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/** The instant a wall-clock time of a day happens in a zone (the first if twice, moved forward by a gap if never). */
function instantOf(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  // two guesses around the offset cover the day of a DST change
  const candidates = [asUtc - offsetAt(asUtc - 86_400_000, timeZone), asUtc - offsetAt(asUtc + 86_400_000, timeZone)].sort((a, b) => a - b);
  for (const c of candidates) {
    const w = wallClock(c, timeZone);
    if (w.year === year && w.month === month && w.day === day && w.hour === hour && w.minute === minute) return c;
  }
  // the time does not exist that day (DST gap): the later guess is that time moved forward by the jump
  return candidates[1]!;
}

/**
 * The next planned run strictly after `now`. An interval counts from the previous planned run
 * (`previous`, when given): runs missed while the platform was down are not made up one by one.
 */
export function nextRun(schedule: Schedule, now: Date, previous?: Date | null): Date {
  const t = now.getTime();
  if (schedule.kind === 'every') {
    if (!previous) return new Date(t + schedule.ms);
    const p = previous.getTime();
    if (p > t) return new Date(p);
    return new Date(p + (Math.floor((t - p) / schedule.ms) + 1) * schedule.ms);
  }
  const today = wallClock(t, schedule.timeZone);
  for (let i = 0; i < 3; i++) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    const at = instantOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), schedule.hour, schedule.minute, schedule.timeZone);
    if (at > t) return new Date(at);
  }
  throw new Error(`no next run found for ${schedule.text}`);
}

/** Delay before retrying after the n-th failure in a row: delays[n-1], the last one repeating. */
export function retryDelay(delays: number[], failures: number): number {
  if (!delays.length) return 60_000;
  return delays[Math.min(Math.max(failures, 1), delays.length) - 1]!;
}
