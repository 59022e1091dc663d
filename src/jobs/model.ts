// Jobs: what the database keeps of each, and how the API shows it.
//
//   scheduled  waits for runAt (after a failure too: attempts counts the failures in a row)
//   running    leased by one manager process until leaseUntil (a process that died lets it go then)
//   done       nothing more to do (a one-shot job that succeeded, or work its handler found finished)
//   failed     gave up after the kind's maximum attempts: staff look at lastError and retry it
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { JobsTable } from '../platform/db/schema.js';
import { listQuery } from '../platform/http/list.js';
import { singleLine } from '../platform/validation.js';

export const jobStatus = z.enum(['scheduled', 'running', 'done', 'failed']);
export type JobStatus = z.infer<typeof jobStatus>;

export type JobRow = Selectable<JobsTable>;

export const jobOut = z.object({
  id: z.string(),
  kind: z.string().describe('what the job does (certificate, acme.challenges.expire…)'),
  key: z.string().describe('what it works on, unique per kind (a certificate id…)'),
  payload: z.record(z.string(), z.unknown()),
  schedule: z.string().nullable().describe('recurring jobs: "every 1h", "at 05:00 Europe/Paris"'),
  status: jobStatus.describe('scheduled · running · done · failed (gave up: see lastError, retry)'),
  runAt: z.string().describe('when it runs next (scheduled), or last ran'),
  attempts: z.number().int().describe('failures in a row'),
  lastError: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  leaseOwner: z.string().nullable().describe('the manager process running it'),
  leaseUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const jobListQuery = listQuery.extend({
  kind: singleLine(100).optional().describe('only jobs of this kind'),
  status: jobStatus.optional(),
});

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const jobView = (j: JobRow): z.infer<typeof jobOut> => ({
  id: j.id,
  kind: j.kind,
  key: j.key,
  payload: (j.payload ?? {}) as Record<string, unknown>,
  schedule: j.schedule,
  status: j.status,
  runAt: iso(j.runAt)!,
  attempts: j.attempts,
  lastError: j.lastError,
  lastRunAt: iso(j.lastRunAt),
  leaseOwner: j.leaseOwner,
  leaseUntil: iso(j.leaseUntil),
  createdAt: iso(j.createdAt)!,
  updatedAt: iso(j.updatedAt)!,
});
