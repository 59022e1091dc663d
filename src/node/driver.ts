// What a driver (web, edge, dns…) does with a desired state, and how results combine.
import type { DesiredState, ObjectProblem, ObjectReport, ObjectUsage } from './protocol.js';

export interface DriverResult {
  /** every object the driver handles, each with its own state: one object's error never names another */
  objects: ObjectReport[];
  /** a node-wide error (a service would not start, the node's own settings refused); staff see it on the server */
  error?: string;
  /** sizes measured during this apply (sent with the report) */
  usage?: ObjectUsage[];
}

export interface Driver {
  readonly name: string;
  /** whether the state concerns this driver (e.g. the server has the web role) */
  handles(state: DesiredState): boolean;
  /**
   * `repair` (the periodic pass, and the default): check everything against the machine. Without it
   * (a new revision), a driver may skip the parts whose input is the same as at its last successful apply.
   */
  reconcile(state: DesiredState, opts?: { repair?: boolean }): Promise<DriverResult>;
}

/** The report line of one object: `ok` (live, or rendered on a render-only node) unless it has a problem. */
export function objectState(kind: string, id: string, ok: 'live' | 'rendered', problem?: ObjectProblem | null): ObjectReport {
  return problem
    ? { kind, id, status: 'error', message: problem.message.slice(0, 4000), code: problem.code, params: problem.params }
    : { kind, id, status: ok, message: null, code: null };
}

/**
 * The objects of one kind a driver was sent, sorted out by `problemOf`: those it can serve (`valid`),
 * a problem for each other one, the report of them all, and `failAll` for a failure of the whole
 * apply (every object without a problem of its own gets that one).
 */
export function sortOut<T>(kind: string, want: T[], idOf: (o: T) => string, problemOf: (o: T) => ObjectProblem | null) {
  const problems = new Map<string, ObjectProblem>();
  const valid = want.filter((o) => {
    const problem = problemOf(o);
    if (problem) problems.set(idOf(o), problem);
    return !problem;
  });
  return {
    valid,
    problems,
    report: (ok: 'live' | 'rendered') => want.map((o) => objectState(kind, idOf(o), ok, problems.get(idOf(o)))),
    failAll: (problem: ObjectProblem) => {
      for (const o of want) if (!problems.has(idOf(o))) problems.set(idOf(o), problem);
    },
  };
}

/** An object whose value cannot be served as sent (render.invalid): which value, and why. */
export const invalid = (what: string, value: string, reason: string): ObjectProblem => ({
  code: 'render.invalid',
  params: { what, value, reason },
  message: `${what} ${JSON.stringify(value)}: ${reason}`,
});

/** A problem whose detail is a tool's output or an exception: kept short enough for a report. */
export const detailOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 2000);

const rank = { error: 3, rendered: 2, live: 1 } as const;

/** One report line per object: when several drivers report the same object, the worst state wins. */
export function mergeObjects(lists: ObjectReport[][]): ObjectReport[] {
  const out = new Map<string, ObjectReport>();
  for (const o of lists.flat()) {
    const key = `${o.kind}/${o.id}`;
    const prev = out.get(key);
    if (!prev || rank[o.status] > rank[prev.status]) out.set(key, o);
    else if (prev.status === 'error' && o.status === 'error' && o.message) out.set(key, { ...prev, message: `${prev.message}; ${o.message}`.slice(0, 4000) });
  }
  return [...out.values()];
}
