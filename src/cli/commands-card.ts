// `abri card …`: card payments through Stripe: whether the platform takes them, the page to pay an
// invoice's balance on (a customer's user; open it in a browser), staff refund a credited invoice's
// card payment through Stripe.
import type { Command } from 'commander';
import { about } from './command-list.js';
import { client, seg, show, whole, type Item } from './command-kit.js';

const money = (cents: unknown, currency: unknown) => `${(Number(cents) / 100).toFixed(2)} ${String(currency)}`;

export function registerCardCommands(program: Command) {
  const cmd = program.command('card').description(about.card);

  cmd.command('status').description('whether the platform takes card payments (Stripe set up)')
    .action(async () => {
      const o = await client(program).get<Item>('/api/v1/payments/options');
      show(program, o, o.card ? `card payments: on (${String(o.provider)})` : 'card payments: off (no ABRI_STRIPE_SECRET_KEY on the manager)');
    });

  cmd.command('pay').description('the page to pay an invoice\'s balance by card on (open it in a browser); nothing is recorded until Stripe confirms')
    .argument('<invoice>', 'invoice id, number (F2026-000123) or RF reference')
    .action(async (ref: string) => {
      const p = await client(program).post<Item>(`/api/v1/invoices/${seg(ref)}/card-payment`);
      show(program, p, `pay ${money(p.amountCents, p.currency)} at: ${String(p.redirectUrl)}`);
    });

  cmd.command('refund').description('pay back a credited invoice\'s card payment through Stripe and record the refund (staff)')
    .argument('<invoice>', 'the credited invoice or its credit note (id or number)')
    .option('--amount <cents>', 'cents to pay back (default: all that is due back)', whole)
    .action(async (ref: string, o: { amount?: number }) => {
      const r = await client(program).post<Item>(`/api/v1/invoices/${seg(ref)}/card-refund`, o.amount ? { amountCents: o.amount } : {});
      show(program, r, r.status === 'succeeded' ? `refunded through Stripe (${String(r.providerId)}) and recorded` : `Stripe is processing refund ${String(r.providerId)}: its webhook records it`);
    });
}
