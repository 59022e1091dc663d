// The agent's side of queries (src/node/query.ts): a loop beside the reconcile loop that long-polls
// the manager for its server's queries, runs each kind's handler (a few at a time, never waiting for
// an apply) and answers. A query of a kind this agent does not know is answered with an error.
import type { Logger } from 'pino';
import type { ManagerLink } from './client.js';
import { QueryRefusal, type AgentAnswer, type AgentQuery, type QueryContext, type QueryHandler } from '../node/query.js';

const MAX_RUNNING = 4;

export class QueryLoop {
  private running = 0;

  constructor(
    private readonly link: ManagerLink,
    private readonly handlers: Record<string, QueryHandler>,
    private readonly context: () => QueryContext,
    private readonly log: Logger,
    private readonly waitMs = 25_000,
  ) {}

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    if (!this.link.queries || !this.link.answer) return;
    let backoff = 1000;
    while (!signal.aborted) {
      try {
        const queries = await this.link.queries(this.running >= MAX_RUNNING ? 1000 : this.waitMs, signal);
        for (const q of queries) void this.handle(q);
        backoff = 1000;
      } catch (e) {
        if (signal.aborted) break;
        this.log.warn({ err: e }, `queries: ${(e as Error).message}; retrying in ${backoff / 1000}s`);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  private async handle(q: AgentQuery): Promise<void> {
    this.running++;
    try {
      const answer = await this.answerOf(q);
      await this.link.answer!(q.id, answer);
    } catch (e) {
      this.log.warn({ err: e, query: q.kind }, `could not answer a ${q.kind} query: ${(e as Error).message}`);
    } finally {
      this.running--;
    }
  }

  private async answerOf(q: AgentQuery): Promise<AgentAnswer> {
    const handler = Object.hasOwn(this.handlers, q.kind) ? this.handlers[q.kind] : undefined;
    if (!handler) return { error: { code: 'query.unknown_kind', message: `this agent does not answer ${q.kind} queries (an older version?)` } };
    try {
      return { result: await handler(q.args, this.context()) };
    } catch (e) {
      if (e instanceof QueryRefusal) return { error: { code: e.code, message: e.message.slice(0, 2000), params: e.params } };
      this.log.error({ err: e, query: q.kind }, `${q.kind} query failed: ${(e as Error).message}`);
      return { error: { code: 'query.failed', message: (e as Error).message.slice(0, 2000) } };
    }
  }
}
