// The audit log's writer: every change writes its entries in the same transaction (through change()).
import type { Caller } from './actor.js';
import type { Db } from './db/database.js';

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

/** The audit_log row of an entry (written by recordAudit, or with a revision by bumpRevision). */
export function auditRow(who: Caller, e: AuditEntry) {
  return {
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
  };
}
export type AuditRow = ReturnType<typeof auditRow>;

export async function recordAudit(db: Db, who: Caller, e: AuditEntry): Promise<void> {
  await recordAuditRows(db, [auditRow(who, e)]);
}

export async function recordAuditRows(db: Db, rows: AuditRow[]): Promise<void> {
  if (rows.length) await db.insertInto('auditLog').values(rows).execute();
}
