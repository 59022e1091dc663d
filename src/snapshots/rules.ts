// When snapshots are due and which to keep (pure). Four scheduled kinds, in UTC (as scheduled tasks,
// src/cron/rules.ts): hourly (each hour, on the hour), daily (05:00), weekly (Sunday 07:00) and
// monthly (the 1st, 08:00). The slots are computed directly (the last one at or before an instant),
// not by walking a crontab minute by minute: a node that slept a year finds its missed slot at once.
// A snapshot is named after its kind and slot: `hourly-2026-12-01-1300`, `daily-2026-12-01`,
// `weekly-2026-11-29`, `monthly-2026-12-01`, and `latest-<kind>` names the newest of its kind.
// Snapshots asked for on demand are "manual" (`manual-2026-12-01-131502`, to the second), the
// newest MANUAL_KEPT kept. Those an in-place restore takes first, to undo it, are "safety"
// (`safety-2026-12-01-131502`), the newest SAFETY_KEPT kept (they never push out the manual ones).
import type { SnapshotCounts } from '../node/protocol-snapshots.js';

export const SCHEDULED_KINDS = ['hourly', 'daily', 'weekly', 'monthly'] as const;
export type ScheduledKind = (typeof SCHEDULED_KINDS)[number];
export const SNAPSHOT_KINDS = [...SCHEDULED_KINDS, 'manual', 'safety'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];
/** Snapshots taken on demand that a home keeps (the oldest beyond are deleted). */
export const MANUAL_KEPT = 3;
/** Snapshots taken before an in-place restore that a home keeps. */
export const SAFETY_KEPT = 5;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The last slot of `kind` at or before `t`. */
export function lastSlot(kind: ScheduledKind, t: Date): Date {
  const ms = t.getTime();
  switch (kind) {
    case 'hourly':
      return new Date(Math.floor(ms / HOUR) * HOUR);
    case 'daily': {
      const today = Math.floor(ms / DAY) * DAY + 5 * HOUR;
      return new Date(today <= ms ? today : today - DAY);
    }
    case 'weekly': {
      const midnight = Math.floor(ms / DAY) * DAY;
      const sunday = midnight - new Date(midnight).getUTCDay() * DAY + 7 * HOUR; // this week's Sunday 07:00
      return new Date(sunday <= ms ? sunday : sunday - 7 * DAY);
    }
    case 'monthly': {
      const first = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1, 8);
      return new Date(first <= ms ? first : Date.UTC(t.getUTCFullYear(), t.getUTCMonth() - 1, 1, 8));
    }
  }
}

/** The first slot of `kind` strictly after `t`. */
export function nextSlot(kind: ScheduledKind, t: Date): Date {
  const last = lastSlot(kind, t);
  if (kind === 'monthly') return new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1, 8));
  return new Date(last.getTime() + { hourly: HOUR, daily: DAY, weekly: 7 * DAY }[kind]);
}

export interface Slot {
  kind: ScheduledKind;
  at: Date;
}

/**
 * The snapshots due between two instants, `from` excluded and `to` included: of each kind, the last
 * slot in that interval only (slots missed while the node was down or asleep are taken once, not
 * once per missed slot). Nothing when `to` is not after `from`.
 */
export function dueSlots(from: Date, to: Date): Slot[] {
  if (to.getTime() <= from.getTime()) return [];
  return SCHEDULED_KINDS.map((kind) => ({ kind, at: lastSlot(kind, to) })).filter((s) => s.at.getTime() > from.getTime());
}

/** The soonest slot of any kind after `t`. */
export const nextDue = (t: Date): Date => new Date(Math.min(...SCHEDULED_KINDS.map((k) => nextSlot(k, t).getTime())));

const pad = (n: number) => String(n).padStart(2, '0');
const day = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** The directory name of a snapshot of `kind` for the slot `at`. */
export const snapshotName = (kind: SnapshotKind, at: Date): string =>
  kind === 'manual' || kind === 'safety' ? `${kind}-${day(at)}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`
  : kind === 'hourly' ? `hourly-${day(at)}-${pad(at.getUTCHours())}00` : `${kind}-${day(at)}`;

const NAME = /^(hourly|daily|weekly|monthly|manual|safety)-(\d{4})-(\d{2})-(\d{2})(?:-(\d{2})(\d{2})(\d{2})?)?$/;

/** The kind and slot of a name `snapshotName` gives, or null for any other name. */
export function parseSnapshotName(name: string): { kind: SnapshotKind; at: Date } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const kind = m[1] as SnapshotKind;
  const hour = m[5] !== undefined ? Number(m[5]) : { daily: 5, weekly: 7, monthly: 8, hourly: 0, manual: 0, safety: 0 }[kind];
  const at = new Date(Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]), hour, Number(m[6] ?? 0), Number(m[7] ?? 0)));
  return snapshotName(kind, at) === name ? { kind, at } : null; // 2026-02-31, a daily with an hour and such are not ours
}

/** The `latest-<kind>` link's name. */
export const latestName = (kind: SnapshotKind) => `latest-${kind}`;

/** Of the names given, those of snapshots beyond the counts (the oldest of each kind), to delete. */
export function toPrune(names: string[], counts: SnapshotCounts): string[] {
  const keep: Record<SnapshotKind, number> = { ...counts, manual: MANUAL_KEPT, safety: SAFETY_KEPT };
  const byKind = new Map<SnapshotKind, Array<{ name: string; at: number }>>();
  for (const name of names) {
    const s = parseSnapshotName(name);
    if (s) (byKind.get(s.kind) ?? byKind.set(s.kind, []).get(s.kind)!).push({ name, at: s.at.getTime() });
  }
  const out: string[] = [];
  for (const [kind, list] of byKind) {
    list.sort((a, b) => b.at - a.at); // newest first
    out.push(...list.slice(keep[kind]).map((s) => s.name));
  }
  return out.sort();
}

/** The newest snapshot of `kind` among `names`, or null. */
export function newestOf(names: string[], kind: SnapshotKind): string | null {
  let best: { at: Date } | null = null;
  let bestName: string | null = null;
  for (const name of names) {
    const s = parseSnapshotName(name);
    if (s?.kind === kind && (!best || s.at > best.at)) [best, bestName] = [s, name];
  }
  return bestName;
}

/** No snapshots at all for these counts. */
export const noSnapshots = (c: SnapshotCounts | undefined) => !c || SCHEDULED_KINDS.every((k) => c[k] === 0);
