// Card payments through Stripe, with the official SDK: the payer pays on Stripe's own Checkout page
// (Abri never sees a card number), Stripe's signed webhooks say when the money came (or went back),
// refunds go through Stripe's refunds API. What Abri recognises of its own carries its metadata
// (`abri_invoice_id`, `abri_platform`): events of other uses of the same Stripe account are ignored.
import Stripe from 'stripe';
import type { Clock } from '../platform/clock.js';
import type { StripeSettings } from '../platform/config-stripe.js';
import { AppError } from '../platform/errors.js';
import type { PayableInvoice, PaymentProvider, ProviderEvent, RefundRequest, StartOptions, StartedPayment, StartedRefund, WebhookDelivery } from './provider.js';

const dayOfSeconds = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/** A refusal or an outage of Stripe, as Abri says it (the message is Stripe's own; never a secret). */
export function providerFailure(e: unknown): AppError {
  if (!(e instanceof Stripe.errors.StripeError)) return e instanceof AppError ? e : new AppError('payment.provider_failed', `Stripe could not be reached: ${(e as Error).message}`, { params: { provider: 'stripe', code: '' } });
  return new AppError('payment.provider_failed', `Stripe refused: ${e.message}`, { params: { provider: 'stripe', code: e.code ?? e.type } });
}

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe';
  readonly methods = ['card'] as const;
  private readonly stripe: Stripe;

  constructor(
    private readonly settings: StripeSettings,
    private readonly clock: Clock,
    /** the platform's public URL: put in the metadata, so that two platforms sharing an account keep apart */
    private readonly platform: string,
  ) {
    const base = settings.apiBase;
    this.stripe = new Stripe(settings.secretKey, {
      host: base.hostname,
      port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
      protocol: base.protocol === 'https:' ? 'https' : 'http',
      maxNetworkRetries: 2,
      timeout: 30_000,
      telemetry: false,
      appInfo: { name: 'Abri' },
    });
  }

  async start(invoice: PayableInvoice, opts: StartOptions): Promise<StartedPayment> {
    const label = invoice.locale === 'fr' ? `Facture ${invoice.number}` : `Invoice ${invoice.number}`;
    const metadata = { abri_invoice_id: invoice.id, abri_invoice_number: invoice.number, abri_platform: this.platform };
    try {
      const session = await this.stripe.checkout.sessions.create({
        mode: 'payment',
        client_reference_id: invoice.id,
        ...(invoice.email ? { customer_email: invoice.email } : {}),
        locale: invoice.locale,
        line_items: [{ quantity: 1, price_data: { currency: invoice.currency.toLowerCase(), unit_amount: invoice.balanceCents, product_data: { name: label } } }],
        metadata,
        payment_intent_data: { metadata, description: `${label} (${invoice.paymentReference})` },
        success_url: `${opts.returnUrl}?card=done`,
        cancel_url: `${opts.returnUrl}?card=cancelled`,
      }, { idempotencyKey: opts.idempotencyKey });
      if (!session.url) throw new AppError('payment.provider_failed', 'Stripe answered a Checkout session without a page to pay on', { params: { provider: 'stripe', code: 'no_url' } });
      return { providerId: session.id, redirectUrl: session.url };
    } catch (e) {
      throw providerFailure(e);
    }
  }

  parseWebhook(delivery: WebhookDelivery): Promise<ProviderEvent> {
    const header = delivery.headers['stripe-signature'];
    let event: Stripe.Event;
    try {
      if (typeof header !== 'string') throw new Stripe.errors.StripeSignatureVerificationError(String(header ?? ''), '', { message: 'no Stripe-Signature header' });
      // the tolerance of time is the SDK's (5 minutes), against the platform's clock
      event = this.stripe.webhooks.constructEvent(delivery.rawBody, header, this.settings.webhookSecret, undefined, undefined, this.clock.now().getTime());
    } catch (e) {
      if (!(e instanceof Stripe.errors.StripeSignatureVerificationError)) throw e;
      throw new AppError('payment.webhook_invalid', `the Stripe signature does not verify: ${e.message}`, { params: { provider: 'stripe' } });
    }
    return Promise.resolve(this.eventOf(event));
  }

  /** A verified event in Abri's terms: only what carries this platform's metadata is Abri's. */
  private eventOf(event: Stripe.Event): ProviderEvent {
    const ignored: ProviderEvent = { kind: 'ignored', type: event.type };
    const receivedOn = dayOfSeconds(event.created);
    const ours = (m: Stripe.Metadata | null | undefined) => (m?.abri_platform === this.platform && m.abri_invoice_id ? m : null);
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded': {
        const s = event.data.object;
        const m = ours(s.metadata);
        const pi = idOf(s.payment_intent);
        if (!m || s.payment_status !== 'paid' || !pi || s.amount_total === null || !s.currency) return ignored;
        return { kind: 'payment_succeeded', invoiceId: m.abri_invoice_id!, providerId: pi, amountCents: s.amount_total, currency: s.currency.toUpperCase(), method: 'card', receivedOn, reference: s.id };
      }
      case 'payment_intent.succeeded': {
        const pi = event.data.object;
        const m = ours(pi.metadata);
        if (!m) return ignored;
        return { kind: 'payment_succeeded', invoiceId: m.abri_invoice_id!, providerId: pi.id, amountCents: pi.amount_received, currency: pi.currency.toUpperCase(), method: 'card', receivedOn };
      }
      case 'payment_intent.payment_failed': {
        const pi = event.data.object;
        const m = ours(pi.metadata);
        if (!m) return ignored;
        const err = pi.last_payment_error;
        return { kind: 'payment_failed', invoiceId: m.abri_invoice_id!, providerId: pi.id, reason: [err?.decline_code ?? err?.code, err?.message].filter(Boolean).join(': ') || 'declined' };
      }
      case 'refund.created':
      case 'refund.updated': {
        const r = event.data.object;
        const m = ours(r.metadata);
        if (!m || r.status !== 'succeeded') return ignored;
        return { kind: 'refund_succeeded', invoiceId: m.abri_invoice_id!, providerId: r.id, amountCents: r.amount, currency: r.currency.toUpperCase(), receivedOn, reference: idOf(r.payment_intent) ?? '' };
      }
      default:
        return ignored;
    }
  }

  async refund(request: RefundRequest & { invoiceId?: string }): Promise<StartedRefund> {
    try {
      const refund = await this.stripe.refunds.create({
        payment_intent: request.paymentProviderId,
        amount: request.amountCents,
        metadata: { abri_invoice_id: request.invoiceId ?? request.creditNote, abri_credit_note: request.creditNote, abri_platform: this.platform },
      }, { idempotencyKey: request.idempotencyKey });
      const status = refund.status === 'succeeded' ? 'succeeded' : refund.status === 'failed' || refund.status === 'canceled' ? 'failed' : 'pending';
      return { providerId: refund.id, status };
    } catch (e) {
      throw providerFailure(e);
    }
  }
}
