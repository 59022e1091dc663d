// Asking a server's agent a question and waiting for its answer (src/node/query.ts). The query is a
// row (migration 0022), so an agent polling another manager process takes it too; within a process,
// asking wakes the server's poll and answering wakes the asker at once, and both also look at the
// table a few times a second.
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { addMs } from '../platform/clock.js';
import type { AgentAnswer, AgentQuery } from '../node/query.js';
import { reachability } from './rules.js';
import { isPolling } from './presence.js';
import { Wakeups } from '../platform/wakeups.js';
import { answerQuery, dropQuery, insertQuery, queryAnswer, takeQueries } from './store-queries.js';

const wakers = new WeakMap<object, { polls: Wakeups<string>; answers: Wakeups<string> }>();

function wakersOf(app: { db: object }) {
  let w = wakers.get(app.db);
  if (!w) wakers.set(app.db, (w = { polls: new Wakeups(), answers: new Wakeups() }));
  return w;
}

/** How long an API request waits for an agent's answer by default. */
export const QUERY_TIMEOUT_MS = 10_000;

/**
 * Asks the server's agent and waits up to `timeoutMs` for its answer. No answer in time:
 * `server.unreachable`. A handler's refusal comes back as its own error code (declared by its capability).
 */
export async function askServer(
  app: AppContext, server: { id: string; name: string; lastContactAt: Date | string | null }, kind: string, args: unknown,
  opts: { timeoutMs?: number; refusals?: readonly string[] } = {},
): Promise<unknown> {
  const timeoutMs = opts.timeoutMs ?? QUERY_TIMEOUT_MS;
  const now = app.clock.now();
  // an agent that never called, or has not for a while, is not waited for
  if (reachability(server.lastContactAt, now, isPolling(app, server.id)) !== 'reachable') throw unreachable(server.name, 'has not contacted the manager lately');
  const id = await insertQuery(app.db, { serverId: server.id, kind, args, now, expiresAt: addMs(now, timeoutMs) });
  const w = wakersOf(app);
  w.polls.wake(server.id);
  const answer = await w.answers.until(id, () => queryAnswer(app.db, id), (a) => a !== null, { deadline: Date.now() + timeoutMs, everyMs: 250 });
  await dropQuery(app.db, id);
  if (!answer) throw unreachable(server.name, `did not answer within ${Math.round(timeoutMs / 1000)} s`);
  if (answer.error) throw refusal(answer.error, server.name, opts.refusals ?? []);
  return answer.result;
}

const unreachable = (server: string, why: string) => new AppError('server.unreachable', `the server ${server} ${why}; try again later`, { params: { server } });

/** The agent's refusal as the caller's error: one of the codes the caller expects, else `server.query_failed`. */
function refusal(e: NonNullable<AgentAnswer['error']>, server: string, expected: readonly string[]): AppError {
  if (expected.includes(e.code)) return new AppError(e.code, e.message, { params: e.params ?? {} });
  return new AppError('server.query_failed', `the server ${server} could not answer: ${e.message}`, { params: { server, detail: e.message } });
}

/** The server's waiting queries, waiting up to `waitMs` for one (the agent's long poll). */
export async function waitForQueries(app: AppContext, serverId: string, waitMs: number, signal?: AbortSignal): Promise<AgentQuery[]> {
  const take = () => takeQueries(app.db, serverId, app.clock.now());
  return wakersOf(app).polls.until(serverId, take, (taken) => taken.length > 0, { deadline: Date.now() + waitMs, everyMs: 500, signal });
}

/** Records an agent's answer to one of its server's queries and wakes whoever waits for it. */
export async function recordAnswer(app: AppContext, serverId: string, id: string, answer: AgentAnswer): Promise<boolean> {
  const ok = await answerQuery(app.db, serverId, id, answer, app.clock.now());
  if (ok) wakersOf(app).answers.wake(id);
  return ok;
}
