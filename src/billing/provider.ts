// The contract of an online payment provider (Stripe, later PayPal or Mollie): start a payment of an
// invoice, verify and parse what its webhooks say, refund. Abri implements none here: each provider
// lives in its own module, implements this interface, and feeds what its webhooks say to
// `recordPayment` / `recordRefund` (operations-payments.ts) inside a change, with its name as
// `provider` and its own id of the payment as `providerId`: the payments table keeps that pair
// unique, so a replayed or reordered webhook never pays an invoice twice.
import type { PaymentMethod } from '../platform/db/schema-billing.js';

/** What a provider needs to know of the invoice it collects (never more: no customer's secrets). */
export interface PayableInvoice {
  id: string;
  /** F2026-000123: shown to the payer, and put in the provider's metadata to find the invoice back */
  number: string;
  customerId: string;
  /** what is left to pay, in cents of `currency` (> 0) */
  balanceCents: number;
  /** ISO 4217, upper case (EUR) */
  currency: string;
  /** the buyer's e-mail as frozen on the invoice (may be empty) */
  email: string;
  locale: 'fr' | 'en';
  /** the RF creditor reference of the invoice */
  paymentReference: string;
}

export interface StartOptions {
  /** where the provider sends the payer back once done (the invoice's page in the UI) */
  returnUrl: string;
  /**
   * The same key for a retry of the same start (the invoice's id and balance, for example): the
   * provider answers the payment it made then instead of a second one.
   */
  idempotencyKey: string;
}

/** A payment begun at the provider: the payer completes it there, the webhook says when it succeeded. */
export interface StartedPayment {
  /** the provider's id of this payment (a Stripe PaymentIntent's id): the `providerId` its success will carry */
  providerId: string;
  /** what the UI needs to let the payer pay: a page to send them to, or a client secret for an embedded form */
  redirectUrl?: string;
  clientSecret?: string;
}

/** A webhook delivery as the HTTP layer received it: the signature covers the exact bytes. */
export interface WebhookDelivery {
  /** header names in lower case */
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/**
 * What a verified webhook says, in Abri's terms. Amounts are positive cents; `receivedOn` is the UTC
 * day the provider took (or gave back) the money. `providerId` identifies the payment (or the refund)
 * at the provider and is what makes recording it idempotent.
 */
export type ProviderEvent =
  | { kind: 'payment_succeeded'; invoiceId: string; providerId: string; amountCents: number; currency: string; method: PaymentMethod; receivedOn: string; reference?: string }
  | { kind: 'payment_failed'; invoiceId: string; providerId: string; reason: string }
  | { kind: 'refund_succeeded'; invoiceId: string; providerId: string; amountCents: number; currency: string; receivedOn: string; reference?: string }
  /** a verified event that concerns no payment (Abri ignores it, and answers the provider 2xx) */
  | { kind: 'ignored'; type: string };

export interface RefundRequest {
  /** the provider's id of the payment to refund (a payments row's providerId) */
  paymentProviderId: string;
  /** positive cents, at most what that payment received minus its refunds */
  amountCents: number;
  currency: string;
  /** the credit note that makes the refund due (F/A number), for the provider's metadata */
  creditNote: string;
  /** the same key for a retry of the same refund */
  idempotencyKey: string;
}

/** A refund asked of the provider; its webhook (`refund_succeeded`) records it, or the caller does at once when `succeeded`. */
export interface StartedRefund {
  providerId: string;
  status: 'succeeded' | 'pending' | 'failed';
}

export interface PaymentProvider {
  /** lower-case name, stored as `payments.provider` (^[a-z][a-z0-9_-]{0,31}$): 'stripe' */
  readonly name: string;
  /** the methods it collects (recorded as each payment's method): ['card'] */
  readonly methods: readonly PaymentMethod[];

  /**
   * Starts the payment of an invoice's balance. Called outside any database transaction (it talks
   * to the provider over the network). Nothing is recorded: the payment exists for Abri only once
   * the provider's webhook says it succeeded.
   */
  start(invoice: PayableInvoice, opts: StartOptions): Promise<StartedPayment>;

  /**
   * Verifies a webhook's signature (with the provider's secret, against the raw bytes and within the
   * provider's tolerance of time) and parses it. Throws `payment.webhook_invalid` (an `AppError`,
   * declared by the provider's module) when the signature does not verify; never records anything.
   */
  parseWebhook(delivery: WebhookDelivery): Promise<ProviderEvent>;

  /** Asks the provider to pay back (part of) a payment. Called outside any database transaction. */
  refund(request: RefundRequest): Promise<StartedRefund>;
}
