// The audit log, as staff read it (entries are written by platform/store-audit.ts).
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { paginate, type ListQuery } from '../platform/store-list.js';

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
