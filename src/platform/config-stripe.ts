// Settings of card payments through Stripe: the platform's secret API key, the signing secret of
// its webhook endpoint, and (for tests against a local Stripe-compatible server) the API's base URL.
// No secret key: card payments are off (the UI offers no card, the API says so).
import { AppError } from './errors.js';
import type { RawSettings } from './config-values.js';

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** the API's base URL: https://api.stripe.com, or a local server in tests */
  apiBase: URL;
}

export function stripeSettings(raw: RawSettings): StripeSettings | null {
  const secretKey = (raw.ABRI_STRIPE_SECRET_KEY ?? '').trim();
  const webhookSecret = (raw.ABRI_STRIPE_WEBHOOK_SECRET ?? '').trim();
  const base = (raw.ABRI_STRIPE_API_BASE ?? '').trim() || 'https://api.stripe.com';
  if (!secretKey) {
    if (webhookSecret) throw new AppError('config.invalid', 'ABRI_STRIPE_WEBHOOK_SECRET is set but ABRI_STRIPE_SECRET_KEY is not: set both to take card payments, or neither');
    return null;
  }
  if (!/^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,250}$/.test(secretKey)) throw new AppError('config.invalid', 'ABRI_STRIPE_SECRET_KEY must be a Stripe secret (or restricted) key: sk_live_…, sk_test_…, rk_live_… or rk_test_…');
  if (!/^whsec_[A-Za-z0-9_]{8,250}$/.test(webhookSecret)) throw new AppError('config.invalid', 'ABRI_STRIPE_WEBHOOK_SECRET must be the signing secret of the webhook endpoint (whsec_…): without it no payment could be recorded');
  if (!URL.canParse(base)) throw new AppError('config.invalid', `ABRI_STRIPE_API_BASE must be an http(s) URL like https://api.stripe.com (got "${base}")`);
  const apiBase = new URL(base);
  if (!/^https?:$/.test(apiBase.protocol) || apiBase.pathname !== '/' || apiBase.search) {
    throw new AppError('config.invalid', `ABRI_STRIPE_API_BASE must be an http(s) URL with no path, like https://api.stripe.com (got "${base}")`);
  }
  return { secretKey, webhookSecret, apiBase };
}
