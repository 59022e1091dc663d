// A mailbox's out-of-office reply (Sieve vacation): what the API takes and answers. The texts are
// checked here (lengths, no control characters) and escaped by the renderer (render-sieve.ts):
// whatever a customer writes is sent literally, it never becomes Sieve code.
import { z } from 'zod';
import { multiLine, singleLine } from '../platform/validation.js';

/** How many days a sender waits before getting the reply again (Sieve vacation :days). */
export const VACATION_DAYS = 7;

const day = z.iso.date().describe('YYYY-MM-DD, inclusive, in UTC');

export const vacationPut = z.strictObject({
  enabled: z.boolean().describe('false: kept but not sent'),
  subject: singleLine(200).describe('the subject of the reply'),
  message: multiLine(5000).refine((s) => s.length > 0, 'must not be empty').describe('the text of the reply (plain text; line breaks kept)'),
  startsOn: day.nullable().optional().describe('the first day replies are sent (none: from now)'),
  endsOn: day.nullable().optional().describe('the last day replies are sent (none: until switched off)'),
});

export const vacationOut = z.object({
  mailboxId: z.string(),
  address: z.string(),
  enabled: z.boolean().describe('true: senders get the reply once per period (at most one every ' + VACATION_DAYS + ' days), never mailing lists, bounces or other automatic replies'),
  subject: z.string().describe('empty while none was ever set'),
  message: z.string(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  days: z.number().int().describe('a sender gets the reply at most once in this many days'),
  updatedAt: z.string().nullable(),
});

export type VacationInput = z.output<typeof vacationPut>;

export interface VacationRow { mailboxId: string; enabled: boolean; subject: string; message: string; startsOn: string | null; endsOn: string | null; updatedAt: Date | string }

export const vacationView = (mailboxId: string, address: string, v: VacationRow | null): z.infer<typeof vacationOut> => ({
  mailboxId, address, enabled: v?.enabled ?? false, subject: v?.subject ?? '', message: v?.message ?? '', startsOn: v?.startsOn ?? null, endsOn: v?.endsOn ?? null,
  days: VACATION_DAYS, updatedAt: v ? new Date(v.updatedAt).toISOString() : null,
});
