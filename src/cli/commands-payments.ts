// `abri payment …`: staff record a cheque, cash or a bank transfer received for an invoice (in full or
// in part; a transfer found by its RF reference alone), money paid back on a credited invoice, and
// list payments (all of them, or an invoice's).
import type { Command } from 'commander';
import { about } from './command-list.js';
import { isRfReference, staffMethods } from '../billing/rules-payments.js';
import { CliError } from './api-client.js';
import { client, euros, oneOf, printList, seg, show, withListOptions, type Item, type ListOptions, type Page, type Resource } from './command-kit.js';

const money = (cents: unknown, currency: unknown) => `${(Number(cents) / 100).toFixed(2)} ${String(currency)}`;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const usage = (message: string) => new CliError(`${message} (abri payment --help)`, 'cli.usage');

const payments: Resource = {
  noun: 'payment',
  path: '/api/v1/payments',
  ref: 'id',
  columns: ['receivedOn', 'invoice', 'amount', 'method', 'reference', 'provider', 'recordedBy'],
  sorts: 'createdAt, receivedOn, amountCents',
  row: (p) => ({ ...p, invoice: p.invoiceNumber, amount: money(p.amountCents, p.currency), provider: p.provider ?? '' }),
  label: (p) => `payment of ${money(p.amountCents, p.currency)}`,
};

interface RecordOptions {
  amount: number;
  method: string;
  reference?: string;
  on?: string;
}

const body = (o: RecordOptions) => {
  if (o.on !== undefined && !DAY.test(o.on)) throw usage(`--on is a day, YYYY-MM-DD (got "${o.on}")`);
  return { amountCents: o.amount, method: o.method, reference: o.reference ?? '', ...(o.on ? { receivedOn: o.on } : {}) };
};

const status = (inv: Item) => {
  const balance = money(inv.balanceCents, inv.currency);
  return inv.status === 'paid' ? 'paid in full' : inv.status === 'credited' ? `credited, ${money(-Number(inv.balanceCents), inv.currency)} still to refund` : `${balance} still due`;
};

const recordOptions = (c: Command) => c
  .requiredOption('--amount <euros>', 'the amount, e.g. 12.50', euros)
  .requiredOption('--method <method>', staffMethods.join(', '), oneOf(staffMethods))
  .option('--reference <text>', 'the cheque\'s number, the transfer\'s reference (an RF reference finds the invoice)')
  .option('--on <day>', 'the day it was received, YYYY-MM-DD (default today)');

export function registerPaymentCommands(program: Command) {
  const cmd = program.command('payment').description(about.payment);

  recordOptions(cmd.command('record').description('record money received for an invoice, in full or in part (staff)')
    .argument('[invoice]', 'invoice id, number (F2026-000123) or RF reference; default: the RF reference given with --reference'))
    .action(async (invoice: string | undefined, o: RecordOptions) => {
      const ref = invoice ?? (o.reference && isRfReference(o.reference) ? o.reference.replace(/\s+/g, '') : undefined);
      if (!ref) throw usage('name the invoice, or give its RF reference with --reference');
      const r = await client(program).post<{ payment: Item; invoice: Item }>(`/api/v1/invoices/${seg(ref)}/payments`, body(o));
      show(program, r, `${money(r.payment.amountCents, r.payment.currency)} recorded on ${String(r.invoice.number)}: ${status(r.invoice)}`);
    });

  recordOptions(cmd.command('refund').description('record money paid back on a credited invoice (staff), at most what was paid on it')
    .argument('<invoice>', 'the credited invoice, or its credit note (id or number)'))
    .action(async (invoice: string, o: RecordOptions) => {
      const r = await client(program).post<{ payment: Item; invoice: Item }>(`/api/v1/invoices/${seg(invoice)}/refunds`, body(o));
      show(program, r, `refund of ${money(-Number(r.payment.amountCents), r.payment.currency)} recorded on ${String(r.invoice.number)}: ${status(r.invoice)}`);
    });

  withListOptions(cmd.command('list').description('list payments and refunds, newest first (staff); with --invoice, that invoice\'s (its customer too)'), payments.sorts)
    .option('--invoice <ref>', 'only this invoice\'s (id, number or RF reference)')
    .option('--method <method>', 'only this method', oneOf(['card', ...staffMethods] as const))
    .action(async (o: ListOptions & { invoice?: string; method?: string }) => {
      const api = client(program);
      if (o.invoice) {
        const items = await api.get<Item[]>(`/api/v1/invoices/${seg(o.invoice)}/payments`);
        return printList(program, payments, { items, total: items.length, nextCursor: null });
      }
      printList(program, payments, await api.get<Page>(payments.path, { q: o.q, sort: o.sort, limit: o.limit, cursor: o.cursor, method: o.method }));
    });
}
