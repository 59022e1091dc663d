// Telling people about works, the pure rules: which notice an event of a work's history is, who
// receives it by e-mail (what each user chose), and the requests Abri sends to the channels the
// staff configured — a webhook signed like Stripe's (HMAC-SHA256 of "timestamp.body") and a
// Mastodon status (POST /api/v1/statuses with an Idempotency-Key).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WorkHistoryRow } from './model.js';
import { isFinal, type WorkKind } from './rules.js';

export const noticeKinds = ['announced', 'plan', 'started', 'ended', 'update'] as const;
export type NoticeKind = (typeof noticeKinds)[number];

export const noticeChoices = ['all', 'incidents', 'none'] as const;
export type NoticeChoice = (typeof noticeChoices)[number];

/** What an event of the history tells: announced, its plan moved, it started, it ended, or an update. */
export function noticeOf(h: Pick<WorkHistoryRow, 'event' | 'state' | 'previousState'>): NoticeKind {
  if (h.event === 'created') return 'announced';
  if (h.event === 'plan') return 'plan';
  if (h.event === 'state' && h.state && isFinal(h.state)) return 'ended';
  if (h.event === 'state' && h.previousState === 'planned') return 'started';
  return 'update';
}

/** E-mail tells the moments that matter (announced, moved, started, ended); updates go to the feeds and channels. */
export const mailed = (n: NoticeKind) => n !== 'update';

/** Whether a user who chose `choice` receives the e-mail of a work of this kind. */
export const receives = (choice: NoticeChoice, kind: WorkKind) => choice === 'all' || (choice === 'incidents' && kind === 'incident');

/** The name of the signature header of webhooks. */
export const SIGNATURE_HEADER = 'Abri-Signature';
/** How old a signed timestamp a receiver should accept (our own check, and what README advises). */
export const SIGNATURE_TOLERANCE_S = 300;

/** "t=<unix seconds>,v1=<hex HMAC-SHA256 of `${t}.${body}` with the secret>" */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** What a receiver does: the signature matches the body with this secret, and is recent enough. */
export function verifyWebhook(secret: string, body: string, header: string, now: Date, toleranceS = SIGNATURE_TOLERANCE_S): boolean {
  const parts = new Map(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(now.getTime() / 1000 - t) > toleranceS) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The POST of one event to a webhook: its JSON, signed at `at`. */
export function webhookRequest(url: string, secret: string, payload: unknown, deliveryId: string, event: NoticeKind, at: Date): OutgoingRequest {
  const body = JSON.stringify(payload);
  return {
    url,
    headers: {
      'content-type': 'application/json', 'user-agent': 'Abri-Webhook/1', 'abri-event': `work.${event}`, 'abri-delivery': deliveryId,
      [SIGNATURE_HEADER.toLowerCase()]: signWebhook(secret, body, at),
    },
    body,
  };
}

/** The longest status most Mastodon instances take. */
export const MASTODON_MAX_CHARS = 500;

/** The POST of a status to a Mastodon account: the same delivery never makes two statuses (Idempotency-Key). */
export function mastodonRequest(instanceUrl: string, token: string, status: { status: string; language: string }, deliveryId: string): OutgoingRequest {
  return {
    url: `${instanceUrl.replace(/\/+$/, '')}/api/v1/statuses`,
    headers: { 'content-type': 'application/json', 'user-agent': 'Abri/1', authorization: `Bearer ${token}`, 'idempotency-key': `abri-${deliveryId}` },
    body: JSON.stringify({ status: status.status, language: status.language, visibility: 'public' }),
  };
}

/** A text cut to `max` characters (code points), ending with "…" when cut. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
