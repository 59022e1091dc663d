// Error codes of payments: recording what an invoice received, refunds of credited invoices.
import { defineErrors } from '../platform/errors.js';

export const paymentErrors = defineErrors({
  /** no such payment (for the payment providers' lookups) */
  'payment.not_found': 'not_found',
  /** only invoices are paid: not a proforma, not a credit note (params: number, kind) */
  'payment.not_payable': 'conflict',
  /** the invoice is credited: nothing is owed on it any more (params: number, creditNote) */
  'payment.invoice_credited': 'conflict',
  /** more than the invoice's balance (params: number, amountCents, balanceCents) */
  'payment.exceeds_balance': 'conflict',
  /** the payment's currency is not the invoice's (params: number, currency, invoiceCurrency) */
  'payment.currency_mismatch': 'conflict',
  /** a payment is not received after today (params: receivedOn, today) */
  'payment.in_future': 'invalid',
  /** the provider's payment id is recorded already, for another invoice (params: provider, providerId, number) */
  'payment.provider_id_taken': 'conflict',
  /** a refund needs a credited invoice that was paid (params: number) */
  'payment.refund_not_due': 'conflict',
  /** more than what is due back on the credited invoice (params: number, amountCents, refundDueCents) */
  'payment.exceeds_refund_due': 'conflict',
  /** the reference is not a valid RF creditor reference of an invoice (params: reference) */
  'payment.reference_invalid': 'invalid',
  /** a field: the IBAN's format, country length or mod-97 check digits are wrong */
  'billing.iban_invalid': 'invalid',
  /** a field: a BIC is 8 or 11 letters and digits */
  'billing.bic_invalid': 'invalid',
});
