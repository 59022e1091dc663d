// The agent: wait for the server's desired state, reconcile every driver, report. It also re-applies
// the last state periodically (drift repair) and after errors; one apply at a time.
import type { Logger } from 'pino';
import type { ManagerLink } from './client.js';
import { mergeObjects, type Driver } from '../node/driver.js';
import type { DesiredState } from '../node/protocol.js';
import type { QueryHandler } from '../node/query.js';
import { QueryLoop } from './queries.js';

export interface AgentOptions {
  link: ManagerLink;
  drivers: Driver[];
  mode: 'render-only' | 'apply';
  log: Logger;
  reconcileMs: number;
  /** long-poll length */
  waitMs?: number;
  /** taken before the first apply and held until stop (one agent per machine) */
  lock?: () => Promise<{ release(): Promise<void> }>;
  /** what the agent answers the manager's queries with, by kind (src/node/query.ts) */
  queries?: Record<string, QueryHandler>;
  /** releases what the drivers hold (the command worker) */
  onStop?: () => void;
}

export class Agent {
  private last: DesiredState | null = null;
  private lastApplied = 0;
  private stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private failure: Error | null = null;
  /** the apply under way (resolves when it ends, whatever its outcome) */
  private applying: Promise<void> | null = null;
  /** resolves each time an apply finishes (tests and benchmarks wait on it) */
  applied = 0;

  constructor(private readonly opts: AgentOptions) {}

  start() {
    this.loop ??= this.run();
    return this;
  }

  /** Resolves when the agent has stopped; rejects when it could not run (another agent holds the machine). */
  async finished(): Promise<void> {
    await this.loop;
    if (this.failure) throw this.failure;
  }

  async stop() {
    this.stopping.abort();
    await this.loop; // run() keeps its own failure (see finished()); it does not reject
    this.opts.onStop?.();
  }

  private async run() {
    const { log } = this.opts;
    let lock: { release(): Promise<void> } | null = null;
    try {
      lock = (await this.opts.lock?.()) ?? null;
    } catch (e) {
      this.failure = e as Error;
      log.error(`agent not started: ${(e as Error).message}`);
      return;
    }
    try {
      const queries = new QueryLoop(this.opts.link, this.opts.queries ?? {}, () => ({ state: this.last }), log, this.opts.waitMs);
      await Promise.all([this.reconcileLoop(), queries.run(this.stopping.signal)]);
    } finally {
      await lock?.release();
    }
  }

  private async reconcileLoop() {
    const { log } = this.opts;
    let backoff = 1000;
    while (!this.stopping.signal.aborted) {
      try {
        const since = this.last ? this.last.revision : null;
        const due = this.last ? Math.max(0, this.lastApplied + this.opts.reconcileMs - Date.now()) : 0;
        const state = await this.opts.link.fetch(since, Math.min(this.opts.waitMs ?? 25_000, Math.max(due, 1000)), this.stopping.signal);
        if (this.stopping.signal.aborted) break;
        if (state) await this.apply(state, { repair: false });
        else if (this.last && Date.now() >= this.lastApplied + this.opts.reconcileMs) await this.apply(this.last); // drift repair
        backoff = 1000;
      } catch (e) {
        if (this.stopping.signal.aborted) break;
        log.warn({ err: e }, `agent: ${(e as Error).message}; retrying in ${backoff / 1000}s`);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  /**
   * Reconciles every driver concerned by the state and reports the result. One apply at a time: an
   * apply asked from outside the loop (tests, the local agent's thread) waits for the one under way.
   */
  async apply(state: DesiredState, opts: { repair?: boolean } = {}) {
    while (this.applying) await this.applying; // never rejects
    let done!: () => void;
    this.applying = new Promise<void>((r) => (done = r));
    try {
      await this.applyNow(state, opts);
    } finally {
      this.applying = null;
      done();
    }
  }

  private async applyNow(state: DesiredState, opts: { repair?: boolean }) {
    const { log, drivers, mode, link } = this.opts;
    const started = Date.now();
    const results = [];
    const timings: Record<string, number> = {}; // ms per driver, and for the report
    for (const d of drivers) {
      if (!d.handles(state)) continue;
      const t0 = Date.now();
      try {
        results.push(await d.reconcile(state, { repair: opts.repair ?? true }));
      } catch (e) {
        results.push({ objects: [], error: `${d.name}: ${(e as Error).message}` });
      }
      timings[d.name] = Date.now() - t0;
    }
    const error = results.map((r) => r.error).filter(Boolean).join('; ') || null;
    const t0 = Date.now();
    const usage = results.flatMap((r) => r.usage ?? []);
    await link.report({ revision: state.revision, mode, error, objects: mergeObjects(results.map((r) => r.objects)), ...(usage.length ? { usage } : {}) });
    timings.report = Date.now() - t0;
    this.last = state;
    this.lastApplied = Date.now();
    this.applied++;
    if (error) log.error({ revision: state.revision, error }, 'apply failed; the previous configuration keeps serving');
    else log.info({ revision: state.revision, ms: Date.now() - started, timings, mode }, mode === 'apply' ? 'applied' : 'rendered (render-only node: nothing applied)');
  }
}
