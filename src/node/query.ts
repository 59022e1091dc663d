// Questions the manager asks an agent and waits for (the last lines of a site's logs, a hosting's
// snapshots; browsing backups later). Agents only pull: the agent long-polls GET /agent/v1/queries, runs the
// handler of each query's kind and answers with POST /agent/v1/queries/{id}/answer. A kind is named
// by the capability that answers it (its handler lives with its apply side) and validates its own args.
import { z } from 'zod';
import type { DesiredState } from './protocol.js';

export const queryKind = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/);

/** A query taken by the agent: answer it before `expiresAt` (the manager stops waiting then). */
export const agentQuery = z.object({
  id: z.string().uuid(),
  kind: queryKind,
  args: z.unknown(),
  expiresAt: z.string().datetime(),
});

/** The agent's answer: the handler's result, or why it could not answer (an English sentence, or a code the capability declares). */
export const agentAnswer = z.strictObject({
  result: z.unknown().optional(),
  error: z
    .object({
      code: z.string().regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/).max(64),
      message: z.string().max(2000),
      params: z.record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional(),
    })
    .optional(),
});

export type AgentQuery = z.infer<typeof agentQuery>;
export type AgentAnswer = z.infer<typeof agentAnswer>;

/** What a handler knows of its node: the desired state it last received (null: none yet). */
export interface QueryContext {
  state: DesiredState | null;
}

/** Answers one kind of query; throw a QueryRefusal for an answer the manager passes on as a problem. */
export type QueryHandler = (args: unknown, ctx: QueryContext) => Promise<unknown>;

/** A handler's reasoned refusal (a code its capability declares, e.g. `site.logs_not_here`), passed to the caller as is. */
export class QueryRefusal extends Error {
  constructor(readonly code: string, message: string, readonly params: Record<string, string | number | boolean | null> = {}) {
    super(message);
  }
}
