// `abri card …` against a real manager set up with the local Stripe-compatible server
// (test/helpers/stripe-local.ts; no real charge): whether cards are taken, the page to pay an invoice
// on, a refund of a credited card payment through Stripe; refusals are one clear line with a non-zero
// exit (a usage error: 2).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abri, cliOf, oneLineError } from './helpers/cli.js';
import { startTestManager, type TestManager } from './helpers/manager.js';
import { startLocalStripe, type LocalStripe } from './helpers/stripe-local.js';
import { invoicedHosting } from './helpers/billing.js';

describe('card commands over the API', () => {
  let m: TestManager;
  let stripe: LocalStripe;
  let env: Record<string, string> = {};
  const { json, run } = cliOf(() => env);
  before(async () => {
    stripe = await startLocalStripe();
    m = await startTestManager({ settings: { ABRI_STRIPE_SECRET_KEY: stripe.secretKey, ABRI_STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, ABRI_STRIPE_API_BASE: stripe.url } });
    stripe.deliverTo = m.url;
    env = { ABRI_API_URL: m.url, ABRI_TOKEN: m.adminToken };
  });
  after(async () => {
    await m?.close();
    await stripe?.close();
  });

  it('says cards are on, prints the page to pay on, refunds through Stripe', async () => {
    assert.match(await run('card', 'status'), /^card payments: on \(stripe\)$/m);
    const { invoice: inv } = await invoicedHosting(m, 1250);

    const out = await run('card', 'pay', inv.number);
    const url = /^pay 12\.50 EUR at: (\S+)$/m.exec(out)?.[1];
    assert.ok(url?.startsWith(`${stripe.url}/pay/cs_test_`), out);
    const started = await json('card', 'pay', inv.number);
    assert.equal(started.redirectUrl, url, 'the same page again');
    assert.match(oneLineError(await abri(['card', 'refund', inv.number], env)), /owes no refund/);
    assert.equal((await stripe.deliver('checkout.session.completed', await stripe.pay(started.providerId, 'tok_visa'))).status, 200);
    assert.match(oneLineError(await abri(['card', 'pay', inv.number], env)), /is paid: nothing is left to pay/);

    await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'Doublon' });
    oneLineError(await abri(['card', 'refund', inv.number, '--amount', 'all'], env), 2);
    assert.match(await run('card', 'refund', inv.number, '--amount', '250'), /^refunded through Stripe \(\S+\) and recorded$/m);
    assert.equal((await m.api('GET', `/api/v1/invoices/${inv.id}`)).body.paidCents, 1000);
  });
});
