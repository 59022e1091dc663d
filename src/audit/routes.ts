// The audit log over HTTP (staff): parse, call the operation, answer.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { isoDate, singleLine } from '../platform/validation.js';
import { listAuditEntries } from './operations.js';

const auditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  target: z.string().nullable(),
  customerId: z.string().nullable(),
  address: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

const auditQuery = listQuery.extend({
  actor: singleLine(254).optional().describe('actor email contains'),
  target: singleLine(255).optional().describe('target name contains, or target id'),
  action: singleLine(64).optional().describe('action prefix, e.g. site. or site.create'),
  customerId: z.uuid().optional(),
  from: isoDate.optional().describe('from this time (inclusive)'),
  to: isoDate.optional().describe('until this time (exclusive)'),
});

export const auditRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/audit',
    summary: 'List audit log entries (every mutation: who, what, target, when, from where)',
    tag: 'audit',
    access: 'staff',
    query: auditQuery,
    response: listOf(auditEntry),
    handler({ app, caller, query }) {
      const { actor, target, action, customerId, from, to, ...list } = query;
      return listAuditEntries(app, caller, { actor, target, action, customerId, from, to }, list);
    },
  }),
];
