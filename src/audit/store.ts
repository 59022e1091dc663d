// The audit log: every mutation writes one entry in the same transaction as the change.
import { sql } from 'kysely';
import type { Actor } from '../platform/actor.js';
import type { Db } from '../platform/db/database.js';
import { paginate, type ListQuery } from '../platform/http/list.js';

export interface Who {
  actor: Actor | null;
  address: string | null;
  /** label when there is no actor (CLI bootstrap, system tasks) */
  label?: string;
}

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  target?: string | null;
  customerId?: string | null;
  before?: unknown;
  after?: unknown;
}

const secretKeys = /password|secret|token|hash|key/i;

/** Keeps audit summaries free of secrets. */
function summary(v: unknown): object | null {
  if (v === undefined || v === null) return null;
  const clean = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(clean);
    if (x instanceof Date) return x.toISOString();
    if (x && typeof x === 'object') {
      return Object.fromEntries(Object.entries(x).map(([k, val]) => [k, secretKeys.test(k) ? '[redacted]' : clean(val)]));
    }
    return x;
  };
  // objects go to jsonb as they are (both drivers serialise them); anything else is wrapped
  const c = clean(v);
  return c && typeof c === 'object' && !Array.isArray(c) ? c : { value: c };
}

export async function recordAudit(db: Db, who: Who, e: AuditEntry): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      actorId: who.actor?.userId ?? null,
      actor: who.actor?.email ?? who.label ?? 'system',
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId ?? null,
      target: e.target ?? null,
      customerId: e.customerId ?? null,
      address: who.address,
      before: summary(e.before),
      after: summary(e.after),
    })
    .execute();
}

export interface AuditFilter {
  actor?: string;
  target?: string;
  action?: string;
  customerId?: string;
  from?: string;
  to?: string;
}

export async function listAudit(db: Db, filter: AuditFilter, query: ListQuery) {
  let qb = db.selectFrom('auditLog');
  if (filter.actor) qb = qb.where(sql<boolean>`actor ILIKE ${'%' + filter.actor + '%'}`);
  if (filter.target) qb = qb.where((eb) => eb.or([eb('target', 'ilike', `%${filter.target}%`), eb('targetId', '=', filter.target!)]));
  if (filter.action) qb = qb.where('action', 'like', `${filter.action}%`);
  if (filter.customerId) qb = qb.where('customerId', '=', filter.customerId);
  if (filter.from) qb = qb.where('at', '>=', new Date(filter.from));
  if (filter.to) qb = qb.where('at', '<', new Date(filter.to));
  return paginate(
    qb,
    {
      search: ['audit_log.actor', 'audit_log.action', 'audit_log.target', 'audit_log.target_type', 'audit_log.address'],
      sorts: { at: 'audit_log.at', action: 'audit_log.action', actor: 'audit_log.actor' },
      defaultSort: '-at',
      idColumn: 'audit_log.id',
    },
    query,
    (q) => q.selectAll(),
  );
}
