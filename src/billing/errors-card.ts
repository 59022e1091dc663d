// Error codes of card payments (Stripe): starting one, its webhooks, refunds through the provider.
import { defineErrors } from '../platform/errors.js';

export const cardErrors = defineErrors({
  /** a readonly user of the customer: paying takes a manager or owner (params: role, needed) */
  'invoice.forbidden': 'forbidden',
  /** the platform takes no card payments: ABRI_STRIPE_SECRET_KEY is not set */
  'payment.card_unavailable': 'conflict',
  /** the invoice's balance is nothing: it is paid (params: number, status) */
  'payment.nothing_due': 'conflict',
  /** the webhook's signature does not verify (wrong secret, altered body, too old) (params: provider) */
  'payment.webhook_invalid': 'invalid',
  /** the provider refused or could not be reached (params: provider, code: its own code of the refusal) */
  'payment.provider_failed': 'unavailable',
  /** a refund through the provider needs a card payment of the invoice (params: number) */
  'payment.no_card_payment': 'conflict',
});
