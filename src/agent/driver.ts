// What a driver (web, edge, later dns…) does with a desired state, and how results combine.
import type { DesiredState, ObjectReport } from './protocol.js';

export interface DriverResult {
  objects: ObjectReport[];
  /** a node-wide error (validation failed, a service would not start); the previous config keeps serving */
  error?: string;
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

const rank = { error: 3, rendered: 2, live: 1 } as const;

/** One report line per object: when several drivers report the same object, the worst state wins. */
export function mergeObjects(lists: ObjectReport[][]): ObjectReport[] {
  const out = new Map<string, ObjectReport>();
  for (const o of lists.flat()) {
    const key = `${o.kind}/${o.id}`;
    const prev = out.get(key);
    if (!prev || rank[o.status] > rank[prev.status]) out.set(key, o);
    else if (prev.status === 'error' && o.status === 'error' && o.message) out.set(key, { ...prev, message: `${prev.message}; ${o.message}` });
  }
  return [...out.values()];
}
