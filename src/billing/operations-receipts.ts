// The receipt of a payment or a refund, e-mailed to the customer's contact address in their language,
// queued in the change that records it (so once per payment: a replayed webhook records nothing, and
// the message is keyed by the payment besides).
import type { Change } from '../platform/change.js';
import { queueMessage } from '../outbox/operations.js';
import type { InvoiceView } from './model.js';
import type { PaymentView } from './model-payments.js';
import { formatDay, formatMoney } from './render-invoice.js';
import { buyerOf } from './store-invoices.js';
import { readSeller } from './store-settings.js';

/** Queues the receipt of `payment` (recorded just now on `invoice`, as it is after it). */
export async function sendReceipt(c: Change, invoice: InvoiceView, payment: PaymentView): Promise<void> {
  const buyer = await buyerOf(c.db, invoice.customerId);
  if (!buyer.email) return;
  const seller = await readSeller(c.db);
  const l = buyer.locale;
  const money = (cents: number) => formatMoney(cents, payment.currency, l);
  await queueMessage(c, {
    template: 'receipt', locale: l, to: buyer.email, customerId: invoice.customerId, link: `${c.app.config.publicUrl}/invoices/${invoice.id}`, dedupeKey: `receipt:${payment.id}`,
    params: {
      kind: payment.amountCents < 0 ? 'refund' : 'payment', number: invoice.number, seller: seller.name, amount: money(Math.abs(payment.amountCents)), method: payment.method,
      receivedOn: formatDay(payment.receivedOn, l), reference: payment.reference, balance: invoice.balanceCents > 0 ? money(invoice.balanceCents) : null, creditNote: payment.creditNote?.number ?? null,
    },
  });
}
