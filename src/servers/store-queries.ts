// Queries to servers' agents (migration 0022): asked, taken by the server's agent, answered.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { AgentAnswer, AgentQuery } from '../node/query.js';

/** Expired queries are kept this long (a late answer finds its row), then deleted. */
const KEPT_MS = 3_600_000;

export async function insertQuery(db: Db, q: { serverId: string; kind: string; args: unknown; now: Date; expiresAt: Date }): Promise<string> {
  await db.deleteFrom('agentQueries').where('expiresAt', '<', new Date(q.now.getTime() - KEPT_MS)).execute();
  const row = await db
    .insertInto('agentQueries')
    .values({ serverId: q.serverId, kind: q.kind, args: JSON.stringify(q.args ?? null), expiresAt: q.expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Takes the server's waiting, unexpired queries (oldest first): each is handed to one agent poll only. */
export async function takeQueries(db: Db, serverId: string, now: Date, limit = 20): Promise<AgentQuery[]> {
  const rows = await sql<{ id: string; kind: string; args: unknown; expiresAt: Date }>`
    UPDATE agent_queries SET taken_at = ${now}
    WHERE id IN (
      SELECT id FROM agent_queries
      WHERE server_id = ${serverId}::uuid AND taken_at IS NULL AND expires_at > ${now}
      ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING id, kind, args, expires_at AS "expiresAt"`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, kind: r.kind, args: r.args, expiresAt: new Date(r.expiresAt).toISOString() }));
}

/** Records the answer of one of the server's own queries (another server's, or a second answer: false). */
export async function answerQuery(db: Db, serverId: string, id: string, answer: AgentAnswer, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('agentQueries')
    .set({ answeredAt: now, answer: answer.error ? null : JSON.stringify(answer.result ?? null), error: answer.error ? JSON.stringify(answer.error) : null })
    .where('id', '=', id)
    .where('serverId', '=', serverId)
    .where('answeredAt', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The answer of a query, once there is one. */
export async function queryAnswer(db: Db, id: string): Promise<AgentAnswer | null> {
  const row = await db.selectFrom('agentQueries').select(['answeredAt', 'answer', 'error']).where('id', '=', id).executeTakeFirst();
  if (!row?.answeredAt) return null;
  return row.error ? { error: JSON.parse(row.error) as AgentAnswer['error'] } : { result: row.answer };
}

/** Forgets a query its asker stopped waiting for. */
export async function dropQuery(db: Db, id: string): Promise<void> {
  await db.deleteFrom('agentQueries').where('id', '=', id).execute();
}
