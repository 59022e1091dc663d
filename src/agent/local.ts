// The agent of the manager's own machine (`abri serve`, ABRI_LOCAL_AGENT=1). It runs in a worker
// thread of its own and talks to the manager over the agent protocol (HTTP, the local server's
// token), exactly as a remote agent does: applies (rendering, diffing, commands, file writes) never
// stall the event loop that serves the API and runs the embedded database, and the manager's work
// (requests, PGlite, garbage collection) never stalls an apply.
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Config } from '../platform/config.js';
import { siblingModule, startWorker } from '../platform/threads.js';
import type { DesiredState } from '../node/protocol.js';

/** What the manager can do with an agent, whether it runs in this thread (tests) or in a worker. */
export interface AgentHandle {
  /** applies finished so far */
  readonly applied: number;
  /** applies a state now (tests); resolves when reported */
  apply(state: DesiredState, opts?: { repair?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Sent to the worker at start (structured clone: plain data only). */
export interface LocalAgentData {
  config: Config;
  /** the manager's URL as the agent reaches it, and its token */
  url: string;
  token: string;
  /** where the edge sends /.well-known/acme-challenge/ (the manager) */
  manager: { address: string; port: number };
  logLevel: string;
  name: string;
}

export type ToWorker = { type: 'apply'; id: number; state: DesiredState; repair?: boolean } | { type: 'stop' };
export type FromWorker = { type: 'applied'; applied: number } | { type: 'done'; id: number; applied: number; error?: string };

/** Exit code of a worker whose agent could not start (another agent holds the machine; it logged why). */
export const NOT_STARTED = 3;

export class LocalAgent implements AgentHandle {
  private worker: Worker | null = null;
  private stopping = false;
  private next = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private exited: Promise<void> = Promise.resolve();
  private restarts = 0;
  applied = 0;

  constructor(private readonly data: LocalAgentData, private readonly log: Logger) {}

  start(): this {
    this.spawn();
    return this;
  }

  private spawn() {
    const worker = startWorker(siblingModule(import.meta.url, 'local-worker'), { workerData: this.data, name: `abri-agent-${this.data.name}` });
    this.worker = worker;
    let done!: () => void;
    this.exited = new Promise<void>((r) => (done = r));
    worker.on('message', (m: FromWorker) => {
      this.restarts = 0; // it applies: a later crash starts over from a short delay
      if (m.type === 'applied') this.applied = Math.max(this.applied, m.applied);
      else {
        this.applied = Math.max(this.applied, m.applied);
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error) p?.reject(new Error(m.error));
        else p?.resolve();
      }
    });
    worker.on('error', (e) => this.log.error({ err: e }, `local agent worker failed: ${e.message}`));
    worker.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error('the local agent stopped'));
      this.pending.clear();
      if (this.worker === worker) this.worker = null;
      done();
      if (code === NOT_STARTED) this.stopping = true; // as before: the manager runs on without a local agent
      if (!this.stopping) {
        // a crash of the agent must not leave the machine unmanaged: start it again, slower each time
        const delay = Math.min(30_000, 1000 * 2 ** this.restarts++);
        this.log.error({ code, restartInMs: delay }, 'local agent exited unexpectedly; restarting it');
        setTimeout(() => {
          if (!this.stopping) this.spawn();
        }, delay).unref();
      }
    });
  }

  apply(state: DesiredState, opts: { repair?: boolean } = {}): Promise<void> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the local agent is not running'));
    const id = this.next++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'apply', id, state, repair: opts.repair } satisfies ToWorker);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return this.exited;
    worker.postMessage({ type: 'stop' } satisfies ToWorker);
    // an apply under way finishes (and reports) first; a worker that does not stop is ended
    const timer = setTimeout(() => void worker.terminate(), 120_000);
    await this.exited;
    clearTimeout(timer);
  }
}
