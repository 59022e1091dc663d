// Schedules of scheduled tasks (pure): the five fields of crontab(5) — minute, hour, day of month,
// month, day of week — with `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`, month
// and day names (jan…dec, sun…sat; 7 is Sunday too), and @hourly, @daily (@midnight), @weekly,
// @monthly, @yearly (@annually). As Vixie cron: when both the day of month and the day of week are
// restricted, a day matching either runs. Times are UTC. @reboot and seconds are refused.

export interface Schedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** whether day of month / day of week were restricted (not `*`) */
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
] as const;

export class ScheduleError extends Error {}

function value(text: string, f: (typeof FIELDS)[number]): number {
  const names = 'names' in f ? (f.names as readonly string[]) : null;
  const named = names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + f.min;
  if (!/^\d{1,2}$/.test(text)) throw new ScheduleError(`${f.name}: "${text}" is not a number${names ? ' or a name' : ''}`);
  const n = Number(text);
  if (n < f.min || n > f.max) throw new ScheduleError(`${f.name}: ${n} is outside ${f.min}-${f.max}`);
  return n;
}

function field(text: string, f: (typeof FIELDS)[number]): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') throw new ScheduleError(`${f.name}: "${part}" is not a value, range or step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) < 1) throw new ScheduleError(`${f.name}: step "${stepText}" must be a number from 1`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [f.min, f.max];
    else if (range!.includes('-')) {
      const [a, b, more] = range!.split('-');
      if (more !== undefined) throw new ScheduleError(`${f.name}: "${range}" is not a range`);
      [lo, hi] = [value(a!, f), value(b!, f)];
      if (lo > hi) throw new ScheduleError(`${f.name}: the range ${range} goes backwards`);
    } else {
      lo = value(range!, f);
      hi = stepText === undefined ? lo : f.max; // "5/15": from 5, every 15
    }
    for (let n = lo; n <= hi; n += step) out.add(f.name === 'day of week' && n === 7 ? 0 : n);
  }
  return out;
}

/** Parses a schedule; throws ScheduleError (a reason in English) when it is not one. */
export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim();
  if (trimmed.length > 100) throw new ScheduleError('at most 100 characters');
  const expanded = trimmed.startsWith('@') ? MACROS[trimmed.toLowerCase()] : trimmed;
  if (!expanded) throw new ScheduleError(`"${trimmed}" is not one of ${Object.keys(MACROS).join(', ')}`);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) throw new ScheduleError(`five fields (minute hour day-of-month month day-of-week), not ${parts.length}`);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => field(p, FIELDS[i]!));
  return {
    minutes: minutes!,
    hours: hours!,
    days: days!,
    months: months!,
    weekdays: weekdays!,
    daysRestricted: parts[2] !== '*',
    weekdaysRestricted: parts[4] !== '*',
  };
}

function dayMatches(s: Schedule, d: Date): boolean {
  const dom = s.days.has(d.getUTCDate());
  const dow = s.weekdays.has(d.getUTCDay());
  if (s.daysRestricted && s.weekdaysRestricted) return dom || dow;
  return dom && dow;
}

/** The first minute strictly after `after` (UTC) when the schedule runs; null if none within 5 years (e.g. 31 feb). */
export function nextRun(s: Schedule, after: Date): Date | null {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!s.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
    } else if (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
    } else if (!s.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
    } else if (!s.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
    } else return t;
  }
  return null;
}
