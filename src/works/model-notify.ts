// Telling people about works: API schemas of the e-mail preferences (each user's own), of the
// channels the staff configure (webhooks, Mastodon accounts: their secret is written, never read
// back) and of their deliveries.
import { z } from 'zod';
import { listQuery } from '../platform/http/list.js';
import { reference, singleLine } from '../platform/validation.js';
import { noticeChoices, noticeKinds } from './rules-notify.js';

export const workNoticesIn = z.strictObject({
  receive: z.enum(noticeChoices).describe('all (every work affecting my hostings) · incidents (only incidents) · none'),
});
export const workNoticesOut = z.object({
  receive: z.enum(noticeChoices),
  events: z.array(z.enum(noticeKinds)).describe('what an e-mail is sent for: announced, plan (moved), started, ended'),
});

/** An http(s) address without credentials in it (the secret goes apart). */
const address = z.string().trim().max(2000, 'must be at most 2000 characters').refine((s) => {
  if (!URL.canParse(s)) return false;
  const u = new URL(s);
  return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !/[\s\u0000-\u001f]/.test(s);
}, 'must be an http(s) address without user or password');

const secret = z.string().min(16, 'must be at least 16 characters').max(1000, 'must be at most 1000 characters')
  .refine((s) => !/[\s\u0000-\u001f\u007f]/.test(s), 'must not contain spaces or control characters');

export const workChannelKinds = ['webhook', 'mastodon'] as const;

export const workChannelCreate = z.strictObject({
  kind: z.enum(workChannelKinds).describe('webhook: POST of each event as signed JSON · mastodon: a status per event'),
  name: singleLine(100),
  url: address.describe('webhook: the address it posts to · mastodon: the instance (https://mastodon.example)'),
  secret: secret.describe('webhook: the shared secret of its signature · mastodon: the access token (scope write:statuses). Never shown again'),
  locale: z.enum(['fr', 'en']).default('en').describe('mastodon: the language of its statuses (webhooks carry both)'),
  enabled: z.boolean().default(true),
});

export const workChannelPatch = z.strictObject({
  name: singleLine(100).optional(),
  url: address.optional(),
  secret: secret.optional().describe('a new secret or token (the old one is forgotten)'),
  locale: z.enum(['fr', 'en']).optional(),
  enabled: z.boolean().optional(),
});

export const deliveryStatus = z.enum(['queued', 'sent', 'failed']);

export const workChannelOut = z.object({
  id: z.string(),
  kind: z.enum(workChannelKinds),
  name: z.string(),
  url: z.string(),
  locale: z.enum(['fr', 'en']),
  enabled: z.boolean(),
  secretSet: z.boolean().describe('the secret is kept sealed and never returned'),
  lastDelivery: z.object({ status: deliveryStatus, at: z.string(), lastError: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const workDeliveryOut = z.object({
  id: z.string(),
  channel: z.object({ id: z.string(), name: z.string(), kind: z.enum(workChannelKinds) }),
  workNumber: z.number().int(),
  event: z.enum(noticeKinds),
  status: deliveryStatus.describe('queued (waiting for its first or next attempt) · sent (answered 2xx) · failed (given up: see lastError)'),
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable().describe('the HTTP status of the last answer'),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export const workDeliveryListQuery = listQuery.extend({
  channel: reference(100).optional().describe('a channel by id or name'),
  status: deliveryStatus.optional(),
});

export type WorkChannelInput = z.output<typeof workChannelCreate>;
export type WorkChannelPatch = z.output<typeof workChannelPatch>;
