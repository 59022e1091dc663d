// A local Stripe-compatible server for tests: stripe-stateful-mock (charges, refunds, customers…)
// extended with what it lacks and Abri uses, Checkout sessions, and a page standing for Stripe's
// hosted Checkout page: "paying" there charges a test token (tok_visa, tok_chargeDeclined…) with the
// mock's own charges, then POSTs the signed webhook Stripe would send (signed with the SDK's
// generateTestHeaderString) to Abri. Refunds by payment_intent are mapped to the mock's charge.
// No request ever leaves the machine; nothing here is a real charge.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type { Answer } from './manager.js';
import { createExpressApp } from 'stripe-stateful-mock';

export interface LocalSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  url: string;
  amount_total: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string | null;
  payment_status: 'unpaid' | 'paid';
  status: 'open' | 'complete';
  success_url: string;
  cancel_url: string;
  client_reference_id: string | null;
  customer_email: string | null;
  locale: string | null;
  created: number;
  livemode: false;
  /** what Abri sent, as form fields */
  form: Record<string, string>;
}

/** Abri's answer to a delivery (its body as the test client parses it) */
export type Delivered = Pick<Answer, 'status' | 'body'>;

export interface LocalStripe {
  url: string;
  secretKey: string;
  webhookSecret: string;
  sessions: Map<string, LocalSession>;
  /** the refunds Abri asked for, as form fields */
  refunds: Array<Record<string, string>>;
  /** where signed events go (Abri's webhook URL); set once Abri listens */
  deliverTo: string;
  /** how deliveries reach Abri (default: fetch to deliverTo; a test may check them against the contract) */
  post: (payload: string, header: string) => Promise<Delivered>;
  /** where the stand-in page sends the payer back (a test manager's ABRI_PUBLIC_URL has port 0: a test maps it to its real address) */
  returnTo: (url: string) => string;
  /** seconds of the events' `created` and signatures (the platform's clock in tests) */
  now: () => number;
  /** charges the session's amount with a test token at the mock: the paid session, or the SDK's card error */
  pay(sessionId: string, token: string): Promise<LocalSession>;
  /** a Stripe event of this type and object, and its Stripe-Signature header */
  signed(type: string, object: object, secret?: string): { payload: string; header: string };
  /** POSTs a signed event to Abri; answers its status and body */
  deliver(type: string, object: object, opts?: { secret?: string; header?: string; payload?: string }): Promise<Delivered>;
  close(): Promise<void>;
}

const read = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
};

/** `metadata[a]=b` → { metadata: { a: 'b' } } (one level: what the mock's refunds read). */
function nested(form: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(form)) {
    const m = /^(\w+)\[(\w+)\]$/.exec(k);
    if (m) ((out[m[1]!] ??= {}) as Record<string, string>)[m[2]!] = v;
    else out[k] = v;
  }
  return out;
}

const prefixed = (form: Record<string, string>, prefix: string) =>
  Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith(`${prefix}[`)).map(([k, v]) => [k.slice(prefix.length + 1, -1), v]));

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const page = (s: LocalSession, message = '') => `<!doctype html><html lang="en"><head><title>Local Checkout ${s.id}</title></head><body><main>
<h1>Local Checkout (test server, no real charge)</h1><p data-testid="amount">${s.amount_total} ${s.currency}</p>${message ? `<p role="alert">${message}</p>` : ''}
<form method="post"><label>Test card <select name="token"><option value="tok_visa">Visa (succeeds)</option><option value="tok_chargeDeclined">Declined</option></select></label>
<button type="submit">Pay</button></form></main></body></html>`;

export async function startLocalStripe(): Promise<LocalStripe> {
  const mock = createExpressApp();
  const sessions = new Map<string, LocalSession>();
  const byKey = new Map<string, string>();
  const chargeOfIntent = new Map<string, string>();
  const refunds: Array<Record<string, string>> = [];
  let sdk: Stripe;

  const authorized = (req: IncomingMessage) => req.headers.authorization === `Bearer ${local.secretKey}`;

  async function createSession(req: IncomingMessage, res: ServerResponse) {
    const form = await read(req);
    if (!authorized(req)) return json(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    const key = req.headers['idempotency-key'];
    const earlier = typeof key === 'string' ? byKey.get(key) : undefined;
    if (earlier) return json(res, 200, sessions.get(earlier));
    const amount = Number(form['line_items[0][price_data][unit_amount]']);
    if (form.mode !== 'payment' || !(amount > 0) || !form.success_url || !form.cancel_url) return json(res, 400, { error: { type: 'invalid_request_error', message: 'mode, line_items, success_url and cancel_url are required' } });
    const id = `cs_test_${randomBytes(12).toString('hex')}`;
    const s: LocalSession = {
      id, object: 'checkout.session', mode: form.mode, url: `${local.url}/pay/${id}`, amount_total: amount, currency: form['line_items[0][price_data][currency]']!,
      metadata: prefixed(form, 'metadata'), payment_intent: null, payment_status: 'unpaid', status: 'open', success_url: form.success_url, cancel_url: form.cancel_url,
      client_reference_id: form.client_reference_id ?? null, customer_email: form.customer_email ?? null, locale: form.locale ?? null, created: local.now(), livemode: false, form,
    };
    sessions.set(id, s);
    if (typeof key === 'string') byKey.set(key, id);
    json(res, 200, s);
  }

  /** Refunds by payment_intent: the mock knows only charges. */
  async function refund(req: IncomingMessage, res: ServerResponse) {
    const form = await read(req);
    refunds.push(form);
    const { payment_intent: intent, ...rest } = form;
    const charge = intent ? chargeOfIntent.get(intent) : rest.charge;
    if (intent && !charge) return json(res, 404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${intent}'` } });
    Object.assign(req, { body: nested({ ...rest, charge: charge! }), _body: true });
    mock(req, res);
  }

  /** The stand-in for Stripe's hosted page: pay with a test token, the webhook goes to Abri, the payer back to Abri. */
  async function checkoutPage(req: IncomingMessage, res: ServerResponse, id: string) {
    const s = sessions.get(id);
    if (!s) return json(res, 404, { error: { message: 'no such session' } });
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(s));
    }
    const { token } = await read(req);
    try {
      const paid = await local.pay(id, token ?? 'tok_visa');
      await local.deliver('checkout.session.completed', paid);
      res.writeHead(303, { location: local.returnTo(paid.success_url) });
      res.end();
    } catch (e) {
      if (!(e instanceof Stripe.errors.StripeCardError)) throw e;
      const intent = { id: `pi_declined_${randomBytes(6).toString('hex')}`, object: 'payment_intent', amount: s.amount_total, currency: s.currency, metadata: s.metadata, status: 'requires_payment_method', last_payment_error: { code: e.code, decline_code: e.decline_code, message: e.message } };
      await local.deliver('payment_intent.payment_failed', intent);
      res.writeHead(402, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page(s, e.message));
    }
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const pay = /^\/pay\/(cs_test_\w+)$/.exec(path);
    const done = (p: Promise<unknown>) => p.catch((e: Error) => json(res, 500, { error: { type: 'api_error', message: e.message } }));
    if (req.method === 'POST' && path === '/v1/checkout/sessions') return void done(createSession(req, res));
    const one = /^\/v1\/checkout\/sessions\/(\w+)$/.exec(path);
    if (req.method === 'GET' && one) return authorized(req) && sessions.has(one[1]!) ? json(res, 200, sessions.get(one[1]!)) : json(res, 404, { error: { type: 'invalid_request_error', code: 'resource_missing' } });
    if (req.method === 'POST' && path === '/v1/refunds') return void done(refund(req, res));
    if (pay) return void done(checkoutPage(req, res, pay[1]!));
    mock(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const local: LocalStripe = {
    url: `http://127.0.0.1:${port}`,
    secretKey: `sk_test_${randomBytes(12).toString('hex')}`,
    webhookSecret: `whsec_${randomBytes(16).toString('hex')}`,
    sessions,
    refunds,
    deliverTo: '',
    returnTo: (url) => url,
    now: () => Math.floor(Date.now() / 1000),
    async pay(sessionId, token) {
      const s = sessions.get(sessionId);
      if (!s) throw new Error(`no session ${sessionId}`);
      const charge = await sdk.charges.create({ amount: s.amount_total, currency: s.currency, source: token, metadata: s.metadata });
      const intent = `pi_${charge.id.slice(3)}`;
      chargeOfIntent.set(intent, charge.id);
      Object.assign(s, { payment_intent: intent, payment_status: 'paid', status: 'complete' });
      return s;
    },
    signed(type, object, secret = local.webhookSecret) {
      const created = local.now();
      const payload = JSON.stringify({ id: `evt_${randomBytes(12).toString('hex')}`, object: 'event', api_version: '2026-10-28.endive', created, livemode: false, pending_webhooks: 1, type, data: { object } });
      return { payload, header: sdk.webhooks.generateTestHeaderString({ payload, secret, timestamp: created }) };
    },
    async post(payload, header) {
      const res = await fetch(`${local.deliverTo}/api/v1/payments/stripe/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body: payload });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    deliver(type, object, opts = {}) {
      const s = local.signed(type, object, opts.secret);
      return local.post(opts.payload ?? s.payload, opts.header ?? s.header);
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.close((e) => (e ? reject(e) : resolve()));
      server.closeAllConnections();
    }),
  };
  sdk = new Stripe(local.secretKey, { host: '127.0.0.1', port, protocol: 'http', telemetry: false, maxNetworkRetries: 0 });
  return local;
}
