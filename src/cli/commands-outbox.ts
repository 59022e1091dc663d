// `abri outbox …` (staff): the platform's outgoing e-mail (invitations, activation links, password
// resets): what was sent to whom, what failed and why, and sending one again.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { addShow, client, oneLine, oneOf, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';


const messages: Resource = {
  noun: 'message',
  path: '/api/v1/outbox',
  ref: 'id',
  columns: ['id', 'createdAt', 'template', 'recipient', 'status', 'attempts', 'lastError'],
  sorts: 'createdAt, recipient, status, attempts',
  row: (m) => ({ ...m, lastError: oneLine(m.lastError) }),
  label: (m) => `${String(m.template)} → ${String(m.recipient)}`,
};

export function registerOutboxCommands(program: Command) {
  const cmd = program.command('outbox').description(about.outbox);

  withListOptions(cmd.command('list').description('list messages, newest first'), messages.sorts)
    .option('--status <status>', 'queued, sent or failed', oneOf(['queued', 'sent', 'failed'] as const))
    .option('--template <template>', 'invitation, activation, password_reset, invoice, work_notice, dunning, service_end or receipt', oneOf(['invitation', 'activation', 'password_reset', 'invoice', 'work_notice', 'dunning', 'service_end', 'receipt'] as const))
    .action(async (o: ListOptions & { status?: string; template?: string }) => {
      const { q, sort, limit, cursor, status, template } = o;
      printList(program, messages, await client(program).get<Page>(messages.path, { q, sort, limit, cursor, status, template }));
    });

  addShow(program, cmd, messages);

  cmd.command('resend').description('send a queued or failed message again now')
    .argument('<id>', 'message id')
    .action(async (id: string) => {
      const m = await client(program).post<Item>(`${messages.path}/${seg(id)}/resend`);
      show(program, m, `${messages.label(m)}: queued again`);
    });
}
