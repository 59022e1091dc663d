// What capabilities give the job runner: one definition per kind of job (its handler, retry delays,
// lease). The runner knows kinds only through this registry, so jobs never import the capabilities
// above them (certs, billing, backups…): they register here when the manager starts.
import type { Logger } from 'pino';
import type { AppContext } from '../platform/context.js';
import type { JobRow } from './model.js';
import { parseSchedule } from './schedule.js';

/** What a run decided (nothing: a one-shot job is done, a recurring one waits for its next run). */
export type JobOutcome =
  | void
  | undefined
  /** run again at this time (the work continues: a renewal, a wait); failures in a row start over */
  | { next: Date }
  /** nothing more to do */
  | { done: true }
  /** the object is gone: the job row is deleted */
  | { forget: true }
  /** a failed attempt without an exception (a partial result): retried on the kind's delays, not later than `retryBefore` */
  | { failed: string; retryBefore?: Date };

export interface JobContext {
  app: AppContext;
  job: JobRow;
  /** the time of this run (app.clock) */
  now: Date;
  log: Logger;
}

export interface JobKind {
  kind: string;
  run(ctx: JobContext): Promise<JobOutcome>;
  /** waits after the 1st, 2nd… failure in a row; the last one repeats */
  retryDelaysMs: number[];
  /** failures in a row after which a one-shot job stops (status failed); null = it keeps retrying */
  maxAttempts: number | null;
  /** how long a run may take before another process may take the job over (default 15 min) */
  leaseMs?: number;
  /** runs of this kind at the same time in one manager process (default: the runner's concurrency) */
  concurrency?: number;
  /** a recurring job of this kind that always exists (key "default"), e.g. "every 10m" */
  recurring?: string;
}

export class JobRegistry {
  private readonly kinds = new Map<string, JobKind>();

  register(def: JobKind): this {
    if (this.kinds.has(def.kind)) throw new Error(`job kind ${def.kind} registered twice`);
    if (def.recurring) parseSchedule(def.recurring);
    this.kinds.set(def.kind, def);
    return this;
  }

  get(kind: string): JobKind | undefined {
    return this.kinds.get(kind);
  }

  all(): JobKind[] {
    return [...this.kinds.values()];
  }
}
