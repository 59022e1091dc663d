// Sending a delivery (the "works.deliver" job, one per event and channel): the POST to a webhook,
// signed at the time of each attempt, or the status to a Mastodon instance, with the same
// Idempotency-Key at every attempt. An answer other than 2xx, or no answer, is tried again after
// 30 s, 2 min, 10 min, 30 min, 2 h, then every 6 h, ten attempts in all; staff see each delivery's
// state and last error, and may try a failed one again.
import type { JobContext, JobOutcome } from '../jobs/registry.js';
import { messageOf } from '../jobs/rules.js';
import { mastodonRequest, webhookRequest, type NoticeKind, type OutgoingRequest } from './rules-notify.js';
import { deliveryToSend, markDelivery } from './store-channels.js';

export const DELIVER_JOB = 'works.deliver';
export const DELIVERY_RETRY_MS = [30_000, 120_000, 600_000, 1_800_000, 7_200_000, 21_600_000];
export const DELIVERY_MAX_ATTEMPTS = 10;
/** how long an attempt may wait for the answer */
const TIMEOUT_MS = 15_000;

/** POSTs the request; the answer's status, or why there was none. */
export async function post(req: OutgoingRequest): Promise<{ status: number | null; error: string | null }> {
  try {
    const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text();
    return { status: res.status, error: res.ok ? null : `HTTP ${res.status}${text ? `: ${text.slice(0, 300)}` : ''}` };
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    return { status: null, error: cause ? `${messageOf(e)}: ${messageOf(cause)}` : messageOf(e) };
  }
}

export async function deliverOne(ctx: JobContext, maxAttempts: number): Promise<JobOutcome> {
  const { app, now } = ctx;
  const d = await deliveryToSend(app.db, ctx.job.key);
  if (!d) return { forget: true };
  if (d.status !== 'queued') return { done: true };
  const secret = app.secrets().open(d.secretSealed);
  const req = d.kind === 'webhook'
    ? webhookRequest(d.url, secret, d.payload, d.id, d.event as NoticeKind, now)
    : mastodonRequest(d.url, secret, d.payload as { status: string; language: string }, d.id);
  const { status, error } = await post(req);
  const final = error !== null && ctx.job.attempts + 1 >= maxAttempts;
  await markDelivery(app.db, d.id, { status: error === null ? 'sent' : final ? 'failed' : 'queued', responseStatus: status, error }, now);
  if (error === null) ctx.log.info({ delivery: d.id, kind: d.kind, status }, 'work event delivered');
  else ctx.log.warn({ delivery: d.id, kind: d.kind, error, final }, final ? 'work event not delivered: given up' : 'work event not delivered yet: will try again');
  if (error !== null && !final) throw new Error(error);
  return { done: true };
}
