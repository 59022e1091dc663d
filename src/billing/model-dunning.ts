// Dunning as the API shows it: its settings (staff), each invoice's dunning state with its next step
// and log (the invoice's customer and staff), pauses (staff).
import { z } from 'zod';
import { listQuery } from '../platform/http/list.js';
import { singleLine } from '../platform/validation.js';

const day = z.iso.date().describe('YYYY-MM-DD (UTC)');
const dayCount = z.number().int().min(1).max(730);

export const dunningSettingsFields = {
  enabled: z.boolean().describe('on: the hourly job reminds, suspends and terminates; off (the default): nothing is done'),
  reminderDays: z.array(dayCount).max(5).describe('days after an invoice\'s payment due date each reminder is e-mailed, increasing (default 7 and 15)'),
  suspendDay: dayCount.describe('days after the due date its hosting is suspended (default 30), after the last reminder'),
  terminateDay: dayCount.describe('days after the due date its hosting is terminated, files kept for the retention (default 60), after the suspension'),
};
export const dunningSettingsOut = z.object({ ...dunningSettingsFields, updatedAt: z.string() });
export const dunningSettingsPatch = z.strictObject({
  enabled: dunningSettingsFields.enabled.optional(), reminderDays: dunningSettingsFields.reminderDays.optional(),
  suspendDay: dunningSettingsFields.suspendDay.optional(), terminateDay: dunningSettingsFields.terminateDay.optional(),
});
export type DunningSettingsPatch = z.output<typeof dunningSettingsPatch>;

export const dunningSteps = ['reminder', 'suspension', 'termination'] as const;
export const dunningStates = ['none', 'reminded', 'suspended', 'terminated', 'paused', 'ended'] as const;

export const dunningOut = z.object({
  invoiceId: z.string(),
  number: z.string(),
  customerId: z.string(),
  hostingId: z.string().nullable(),
  hosting: z.string().nullable(),
  paymentDue: day,
  currency: z.string(),
  balanceCents: z.number().int(),
  daysLate: z.number().int().describe('days since the payment due date (negative: not due yet)'),
  state: z.enum(dunningStates).describe('none (no step yet) · reminded · suspended (its hosting, for non-payment) · terminated · paused (by staff, for the invoice or its customer) · ended (paid or credited)'),
  reminders: z.number().int().describe('reminders sent'),
  suspendedAt: z.string().nullable(),
  terminatedAt: z.string().nullable(),
  paused: z.object({ at: z.string(), by: z.string(), note: z.string(), customer: z.boolean().describe('the whole customer is paused') }).nullable(),
  ended: z.enum(['paid', 'credited']).nullable(),
  endedAt: z.string().nullable(),
  next: z.object({ step: z.enum(dunningSteps), reminder: z.number().int().nullable(), on: day }).nullable()
    .describe('the next step and the day it is planned, if the invoice stays unpaid and dunning is on (null: none)'),
});
export type DunningView = z.infer<typeof dunningOut>;

export const dunningEventOut = z.object({
  step: z.enum(['reminder', 'suspension', 'termination', 'unsuspension', 'paid', 'credited', 'paused', 'resumed']),
  reminder: z.number().int().nullable(),
  daysLate: z.number().int(),
  detail: z.string(),
  by: z.string(),
  at: z.string(),
});

export const dunningDetailOut = dunningOut.extend({
  enabled: z.boolean().describe('whether dunning is on for the platform'),
  events: z.array(dunningEventOut).describe('every step taken, oldest first'),
});

export const dunningListQuery = listQuery.extend({
  customerId: z.uuid().optional(),
  hostingId: z.uuid().optional(),
  open: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('true: not ended (still owed) · false: ended'),
});

export const dunningPause = z.strictObject({ note: singleLine(500, 0).default('').describe('why (staff see it; the customer sees that dunning is paused)') });
export const dunningPauseOut = z.object({ paused: z.boolean(), changed: z.boolean().describe('false: it was so already') });
