// `abri dunning …`: reminders, suspension and termination of unpaid invoices. Staff set the days and
// turn it on or off, list dunnings, pause or resume an invoice's or a whole customer's; a customer's
// users list theirs and read an invoice's dunning (what happened, what comes next).
import type { Command } from 'commander';
import { about } from './command-list.js';
import { client, commaList, customerId, oneOf, printList, seg, show, whole, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';
import { print } from './output.js';

const money = (cents: unknown, currency: unknown) => `${(Number(cents) / 100).toFixed(2)} ${String(currency)}`;
const nextOf = (n: Item | null) => (n ? `${String(n.step)}${n.reminder ? ` ${String(n.reminder)}` : ''} on ${String(n.on)}` : '');

const dunnings: Resource = {
  noun: 'dunning',
  path: '/api/v1/dunning',
  ref: 'invoice id or number',
  columns: ['number', 'hosting', 'paymentDue', 'daysLate', 'balance', 'state', 'reminders', 'next'],
  sorts: 'updatedAt, number',
  row: (d) => ({ ...d, balance: money(d.balanceCents, d.currency), next: nextOf(d.next as Item | null) }),
  label: (d) => `invoice ${String(d.number)}`,
};

const days = (v: string) => commaList(v).map((d) => whole(d));

export function registerDunningCommands(program: Command) {
  const cmd = program.command('dunning').description(about.dunning);

  cmd.command('settings').description('show or change the dunning settings (staff)')
    .option('--on', 'turn dunning on')
    .option('--off', 'turn dunning off (nothing is sent, suspended or terminated)')
    .option('--reminders <days>', 'days after the due date each reminder is sent, e.g. 7,15 ("" for none)', (v: string) => (v.trim() ? days(v) : []))
    .option('--suspend-day <n>', 'days after the due date the hosting is suspended', whole)
    .option('--terminate-day <n>', 'days after the due date the hosting is terminated', whole)
    .action(async (o: { on?: boolean; off?: boolean; reminders?: number[]; suspendDay?: number; terminateDay?: number }) => {
      const api = client(program);
      const body: Item = {};
      if (o.on && o.off) program.error('--on or --off, not both', { exitCode: 2 });
      if (o.on || o.off) body.enabled = !!o.on;
      if (o.reminders) body.reminderDays = o.reminders;
      if (o.suspendDay !== undefined) body.suspendDay = o.suspendDay;
      if (o.terminateDay !== undefined) body.terminateDay = o.terminateDay;
      const s = Object.keys(body).length ? await api.patch<Item>('/api/v1/billing/dunning', body) : await api.get<Item>('/api/v1/billing/dunning');
      const reminders = (s.reminderDays as number[]).join(', ') || 'none';
      show(program, s, `dunning is ${s.enabled ? 'on' : 'off'}: reminders on days ${reminders}, suspension on day ${String(s.suspendDay)}, termination on day ${String(s.terminateDay)}`);
    });

  withListOptions(cmd.command('list').description('list dunnings of unpaid invoices, newest first (a customer\'s users: theirs)'), dunnings.sorts)
    .option('--customer <ref>', 'only this customer\'s (id or number)')
    .option('--hosting <id>', 'only this hosting\'s (id)')
    .option('--state <state>', 'open (still owed) or ended', oneOf(['open', 'ended'] as const))
    .action(async (o: ListOptions & { customer?: string; hosting?: string; state?: 'open' | 'ended' }) => {
      const api = client(program);
      const customer = o.customer ? await customerId(api, o.customer) : undefined;
      const open = o.state ? String(o.state === 'open') : undefined;
      printList(program, dunnings, await api.get<Page>(dunnings.path, { q: o.q, sort: o.sort, limit: o.limit, cursor: o.cursor, customerId: customer, hostingId: o.hosting, open }));
    });

  cmd.command('show').description('an invoice\'s dunning: its state, next step and every step taken')
    .argument('<invoice>', 'invoice id or number (F2026-000123)')
    .action(async (ref: string) => {
      const d = await client(program).get<Item>(`/api/v1/invoices/${seg(ref)}/dunning`);
      const log = (d.events as Item[]).map((e) => `  ${String(e.at).slice(0, 10)}  day ${String(e.daysLate)}  ${String(e.step)}${e.reminder ? ` ${String(e.reminder)}` : ''}${e.detail ? ` (${String(e.detail)})` : ''}  by ${String(e.by)}`);
      const next = nextOf(d.next as Item | null);
      print(program, d, [`invoice ${String(d.number)}: ${String(d.state)}, ${money(d.balanceCents, d.currency)} owed, ${String(d.daysLate)} days after its due date`, next ? `next: ${next}` : 'next: nothing planned', ...log].join('\n'));
    });

  const pause = (noun: 'invoice' | 'customer', path: (ref: string) => string) => {
    cmd.command(noun === 'invoice' ? 'pause' : 'pause-customer').description(`pause the dunning of ${noun === 'invoice' ? 'an invoice' : 'every invoice of a customer'} (staff)`)
      .argument('<ref>', noun === 'invoice' ? 'invoice id or number' : 'customer id or number')
      .option('--note <text>', 'why (staff only see it)', '')
      .action(async (ref: string, o: { note: string }) => {
        const r = await client(program).put<Item>(path(ref), { note: o.note });
        print(program, r, r.changed ? `dunning of ${noun} ${ref} paused` : `dunning of ${noun} ${ref} was paused already`);
      });
    cmd.command(noun === 'invoice' ? 'resume' : 'resume-customer').description(`resume the dunning of ${noun === 'invoice' ? 'an invoice' : 'a customer\'s invoices'} (staff)`)
      .argument('<ref>', noun === 'invoice' ? 'invoice id or number' : 'customer id or number')
      .action(async (ref: string) => {
        const r = await client(program).delete<Item>(path(ref));
        print(program, r, r.changed ? `dunning of ${noun} ${ref} resumed` : `dunning of ${noun} ${ref} was not paused`);
      });
  };
  pause('invoice', (ref) => `/api/v1/invoices/${seg(ref)}/dunning/pause`);
  pause('customer', (ref) => `/api/v1/customers/${seg(ref)}/dunning-pause`);
}
