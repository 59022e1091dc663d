// The verbs of works that change them (staff only): announce, change (the plan's moves are kept),
// tell an update (which may move the state: start, end, cancel, an incident's next stage). Each
// runs in change() with its audit entry; the public page is exported again after the commit.
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { change, type Change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { checkAffects, checkPlan, checkTransition, firstState, timesAfter } from './rules.js';
import type { WorkInput, WorkPatch, WorkRow, WorkUpdateInput } from './model.js';
import { appendHistory, findWork, insertWork, resolveServers, updateWork, type WorkValues } from './store.js';
import { showWorkIn } from './operations-read.js';
import { tellAfterCommit } from './operations-notify.js';

export const WORKS_EXPORT_JOB = 'works.export';
/** Changes within this delay are exported together. */
const EXPORT_DEBOUNCE_MS = 1000;

const author = (c: Change) => c.actor?.email ?? c.caller.label ?? 'platform';

async function affectsOf(c: Change, a: { platform: boolean; roles: string[]; servers: string[] }) {
  checkAffects(a);
  const { ids, missing } = await resolveServers(c.db, a.servers);
  if (missing.length) throw new AppError('work.server_not_found', `no server ${missing.join(', ')}`, { params: { servers: missing.join(', ') } });
  return { affectsPlatform: a.platform, affectsRoles: [...new Set(a.roles)].sort(), affectsServers: ids };
}

/** The public page is exported again shortly after (several changes in a row, once). */
async function republish(c: Change) {
  await enqueueJob(c.db, { kind: WORKS_EXPORT_JOB, key: 'site', runAt: new Date(c.now.getTime() + EXPORT_DEBOUNCE_MS) }, c.now, c.afterCommit);
}

const auditView = (w: Partial<WorkValues>) => ({
  ...w,
  plannedStart: w.plannedStart?.toISOString() ?? w.plannedStart, startedAt: w.startedAt?.toISOString() ?? w.startedAt, endedAt: w.endedAt?.toISOString() ?? w.endedAt,
});

export function createWork(app: AppContext, caller: Caller, input: WorkInput) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const plannedStart = input.plannedStart ? new Date(input.plannedStart) : null;
    const plannedMinutes = input.plannedMinutes ?? null;
    checkPlan(input.kind, plannedStart, plannedMinutes);
    const state = firstState(input.kind);
    const times = input.kind === 'incident' ? timesAfter('investigating', 'investigating', { startedAt: null, endedAt: null }, input.startedAt ? new Date(input.startedAt) : c.now, c.now) : { startedAt: null, endedAt: null };
    const values: WorkValues = {
      kind: input.kind, state, titleFr: input.title.fr, titleEn: input.title.en, textFr: input.text.fr, textEn: input.text.en,
      ...(await affectsOf(c, input.affects)), plannedStart, plannedMinutes, ...times,
    };
    const id = await insertWork(c.db, values, c.now);
    const event = await appendHistory(c.db, {
      workId: id, at: c.now, author: author(c), event: 'created', state, previousState: null, plannedStart, plannedMinutes,
      previousStart: null, previousMinutes: null, textFr: '', textEn: '',
    });
    await tellAfterCommit(c, event);
    const work = await findWork(c.db, id);
    await c.audit({ action: 'work.create', targetType: 'work', targetId: id, target: `#${work.number}`, after: auditView(values) });
    await republish(c);
    return showWorkIn(c.db, c.caller, work);
  });
}

export function changeWork(app: AppContext, caller: Caller, ref: string, patch: WorkPatch) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const before = await findWork(c.db, ref, null, { lock: true });
    const set: Partial<WorkValues> = {
      ...(patch.title ? { titleFr: patch.title.fr, titleEn: patch.title.en } : {}),
      ...(patch.text ? { textFr: patch.text.fr, textEn: patch.text.en } : {}),
      ...(patch.affects ? await affectsOf(c, patch.affects) : {}),
    };
    const plannedStart = patch.plannedStart ? new Date(patch.plannedStart) : before.plannedStart;
    const plannedMinutes = patch.plannedMinutes ?? before.plannedMinutes;
    const moved = plannedStart?.getTime() !== before.plannedStart?.getTime() || plannedMinutes !== before.plannedMinutes;
    if (moved) {
      // once started, the plan stays as announced: planned and actual durations are compared
      if (before.state !== 'planned') throw new AppError('work.started', `this work is ${before.state}: its plan stays as announced`, { params: { state: before.state } });
      checkPlan(before.kind, plannedStart, plannedMinutes);
      Object.assign(set, { plannedStart, plannedMinutes });
      const event = await appendHistory(c.db, {
        workId: before.id, at: c.now, author: author(c), event: 'plan', state: before.state, previousState: before.state, plannedStart, plannedMinutes,
        previousStart: before.plannedStart, previousMinutes: before.plannedMinutes, textFr: patch.note?.fr ?? '', textEn: patch.note?.en ?? '',
      });
      await tellAfterCommit(c, event);
    } else if (patch.note && (patch.note.fr || patch.note.en)) {
      await tellAfterCommit(c, await appendHistory(c.db, noteOf(c, before, patch.note)));
    }
    await updateWork(c.db, before.id, set, c.now);
    const pick = (w: Partial<WorkValues>) => Object.fromEntries(Object.keys(set).map((k) => [k, w[k as keyof WorkValues]]));
    await c.audit({ action: 'work.update', targetType: 'work', targetId: before.id, target: `#${before.number}`, before: auditView(pick(before)), after: auditView(set) });
    await republish(c);
    return showWorkIn(c.db, c.caller, await findWork(c.db, before.id));
  });
}

const noteOf = (c: Change, w: WorkRow, text: { fr: string; en: string }) => ({
  workId: w.id, at: c.now, author: author(c), event: 'note' as const, state: w.state, previousState: w.state, plannedStart: null, plannedMinutes: null,
  previousStart: null, previousMinutes: null, textFr: text.fr, textEn: text.en,
});

/** A dated update: text told to everyone it affects, and/or the state it reaches (with the actual times). */
export function addWorkUpdate(app: AppContext, caller: Caller, ref: string, input: WorkUpdateInput) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const w = await findWork(c.db, ref, null, { lock: true });
    const text = input.text ?? { fr: '', en: '' };
    if (!input.state && !text.fr && !text.en) throw new AppError('work.update_empty', 'an update tells something (text) or moves the state', {});
    const at = input.at ? new Date(input.at) : c.now;
    if (!input.state) {
      if (at.getTime() > c.now.getTime()) throw new AppError('work.time_in_future', 'an update is dated now or in the past', { params: { at: at.toISOString() } });
      await tellAfterCommit(c, await appendHistory(c.db, { ...noteOf(c, w, text), at }));
      await updateWork(c.db, w.id, {}, c.now);
      await c.audit({ action: 'work.note', targetType: 'work', targetId: w.id, target: `#${w.number}`, after: { text } });
    } else {
      checkTransition(w.kind, w.state, input.state);
      const times = timesAfter(w.state, input.state, w, at, c.now);
      await updateWork(c.db, w.id, { state: input.state, ...times }, c.now);
      const event = await appendHistory(c.db, {
        workId: w.id, at, author: author(c), event: 'state', state: input.state, previousState: w.state, plannedStart: null, plannedMinutes: null,
        previousStart: null, previousMinutes: null, textFr: text.fr, textEn: text.en,
      });
      await tellAfterCommit(c, event);
      await c.audit({ action: 'work.state', targetType: 'work', targetId: w.id, target: `#${w.number}`, before: { state: w.state }, after: { state: input.state, ...auditView(times), text } });
    }
    await republish(c);
    return showWorkIn(c.db, c.caller, await findWork(c.db, w.id));
  });
}
