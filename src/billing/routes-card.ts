// Card payments over HTTP: whether the platform takes cards, a customer's user starts paying an
// invoice by card (sent to the provider's page), the provider's signed webhook, staff refund a
// credited invoice's card payment through the provider.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { invoiceOut } from './model.js';
import { paymentOut } from './model-payments.js';
import { cardOptions, receiveWebhook, refundCardPayment, startCardPayment } from './operations-card.js';

const recorded = z.object({ payment: paymentOut, invoice: invoiceOut, replayed: z.boolean() });

export const cardRoutes = [
  route({
    method: 'GET', path: '/api/v1/payments/options', summary: 'The online payment methods the platform offers (card: only when Stripe is set up)', tag: 'billing', access: 'user',
    response: z.object({ card: z.boolean(), provider: z.string().nullable().describe('the card provider: stripe, or null') }),
    handler: ({ app, caller }) => Promise.resolve(cardOptions(app, caller)),
  }),
  route({
    method: 'POST', path: '/api/v1/invoices/{id}/card-payment', summary: 'Start paying an invoice\'s balance by card: answers the provider\'s page to send the payer to (nothing is recorded until the provider confirms)', tag: 'billing', access: 'user', tenant: true, status: 201,
    whileReadOnly: true, // nothing changes here; the payment is recorded by the provider's webhook
    params: idParams,
    response: z.object({
      provider: z.string(), providerId: z.string().describe('the provider\'s id of this payment page (a Stripe Checkout session)'),
      redirectUrl: z.string().nullable().describe('where to send the payer'), amountCents: z.number().int(), currency: z.string(),
    }),
    errors: ['invoice.not_found', 'invoice.forbidden', 'payment.card_unavailable', 'payment.not_payable', 'payment.invoice_credited', 'payment.nothing_due', 'payment.provider_failed'],
    handler: ({ app, caller, params }) => startCardPayment(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/payments/stripe/webhook', summary: 'Stripe\'s webhook: a signed event (Stripe-Signature) records a card payment or refund once, however often it is delivered; other events are acknowledged', tag: 'billing', access: 'public',
    whileReadOnly: true, rawBody: true,
    body: z.object({ id: z.string(), type: z.string() }).loose().describe('a Stripe event, verified against the Stripe-Signature header over the exact bytes'),
    response: z.object({ received: z.literal(true), outcome: z.enum(['recorded', 'replayed', 'failed', 'ignored']), type: z.string() }),
    errors: ['payment.webhook_invalid', 'payment.card_unavailable', 'invoice.not_found', 'payment.not_payable', 'payment.invoice_credited', 'payment.exceeds_balance', 'payment.currency_mismatch', 'payment.provider_id_taken', 'payment.refund_not_due', 'payment.exceeds_refund_due'],
    handler: ({ app, req }) => receiveWebhook(app, { headers: req.request.headers, rawBody: req.rawBody ?? Buffer.alloc(0) }, req.address),
  }),
  route({
    method: 'POST', path: '/api/v1/invoices/{id}/card-refund', summary: 'Pay back a credited invoice\'s card payment through the provider, and record the refund once the provider has made it (staff)', tag: 'billing', access: 'staff', status: 201,
    params: idParams,
    body: z.strictObject({ amountCents: z.number().int().min(1).max(99_999_999_999).optional().describe('default: all that is due back') }),
    response: z.object({ provider: z.string(), providerId: z.string().describe('the provider\'s id of the refund'), status: z.enum(['succeeded', 'pending']), recorded: recorded.nullable().describe('the refund as recorded; null while the provider processes it (its webhook records it)') }),
    errors: ['invoice.not_found', 'payment.card_unavailable', 'payment.refund_not_due', 'payment.exceeds_refund_due', 'payment.no_card_payment', 'payment.provider_failed'],
    handler: ({ app, caller, params, body }) => refundCardPayment(app, caller, params.id, body.amountCents),
  }),
];
