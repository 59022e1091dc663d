// Orders over HTTP: what may be ordered and ordering with a new account (public: the order page),
// a customer's owner orders from their area, staff order for a customer, list, show, cancel an
// unpaid order, retry a failed provisioning.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { signedIn, withRetryAfter } from '../accounts/routes-auth.js';
import { orderableOfferOut, orderCreate, orderListQuery, orderOut, orderSignedUp, orderSignup } from './model-orders.js';
import { cancelOrder, listOrderableOffers, listOrdersOf, placeOrder, showOrder } from './operations-orders.js';
import { retryOrder } from './operations-order-provision.js';
import { signupAndOrder } from './operations-order-signup.js';

// what placing an order may answer besides validation: the offer, the domain (the sites' codes), the seller's settings
const placing = [
  'offer.not_found', 'order.offer_not_orderable', 'customer.closed', 'billing.seller_incomplete', 'site.domain_taken', 'site.zone_taken', 'site.platform_domain',
];

export const orderRoutes = [
  route({
    method: 'GET', path: '/api/v1/orders/offers', summary: 'The offers anyone may order, with their price and billing cycle (the public order page)', tag: 'orders', access: 'public',
    response: z.object({ items: z.array(orderableOfferOut), signup: z.boolean().describe('whether a new customer may open an account with an order here (ABRI_ORDERS_SIGNUP)') }),
    errors: ['auth.invalid_token'],
    handler: async ({ app }) => ({ items: await listOrderableOffers(app), signup: app.config.ordersSignup }),
  }),
  route({
    method: 'POST', path: '/api/v1/orders/signup',
    summary: 'Order with a new account: the customer, its owner (this e-mail and password), the order and its first invoice in one step; signs in (sets the session cookie) to pay. Limited per address (429 auth.rate_limited)',
    tag: 'orders', access: 'public', status: 201, body: orderSignup, response: orderSignedUp,
    errors: ['auth.csrf', 'auth.invalid_token', 'auth.rate_limited', 'order.signup_off', 'order.email_unavailable', ...placing],
    handler: ({ app, caller, body, req }) => withRetryAfter(req, async () => {
      const { signed, order } = await signupAndOrder(app, caller, body);
      return { me: signedIn(app, req, signed), order };
    }),
  }),
  route({
    method: 'GET', path: '/api/v1/orders', summary: 'Orders, newest first: a customer\'s users see their customers\' (staff: all, by state or customer)', tag: 'orders', access: 'user', tenant: true,
    query: orderListQuery, response: listOf(orderOut), errors: ['customer.not_found'],
    handler: ({ app, caller, query: { state, customerId, ...list } }) => listOrdersOf(app, caller, { state, customerId }, list),
  }),
  route({
    method: 'POST', path: '/api/v1/orders', summary: 'Order an offer: a customer\'s owner for their customer, staff for any customer (customerId); its first invoice is issued at once, to pay like any invoice', tag: 'orders', access: 'user', status: 201,
    body: orderCreate, response: orderOut, errors: ['order.forbidden', 'order.customer_required', 'customer.not_found', 'customer.suspended', ...placing],
    handler: ({ app, caller, body }) => placeOrder(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/orders/{id}', summary: 'An order (id or number): its state, its invoice, the hosting made', tag: 'orders', access: 'user', tenant: true,
    params: idParams, response: orderOut, errors: ['order.not_found'],
    handler: ({ app, caller, params }) => showOrder(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/orders/{id}/cancel', summary: 'Cancel an order awaiting payment, with nothing paid yet (its customer\'s owner, staff): its invoice is credited', tag: 'orders', access: 'user', tenant: true,
    params: idParams, response: orderOut, errors: ['order.not_found', 'order.forbidden', 'order.not_cancellable', 'customer.suspended', 'customer.closed', 'billing.seller_incomplete'],
    handler: ({ app, caller, params }) => cancelOrder(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/orders/{id}/retry', summary: 'Provision again an order whose provisioning failed (staff): it is paid again and its job runs at once', tag: 'orders', access: 'staff',
    params: idParams, response: orderOut, errors: ['order.not_found', 'order.not_retryable'],
    handler: ({ app, caller, params }) => retryOrder(app, caller, params.id),
  }),
];
