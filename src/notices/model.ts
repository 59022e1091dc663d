// Notices: what a customer (or the staff) must be told about a change someone else made — a zone
// taken over by a customer who proved the domain, say. Durable, listed by the UI until read.
import { z } from 'zod';

export const noticeOut = z.object({
  id: z.string(),
  customerId: z.string().nullable().describe('the customer told; null for a notice to the staff'),
  kind: z.string().describe('stable code of what happened (zone.lost, zone.won…), to translate'),
  message: z.string().describe('English text'),
  params: z.record(z.string(), z.unknown()).describe('what a translation inserts into its sentence'),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  readBy: z.string().nullable().describe('who marked it read'),
});

export const noticeQuery = z.object({
  customerId: z.string().max(64).optional().describe('only this customer\'s notices (id or number)'),
  staff: z.enum(['true', 'false']).optional().describe('staff: only the notices to the staff (true) or to customers (false)'),
  unread: z.enum(['true', 'false']).optional().describe('only unread (true) or read (false) notices'),
});

export interface NoticeRow {
  id: string; customerId: string | null; kind: string; message: string; params: Record<string, unknown>;
  createdAt: Date | string; readAt: Date | string | null; readBy: string | null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export const noticeView = (n: NoticeRow): z.infer<typeof noticeOut> => ({
  id: n.id, customerId: n.customerId, kind: n.kind, message: n.message, params: n.params ?? {},
  createdAt: iso(n.createdAt)!, readAt: iso(n.readAt), readBy: n.readBy,
});
