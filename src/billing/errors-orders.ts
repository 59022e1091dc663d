// Error codes of orders: an offer ordered (by a new or an existing customer), cancelled, provisioned.
import { defineErrors } from '../platform/errors.js';

export const orderErrors = defineErrors({
  'order.not_found': 'not_found',
  /** orders are placed and cancelled by a customer's owners (params: role, needed) */
  'order.forbidden': 'forbidden',
  /** the offer is not (or no longer) offered to order: archived, free, or not orderable (params: offer) */
  'order.offer_not_orderable': 'conflict',
  /** only an order awaiting payment, with nothing paid on its invoice yet, is cancelled (params: number, state) */
  'order.not_cancellable': 'conflict',
  /** only an order whose provisioning failed is retried (params: number, state) */
  'order.not_retryable': 'conflict',
  /** ordering with a new account is switched off on this platform (ABRI_ORDERS_SIGNUP=off) */
  'order.signup_off': 'not_found',
  /** this e-mail cannot open a new account: if it is yours, log in and order from your area */
  'order.email_unavailable': 'conflict',
  /** staff ordering for a customer name it (customerId); a customer's user orders for one customer of theirs */
  'order.customer_required': 'invalid',
});
