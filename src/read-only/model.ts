// The read-only mode's API schemas and view.
import { z } from 'zod';
import { readOnlyAt, type ReadOnlyMode } from '../platform/read-only.js';
import { isoDate, multiLine } from '../platform/validation.js';

const message = multiLine(1000);

export const readOnlyIn = z.strictObject({
  enabled: z.boolean().describe('true: read-only (from startsAt, or now); false: writable again'),
  message: z.strictObject({ fr: message, en: message }).optional()
    .describe('what every page and every refused change tells, in French and English (needed to switch it on; kept when switching off without one)'),
  startsAt: isoDate.nullable().optional().describe('when it starts, by the platform\'s clock (null or left out: at once); before then pages announce it'),
});
export type ReadOnlyIn = z.output<typeof readOnlyIn>;

export const readOnlyOut = z.object({
  enabled: z.boolean().describe('switched on (active now, or from startsAt)'),
  active: z.boolean().describe('read-only now: customers change nothing, staff still do'),
  message: z.object({ fr: z.string(), en: z.string() }),
  startsAt: z.string().nullable().describe('when it starts (null: as soon as it was switched on)'),
  changedAt: z.string().nullable(),
  changedBy: z.string().nullable().describe('who switched it last (an e-mail, or "cli")'),
});

export const showReadOnly = (mode: ReadOnlyMode, now: Date): z.input<typeof readOnlyOut> => ({
  enabled: mode.enabled,
  active: readOnlyAt(mode, now),
  message: mode.message,
  startsAt: mode.startsAt?.toISOString() ?? null,
  changedAt: mode.changedAt?.toISOString() ?? null,
  changedBy: mode.changedBy,
});
