// A service's lifecycle as the API shows it: a change of offer (its preview and what it issued), the
// end of a service (at term or early) and its cancellation.
import { z } from 'zod';
import { ref, singleLine } from '../platform/validation.js';
import { billingCycles } from '../offers/rules.js';
import { endModes } from './rules-lifecycle.js';

const day = z.iso.date().describe('YYYY-MM-DD (UTC)');
const offerSide = z.object({ offerId: z.string(), offer: z.string(), priceCents: z.number().int(), billingCycle: z.enum(billingCycles) });
const amounts = { totalExCents: z.number().int(), vatCents: z.number().int(), totalCents: z.number().int() };

export const offerChangeQuery = z.strictObject({ offer: ref.describe('the offer to move to (id or name)') });
export const offerChangeBody = z.strictObject({ offer: ref.describe('the offer to move to (id or name)') });

export const offerChangeOut = z.object({
  hostingId: z.string(),
  hosting: z.string(),
  from: offerSide,
  to: offerSide,
  currency: z.string(),
  changeDate: day.describe('today: the first day of the new offer'),
  dueDate: day.nullable().describe('the service\'s due date: it stays'),
  billed: z.boolean().describe('false: nothing to prorate (billing not set up, the service not billed yet, or its due date reached)'),
  credit: z
    .object({ invoice: z.string().describe('the invoice of the period in progress, credited in part'), unusedDays: z.number().int(), periodDays: z.number().int(), ...amounts })
    .nullable()
    .describe('the unused part of the period: each line × unusedDays ÷ periodDays, half up to the cent (amounts negative)'),
  charge: z
    .object({ periodStart: day, periodEnd: day.describe('the due date'), days: z.number().int(), cycleDays: z.number().int(), ...amounts })
    .nullable()
    .describe('the new offer from today to the due date: its price × days ÷ cycleDays (the days of its billing cycle ending on the due date), half up'),
  renewal: z
    .object({ invoice: z.string(), newTotalCents: z.number().int() })
    .nullable()
    .describe('the next period\'s renewal invoice, already issued: credited and issued again at the new price'),
  balanceCents: z.number().int().describe('charge + credit: what the change costs (negative: what it gives back) for the period in progress'),
  issued: z.array(z.object({ id: z.string(), number: z.string(), kind: z.enum(['invoice', 'credit_note']) })).describe('what the change issued (empty in a preview)'),
});
export type OfferChangeView = z.infer<typeof offerChangeOut>;

export const serviceEndBody = z.strictObject({
  mode: z.enum(endModes).describe('term: the hosting is terminated on its due date, nothing renewed (cancellable until then) · early ("résiliation par anticipation"): terminated tomorrow, nothing refunded'),
  reason: singleLine(500, 0).optional().describe('why (kept in the audit log)'),
});

export const serviceEnding = z
  .object({ on: day.describe('the day the hosting is terminated'), mode: z.enum(endModes), requestedAt: z.string() })
  .nullable()
  .describe('the end asked for this service (null: it renews)');
