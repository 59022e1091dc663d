// Works, the pure rules: which states each kind goes through, which moves are allowed, what a plan
// must say, the actual duration and whether the plan held, and the host's record over time.
import { AppError } from '../platform/errors.js';

export const workKinds = ['maintenance', 'evolution', 'incident'] as const;
export type WorkKind = (typeof workKinds)[number];
export const plannedStates = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export const incidentStates = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const workStates = [...plannedStates, ...incidentStates] as const;
export type WorkState = (typeof workStates)[number];

const finalStates: ReadonlySet<WorkState> = new Set(['done', 'cancelled', 'resolved']);
export const isFinal = (s: WorkState) => finalStates.has(s);

/** The longest planned duration: 30 days, in minutes. */
export const MAX_PLANNED_MINUTES = 30 * 24 * 60;

export const statesOf = (kind: WorkKind): readonly WorkState[] => (kind === 'incident' ? incidentStates : plannedStates);
export const firstState = (kind: WorkKind): WorkState => (kind === 'incident' ? 'investigating' : 'planned');

/** planned → in_progress → done, or cancelled before it ends. */
const plannedMoves: Record<string, readonly WorkState[]> = { planned: ['in_progress', 'cancelled'], in_progress: ['done', 'cancelled'] };

/** Refuses a move the kind does not allow; an incident moves freely between its open states and ends resolved. */
export function checkTransition(kind: WorkKind, from: WorkState, to: WorkState): void {
  if (!statesOf(kind).includes(to)) {
    throw new AppError('work.state_invalid', `a ${kind} has no state ${to} (its states: ${statesOf(kind).join(', ')})`, { params: { kind, state: to } });
  }
  if (isFinal(from)) throw new AppError('work.finished', `this work is ${from}: it can no longer change`, { params: { state: from } });
  const allowed = kind === 'incident' ? incidentStates.filter((s) => s !== from) : (plannedMoves[from] ?? []);
  if (!allowed.includes(to)) {
    throw new AppError('work.transition_refused', `a ${kind} cannot go from ${from} to ${to}`, { params: { kind, from, to } });
  }
}

export interface Times {
  startedAt: Date | null;
  endedAt: Date | null;
}

/** The actual times after a move at `at` (≤ now): it starts when it leaves "planned", ends when it reaches a final state. */
export function timesAfter(state: WorkState, to: WorkState, times: Times, at: Date, now: Date): Times {
  if (at.getTime() > now.getTime()) throw new AppError('work.time_in_future', 'a state is reached now or in the past, not later', { params: { at: at.toISOString() } });
  // a planned work cancelled before it started has no actual times
  if (state === 'planned' && to === 'cancelled') return { startedAt: times.startedAt, endedAt: times.endedAt };
  const startedAt = times.startedAt ?? at;
  if (!isFinal(to)) return { startedAt, endedAt: null };
  if (at.getTime() < startedAt.getTime()) {
    throw new AppError('work.end_before_start', `it cannot end (${at.toISOString()}) before it started (${startedAt.toISOString()})`, {
      params: { start: startedAt.toISOString(), end: at.toISOString() },
    });
  }
  return { startedAt, endedAt: at };
}

/** A maintenance or an evolution is announced with its start and duration; an incident has no plan. */
export function checkPlan(kind: WorkKind, start: Date | null, minutes: number | null): void {
  if (kind === 'incident') {
    if (start || minutes) throw new AppError('work.plan_not_allowed', 'an incident is not planned: give when it started instead', {});
    return;
  }
  if (!start || !minutes) throw new AppError('work.plan_required', `a ${kind} is announced with its planned start and duration (minutes)`, { params: { kind } });
  if (minutes < 1 || minutes > MAX_PLANNED_MINUTES) {
    throw new AppError('work.plan_required', `the planned duration is 1 to ${MAX_PLANNED_MINUTES} minutes`, { params: { kind, max: MAX_PLANNED_MINUTES } });
  }
}

/** A work names what it affects: the whole platform, server roles or servers. */
export function checkAffects(a: { platform: boolean; roles: string[]; servers: string[] }): void {
  if (!a.platform && !a.roles.length && !a.servers.length) {
    throw new AppError('work.affects_nothing', 'say what the work affects: the platform, server roles or servers', {});
  }
}

const minutes = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 60_000);

export interface Timed {
  state: WorkState;
  plannedMinutes: number | null;
  startedAt: Date | null;
  endedAt: Date | null;
}

/** Minutes it actually lasted (finished works that started), or null. */
export const actualMinutes = (w: Timed): number | null => (w.startedAt && w.endedAt ? minutes(w.startedAt, w.endedAt) : null);

/** Whether a finished planned work held within its planned duration (null: not planned, not finished, or cancelled). */
export function heldPlan(w: Timed): boolean | null {
  const actual = actualMinutes(w);
  if (w.state !== 'done' || actual === null || w.plannedMinutes === null) return null;
  return actual <= w.plannedMinutes;
}

export interface RecordMonth {
  month: string;
  finished: number;
  held: number;
}

export interface WorkRecord {
  finished: number;
  held: number;
  /** held / finished, null when nothing finished yet */
  share: number | null;
  /** per month of the end (UTC), oldest first */
  months: RecordMonth[];
}

/** The host's record: of the planned works done, how many held within their planned duration, overall and per month. */
export function recordOf(works: Timed[]): WorkRecord {
  const months = new Map<string, RecordMonth>();
  let finished = 0;
  let held = 0;
  for (const w of works) {
    const h = heldPlan(w);
    if (h === null) continue;
    const month = w.endedAt!.toISOString().slice(0, 7);
    const m = months.get(month) ?? { month, finished: 0, held: 0 };
    m.finished++;
    finished++;
    if (h) (m.held++, held++);
    months.set(month, m);
  }
  return { finished, held, share: finished ? held / finished : null, months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)) };
}
