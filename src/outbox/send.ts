// Sending the platform's messages (the "outbox.send" job, one per message): through the SMTP relay of
// ABRI_SMTP_URL with nodemailer. A relay's 5xx answer is final (the message is failed at once, staff
// see why); a 4xx answer or a connection that fails is tried again later, up to MAX_ATTEMPTS.
import type { Transporter } from 'nodemailer';
import type { AppContext } from '../platform/context.js';
import type { SmtpSettings } from '../platform/config-smtp.js';
import type { JobContext, JobOutcome, JobRegistry } from '../jobs/registry.js';
import { carriesLink, paramsOf, renderMessage, type Template } from './render-message.js';
import { markAttemptFailed, markSent, messageToSend } from './store.js';
import { SEND_JOB } from './operations.js';

/** 30 s, 2 min, 10 min, 30 min, 2 h, then every 6 h: a day and a half in all */
const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 1_800_000, 7_200_000, 21_600_000];
export const MAX_ATTEMPTS = 8;

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/**
 * The transport of these settings. A relay on this machine is not asked for a certificate a public CA signed.
 * nodemailer is loaded with the first message sent, not at the manager's start.
 */
async function smtpTransport(s: SmtpSettings): Promise<Transporter> {
  const url = new URL(s.url);
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 25),
    secure: url.protocol === 'smtps:',
    requireTLS: s.requireTls,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    tls: { rejectUnauthorized: !LOOPBACK.has(url.hostname) },
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
}

/** A refusal the relay will repeat: its answer was 5xx. */
const permanent = (e: unknown) => {
  const code = (e as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

async function sendOne(ctx: JobContext, transport: () => Promise<Transporter>): Promise<JobOutcome> {
  const { app, now } = ctx;
  const row = await messageToSend(app.db, ctx.job.key);
  if (!row) return { forget: true };
  const template = row.template as Template;
  if (row.status === 'sent' || (carriesLink(template) && !row.linkSealed)) return { done: true };
  const params = paramsOf(template, row.params);
  const message = renderMessage(template, params as never, row.locale, row.linkSealed ? app.secrets().open(row.linkSealed) : '');
  const attachments = 'attachments' in params ? params.attachments : [];
  try {
    const info = await (await transport()).sendMail({ from: app.config.smtp.from, to: row.recipient, subject: message.subject, text: message.text, html: message.html, attachments });
    await markSent(app.db, row.id, info.messageId ?? null, now);
    ctx.log.info({ id: row.id, template, messageId: info.messageId }, 'platform e-mail sent');
    return { done: true };
  } catch (e) {
    const error = (e as Error).message;
    const final = permanent(e) || ctx.job.attempts + 1 >= MAX_ATTEMPTS;
    await markAttemptFailed(app.db, row.id, error, final, now);
    ctx.log.warn({ id: row.id, template, error, final }, final ? 'platform e-mail refused: given up' : 'platform e-mail not sent yet: will try again');
    if (final) return { done: true };
    throw e;
  }
}

export function registerOutboxJobs(registry: JobRegistry, app: AppContext): void {
  let cached: Promise<Transporter> | null = null;
  const transport = () => (cached ??= smtpTransport(app.config.smtp));
  registry.register({ kind: SEND_JOB, retryDelaysMs: RETRY_DELAYS_MS, maxAttempts: null, concurrency: 4, run: (ctx) => sendOne(ctx, transport) });
}
