// How works are shown: rows → API views (the public page renders from the same views).
import { actualMinutes, heldPlan, isFinal } from './rules.js';
import type { WorkHistoryRow, WorkHistoryView, WorkRow, WorkSummary } from './model.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const plannedEndOf = (w: Pick<WorkRow, 'plannedStart' | 'plannedMinutes'>) =>
  w.plannedStart && w.plannedMinutes ? new Date(w.plannedStart.getTime() + w.plannedMinutes * 60_000) : null;

export function workSummary(w: WorkRow, names: Map<string, string>): WorkSummary {
  return {
    id: w.id,
    number: w.number,
    kind: w.kind,
    state: w.state,
    finished: isFinal(w.state),
    title: { fr: w.titleFr, en: w.titleEn },
    text: { fr: w.textFr, en: w.textEn },
    affects: { platform: w.affectsPlatform, roles: w.affectsRoles, servers: w.affectsServers.map((id) => ({ id, name: names.get(id) ?? null })) },
    plannedStart: iso(w.plannedStart),
    plannedMinutes: w.plannedMinutes,
    plannedEnd: iso(plannedEndOf(w)),
    startedAt: iso(w.startedAt),
    endedAt: iso(w.endedAt),
    actualMinutes: actualMinutes(w),
    heldPlan: heldPlan(w),
    createdAt: w.createdAt.toISOString(),
    updatedAt: w.updatedAt.toISOString(),
  };
}

/** One event of the history; the author is shown to the staff only. */
export const historyView = (h: WorkHistoryRow, withAuthor: boolean): WorkHistoryView => ({
  at: h.at.toISOString(),
  author: withAuthor ? h.author : null,
  event: h.event,
  state: h.state,
  previousState: h.previousState,
  plannedStart: iso(h.plannedStart),
  plannedMinutes: h.plannedMinutes,
  previousStart: iso(h.previousStart),
  previousMinutes: h.previousMinutes,
  text: { fr: h.textFr, en: h.textEn },
});
