// `abri audit list`: who changed what, when, from where.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { client, customerId, isoTime, listQuery, printList, withListOptions, type ListOptions, type Page, type Resource } from './command-kit.js';

const audit: Resource = {
  noun: 'audit entry',
  path: '/api/v1/audit',
  ref: 'id',
  columns: ['at', 'actor', 'action', 'targetType', 'target', 'address'],
  sorts: 'at, action, actor (default -at: newest first)',
  label: (e) => String(e.id),
};

type AuditOptions = ListOptions & { actor?: string; target?: string; action?: string; customer?: string; from?: string; to?: string };

export function registerAuditCommands(program: Command) {
  const cmd = program.command('audit').description(about.audit);

  withListOptions(cmd.command('list').description('list audit entries, newest first'), audit.sorts)
    .option('--actor <text>', 'actor email contains')
    .option('--target <text>', 'target name contains, or target id')
    .option('--action <prefix>', 'action prefix, e.g. site. or site.create')
    .option('--customer <ref>', 'only entries about this customer (id or number)')
    .option('--from <time>', 'from this time (inclusive)', isoTime)
    .option('--to <time>', 'until this time (exclusive)', isoTime)
    .action(async (o: AuditOptions) => {
      const api = client(program);
      const customer = o.customer ? await customerId(api, o.customer) : undefined;
      const { actor, target, action, from, to } = o;
      printList(program, audit, await api.get<Page>(audit.path, { ...listQuery(o), actor, target, action, customerId: customer, from, to }));
    });
}
