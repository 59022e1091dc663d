// `abri mail-held …` (staff): the mail the sending limit holds. A mailbox that sent more than its
// offer's mailSendPerHour or mailSendPerDay has its next messages held on its mail server; staff see
// them, then release them (sent now, the mailbox's count forgotten) or delete them (never sent).
import type { Command } from 'commander';
import { about } from './command-list.js';
import { client, printList, seg, show, type Item, type Page, type Resource } from './command-kit.js';

const held: Resource = {
  noun: 'mailbox', path: '/api/v1/mail-held', ref: 'id or address (joe@example.org)',
  columns: ['address', 'hostingName', 'sendingHeld'], sorts: '',
  label: (b) => String(b.address),
};

type Answer = { mailbox: string; messages: Array<{ queueId: string; recipients: string[]; arrivedAt: string; size: number }> };
const lines = (a: Answer) => a.messages.map((m) => `  ${m.queueId}  ${m.arrivedAt}  ${m.size} bytes  to ${m.recipients.join(', ')}`).join('\n');

export function registerHeldCommands(program: Command) {
  const cmd = program.command('mail-held').description(about['mail-held']);
  cmd.command('list').description('the mailboxes whose mail is held, most held first')
    .action(async () => printList(program, held, await client(program).get<Page>('/api/v1/mail-held')));
  cmd.command('show').description('the held messages of a mailbox (read from its mail server)').argument('<mailbox>', held.ref)
    .action(async (ref: string) => {
      const a = await client(program).get<Answer>(`/api/v1/mailboxes/${seg(ref)}/held`);
      show(program, a as unknown as Item, `${a.messages.length} message(s) of ${a.mailbox} held${a.messages.length ? `:\n${lines(a)}` : ''}`);
    });
  for (const [verb, what] of [['release', 'send the held messages of a mailbox now and reset its count'], ['delete', 'delete the held messages of a mailbox, unsent']] as const) {
    cmd.command(verb).description(what).argument('<mailbox>', held.ref)
      .action(async (ref: string) => {
        const a = await client(program).post<Answer>(`/api/v1/mailboxes/${seg(ref)}/held/${verb}`, {});
        show(program, a as unknown as Item, `${a.messages.length} message(s) of ${a.mailbox} ${verb === 'release' ? 'released' : 'deleted'}`);
      });
  }
}
