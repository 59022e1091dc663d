// The platform's outgoing messages as staff see them: who, what, its state and last error, the
// message itself with the link it carries masked (the secret never leaves the database unsealed
// except towards the recipient's SMTP relay).
import { z } from 'zod';
import { listQuery } from '../platform/http/list.js';
import { maskLink, paramsOf, renderMessage, type Template } from './render-message.js';
import { describedTemplateName, templateName } from './templates.js';
import type { OutgoingMailRow } from './store.js';

export const mailStatus = z.enum(['queued', 'sent', 'failed']);

export const outgoingMailOut = z.object({
  id: z.string(),
  template: describedTemplateName(),
  locale: z.enum(['fr', 'en']),
  recipient: z.string(),
  subject: z.string(),
  status: mailStatus.describe('queued (waiting for its first or next attempt) · sent (accepted by the SMTP relay) · failed (refused for good: see lastError; staff may send it again)'),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  messageId: z.string().nullable().describe('the Message-ID the relay accepted'),
  userId: z.string().nullable(),
  customerId: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export const outgoingMailDetail = outgoingMailOut.extend({
  text: z.string().describe('the plain-text body, its link masked'),
});

export const outboxListQuery = listQuery.extend({
  status: mailStatus.optional(),
  template: templateName().optional(),
});

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The message rendered with its link masked: what staff may read. */
export function maskedMessage(row: OutgoingMailRow, publicUrl: string) {
  const template = row.template as Template;
  const params = paramsOf(template, row.params);
  const masked = (row.params as { linkMasked?: unknown }).linkMasked;
  return renderMessage(template, params as never, row.locale, typeof masked === 'string' ? masked : maskLink(`${publicUrl}/`));
}

export function outgoingMailView(row: OutgoingMailRow, publicUrl: string): z.infer<typeof outgoingMailOut> {
  return {
    id: row.id,
    template: row.template as Template,
    locale: row.locale,
    recipient: row.recipient,
    subject: maskedMessage(row, publicUrl).subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    messageId: row.messageId,
    userId: row.userId,
    customerId: row.customerId,
    createdAt: iso(row.createdAt)!,
    sentAt: iso(row.sentAt),
  };
}
