// Telling people about works. Each event of a work's history is told once, after the change that
// wrote it commits: the "works.notify" job (key: the event's id) queues the e-mail of each affected
// user who wants it (through the platform's outbox, once per event and user) and a delivery per
// enabled channel (webhook, Mastodon; once per event and channel), each sent by its own job. A
// replayed job inserts nothing new. Users choose what they receive (their own account only).
import type { AppContext } from '../platform/context.js';
import { systemCaller, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { enqueueJob } from '../jobs/enqueue.js';
import type { JobOutcome, JobRegistry } from '../jobs/registry.js';
import { queueNotice } from '../outbox/operations.js';
import { deliverOne, DELIVER_JOB, DELIVERY_MAX_ATTEMPTS, DELIVERY_RETRY_MS } from './apply-deliver.js';
import { mastodonStatus, noticeMail, webhookPayload, workNoticeMessage, type NoticeInput } from './render-notice.js';
import { mailed, noticeKinds, noticeOf, receives, type NoticeChoice } from './rules-notify.js';
import { enabledChannels, insertDelivery } from './store-channels.js';
import { historyEntry, noticeChoiceOf, noticeRecipients, setNoticeChoice } from './store-notify.js';
import { findWork, historyOf, serverNames } from './store.js';
import { historyView, workSummary } from './views.js';

export const NOTIFY_JOB = 'works.notify';

/** Called by the change that wrote an event of a history: it is told once the change commits. */
export async function tellAfterCommit(c: Change, historyId: string): Promise<void> {
  await enqueueJob(c.db, { kind: NOTIFY_JOB, key: historyId, runAt: c.now }, c.now, c.afterCommit);
}

/** What is told about an event: the work as the public page shows it, and the event. */
async function noticeInput(c: Change, historyId: string): Promise<(NoticeInput & { kind: string; workId: string }) | null> {
  const h = await historyEntry(c.db, historyId);
  if (!h) return null;
  const w = await findWork(c.db, h.workId);
  const [names, history] = await Promise.all([serverNames(c.db, w.affectsServers), historyOf(c.db, [w.id])]);
  const { works, publicUrl } = c.app.config;
  return {
    kind: w.kind, workId: w.id,
    work: { ...workSummary(w, names), history: history.get(w.id)!.map((x) => historyView(x, false)) },
    event: historyView(h, false), notice: noticeOf(h), panelUrl: publicUrl, site: { title: works.title, publicUrl: works.publicUrl },
  };
}

/** The "works.notify" job: the e-mails and deliveries of one event, queued once. */
export function tellEvent(app: AppContext, historyId: string): Promise<JobOutcome> {
  return change(app, systemCaller(NOTIFY_JOB), async (c) => {
    c.staffOnly();
    c.nothingToAudit(); // the messages and deliveries are their own record (outbox, deliveries)
    const input = await noticeInput(c, historyId);
    if (!input) return { forget: true };
    if (mailed(input.notice)) {
      for (const r of await noticeRecipients(c.db, input.workId)) {
        if (!receives(r.receive, input.work.kind)) continue;
        const params = noticeMail(r.locale, input, r.hostings);
        await queueNotice(c, { template: workNoticeMessage.name, locale: r.locale, to: r.email, params, dedupeKey: `work:${historyId}:${r.userId}`, userId: r.userId, customerId: r.customerId });
      }
    }
    for (const ch of await enabledChannels(c.db)) {
      const payload = ch.kind === 'webhook' ? webhookPayload(input, historyId) : mastodonStatus(ch.locale, input);
      const id = await insertDelivery(c.db, { historyId, channelId: ch.id, event: input.notice, payload }, c.now);
      if (id) await enqueueJob(c.db, { kind: DELIVER_JOB, key: id, runAt: c.now }, c.now, c.afterCommit);
    }
    return { done: true } as const;
  });
}

const noticesView = (receive: NoticeChoice) => ({ receive, events: noticeKinds.filter(mailed) });

/** What the caller receives by e-mail about works. */
export async function showWorkNotices(app: AppContext, caller: Caller) {
  const r = reader(app, caller);
  r.may({ what: 'work', customerId: null });
  return noticesView(await noticeChoiceOf(app.db, caller.actor!.userId));
}

export function setWorkNotices(app: AppContext, caller: Caller, receive: NoticeChoice) {
  return change(app, caller, async (c) => {
    c.ownAccount();
    const userId = c.actor!.userId;
    const before = await noticeChoiceOf(c.db, userId);
    await setNoticeChoice(c.db, userId, receive, c.now);
    await c.audit({ action: 'work_notices.update', targetType: 'user', targetId: userId, target: c.actor!.email, before: { receive: before }, after: { receive } });
    return noticesView(receive);
  });
}

export function registerWorkNoticeJobs(registry: JobRegistry, app: AppContext): void {
  registry.register({ kind: NOTIFY_JOB, retryDelaysMs: [5_000, 30_000, 300_000], maxAttempts: null, concurrency: 2, run: ({ job }) => tellEvent(app, job.key) });
  registry.register({ kind: DELIVER_JOB, retryDelaysMs: DELIVERY_RETRY_MS, maxAttempts: null, concurrency: 4, run: (ctx) => deliverOne(ctx, DELIVERY_MAX_ATTEMPTS) });
}
