// `abri order …`: orders of offers. A customer's owner orders for their customer and cancels an
// unpaid order; staff order for any customer (then record its payment: `abri payment record`),
// list and show every order, cancel, and retry a failed provisioning.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { addShow, client, oneOf, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';

const states = ['awaiting_payment', 'paid', 'provisioned', 'cancelled', 'failed'] as const;
const money = (cents: unknown, currency: unknown) => `${(Number(cents) / 100).toFixed(2)} ${String(currency)}`;

const orders: Resource = {
  noun: 'order',
  path: '/api/v1/orders',
  ref: 'id or number',
  columns: ['number', 'customer', 'offer', 'price', 'domain', 'state', 'invoice', 'hosting', 'createdAt'],
  sorts: 'createdAt, number',
  row: (o) => ({
    ...o, customer: (o.customer as Item).name, price: `${money(o.priceCents, o.currency)}/${String(o.billingCycle)}`, invoice: (o.invoice as Item).number,
    hosting: (o.hosting as Item | null)?.name ?? '',
  }),
  label: (o) => `${String(o.number)}`,
};

const headline = (o: Item) =>
  `order ${String(o.number)}: ${String(o.offer)} (${money(o.priceCents, o.currency)}/${String(o.billingCycle)}), ${String(o.state)}` +
  `${o.state === 'failed' ? ` (${String(o.error)})` : ''}; invoice ${String((o.invoice as Item).number)}${o.hosting ? `; hosting ${String((o.hosting as Item).name)}` : ''}`;

export function registerOrderCommands(program: Command) {
  const cmd = program.command('order').description(about.order);

  withListOptions(cmd.command('list').description('list orders, newest first (a customer\'s users: theirs)'), orders.sorts)
    .option('--state <state>', states.join(', '), oneOf(states))
    .option('--customer <id>', 'only this customer\'s (customer id)')
    .action(async (o: ListOptions & { state?: string; customer?: string }) => {
      printList(program, orders, await client(program).get<Page>(orders.path, { q: o.q, sort: o.sort, limit: o.limit, cursor: o.cursor, state: o.state, customerId: o.customer }));
    });

  addShow(program, cmd, orders);

  cmd.command('create').description('order an offer; its first invoice is issued at once (staff: for --customer, then record its payment)')
    .requiredOption('--offer <ref>', 'the offer (id or name)')
    .option('--domain <domain>', 'the first site\'s domain, made with the hosting')
    .option('--customer <ref>', 'the customer (id or number): required for staff and for users of several customers')
    .action(async (o: { offer: string; domain?: string; customer?: string }) => {
      const r = await client(program).post<Item>(orders.path, { offerId: o.offer, domain: o.domain, customerId: o.customer });
      show(program, r, `${headline(r)}\npay invoice ${String((r.invoice as Item).number)} to get the hosting`);
    });

  cmd.command('cancel').description('cancel an order awaiting payment, with nothing paid yet: its invoice is credited')
    .argument('<ref>', 'order id or number')
    .action(async (ref: string) => {
      const r = await client(program).post<Item>(`${orders.path}/${seg(ref)}/cancel`);
      show(program, r, headline(r));
    });

  cmd.command('retry').description('provision again an order whose provisioning failed (staff)')
    .argument('<ref>', 'order id or number')
    .action(async (ref: string) => {
      const r = await client(program).post<Item>(`${orders.path}/${seg(ref)}/retry`);
      show(program, r, `${headline(r)}: provisioning again`);
    });
}
