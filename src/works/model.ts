// Works: API schemas, rows and views. A work's history is every event told about it, in order.
import { z } from 'zod';
import { listQuery } from '../platform/http/list.js';
import { isoDate, multiLine, reference, singleLine } from '../platform/validation.js';
import { serverRoles } from '../servers/rules.js';
import { MAX_PLANNED_MINUTES, workKinds, workStates, type WorkKind, type WorkState } from './rules.js';

const title = singleLine(200);
const text = multiLine(10000);
const bilingual = <T extends z.ZodType>(t: T) => z.strictObject({ fr: t, en: t });

const affects = z.strictObject({
  platform: z.boolean().default(false).describe('the whole platform: every hosting'),
  roles: z.array(z.enum(serverRoles)).max(serverRoles.length).default([]).describe('every server with one of these roles (edge and dns servers serve every hosting)'),
  servers: z.array(reference(64)).max(200).default([]).describe('servers by id or name'),
});

export const workCreate = z.strictObject({
  kind: z.enum(workKinds),
  title: bilingual(title),
  text: bilingual(text.default('')).default({ fr: '', en: '' }).describe('what it is and what customers will notice, in French and English'),
  affects,
  plannedStart: isoDate.optional().describe('maintenance, evolution: when it starts'),
  plannedMinutes: z.number().int().min(1, 'must be at least 1 minute').max(MAX_PLANNED_MINUTES).optional().describe('maintenance, evolution: how long it lasts, in minutes'),
  startedAt: isoDate.optional().describe('incident: when it began (default now)'),
});

export const workPatch = z.strictObject({
  title: bilingual(title).optional(),
  text: bilingual(text).optional(),
  affects: affects.optional(),
  plannedStart: isoDate.optional().describe('a new planned start: kept in the history ("moved from … to …")'),
  plannedMinutes: z.number().int().min(1, 'must be at least 1 minute').max(MAX_PLANNED_MINUTES).optional(),
  note: bilingual(text).optional().describe('why the plan changed, shown with it'),
});

export const workUpdateIn = z.strictObject({
  state: z.enum(workStates).optional().describe('the state it reaches (start, end, cancel, or an incident\'s next stage)'),
  at: isoDate.optional().describe('when (default now; never later than now)'),
  text: bilingual(text).optional().describe('what to tell, in French and English'),
});

export const workListQuery = listQuery.extend({
  kind: z.enum(workKinds).optional(),
  state: z.enum(workStates).optional(),
  open: z.enum(['true', 'false']).optional().describe('only works not finished (true) or finished (false)'),
});

const historyOut = z.object({
  at: z.string(),
  author: z.string().nullable().describe('who told it (staff only; null for customers)'),
  event: z.enum(['created', 'plan', 'state', 'note']),
  state: z.enum(workStates).nullable(),
  previousState: z.enum(workStates).nullable(),
  plannedStart: z.string().nullable(),
  plannedMinutes: z.number().int().nullable(),
  previousStart: z.string().nullable().describe('event plan: the start it was moved from'),
  previousMinutes: z.number().int().nullable(),
  text: bilingual(z.string()),
});

export const workSummaryOut = z.object({
  id: z.string(),
  number: z.number().int(),
  kind: z.enum(workKinds),
  state: z.enum(workStates),
  finished: z.boolean(),
  title: bilingual(z.string()),
  text: bilingual(z.string()),
  affects: z.object({ platform: z.boolean(), roles: z.array(z.string()), servers: z.array(z.object({ id: z.string(), name: z.string().nullable() })) }),
  plannedStart: z.string().nullable(),
  plannedMinutes: z.number().int().nullable(),
  plannedEnd: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  actualMinutes: z.number().int().nullable().describe('finished works: how long it actually lasted'),
  heldPlan: z.boolean().nullable().describe('done maintenances and evolutions: whether it lasted no longer than planned'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const workOut = workSummaryOut.extend({
  affected: z.object({
    hostings: z.number().int().describe('hostings it affects (the caller\'s own, for a customer)'),
    customers: z.number().int(),
    yours: z.array(z.object({ id: z.string(), name: z.string() })).describe('the affected hostings the caller sees (the first 100)'),
  }),
  history: z.array(historyOut),
});

export const workRecordOut = z.object({
  finished: z.number().int().describe('maintenances and evolutions done with a planned duration'),
  held: z.number().int().describe('those that lasted no longer than planned'),
  share: z.number().nullable().describe('held / finished; null when none finished yet'),
  months: z.array(z.object({ month: z.string(), finished: z.number().int(), held: z.number().int() })),
});

export type WorkInput = z.output<typeof workCreate>;
export type WorkPatch = z.output<typeof workPatch>;
export type WorkUpdateInput = z.output<typeof workUpdateIn>;
export type WorkView = z.infer<typeof workOut>;
export type WorkSummary = z.infer<typeof workSummaryOut>;
export type WorkHistoryView = z.infer<typeof historyOut>;

export interface WorkRow {
  id: string; number: number; kind: WorkKind; state: WorkState; titleFr: string; titleEn: string; textFr: string; textEn: string;
  affectsPlatform: boolean; affectsRoles: string[]; affectsServers: string[]; plannedStart: Date | null; plannedMinutes: number | null;
  startedAt: Date | null; endedAt: Date | null; createdAt: Date; updatedAt: Date;
}

export interface WorkHistoryRow {
  workId: string; at: Date; author: string; event: WorkHistoryView['event']; state: WorkState | null; previousState: WorkState | null;
  plannedStart: Date | null; plannedMinutes: number | null; previousStart: Date | null; previousMinutes: number | null; textFr: string; textEn: string;
}
