// Ordering with a new account, from the public order page: the customer (its name, billing address,
// e-mail), its owner user (that e-mail, the password chosen), the order and its invoice, all in one
// change, then the new user is signed in to pay. Switched off by ABRI_ORDERS_SIGNUP=off; each
// attempt counts against the caller's address like a login (committed before the signup is tried,
// so a refused one counts too); an e-mail that already has an account is refused without saying
// more than a login would (log in and order from the customers' area); read-only mode refuses it
// like any change (c.anyone()).
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { throttleLimits, waitText } from '../accounts/rules.js';
import { reserveAttempt } from '../accounts/store-throttle.js';
import { createUser, findUserByEmail } from '../accounts/store-users.js';
import { createCustomer, createDelegation } from '../accounts/store-customers.js';
import { customerName } from '../accounts/model-customers.js';
import { startSession, type Signed } from '../accounts/operations-login.js';
import type { OrderSignup, OrderView } from './model-orders.js';
import { placeOrderIn } from './operations-orders.js';

/** Signups per address before they slow down (then one more per window, as logins). */
const signupKeys = (address: string) => [{ key: `signup-address:${address}`, limits: throttleLimits(5) }];

export async function signupAndOrder(app: AppContext, caller: Caller, input: OrderSignup): Promise<{ signed: Signed; order: OrderView }> {
  if (!app.config.ordersSignup) throw new AppError('order.signup_off', 'ordering with a new account is switched off here: ask your host');
  const who: Caller = { ...caller, label: input.email };
  await change(app, who, async (c) => {
    c.anyone();
    c.nothingToAudit(); // counting attempts is bookkeeping; the signup itself is audited
    const { retryAfterMs } = await reserveAttempt(c.db, signupKeys(caller.address ?? 'unknown'), c.now);
    if (retryAfterMs !== null) {
      const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
      throw new AppError('auth.rate_limited', `too many new accounts from this address: wait ${waitText(retryAfterSeconds)}, then try again`, { params: { retryAfterSeconds } });
    }
  });
  return change(app, who, async (c) => {
    c.anyone();
    if (await findUserByEmail(c.db, input.email)) {
      throw new AppError('order.email_unavailable', 'this e-mail cannot open a new account: if you have one, log in and order from your area', {
        issues: [{ code: 'order.email_unavailable', path: 'body.email', message: 'cannot open a new account' }],
      });
    }
    const customer = await createCustomer(c.db, { name: input.name, contactEmail: input.email, postalAddress: input.postalAddress, status: 'active' }, c.now);
    const user = await createUser(c.db, { email: input.email, password: input.password, role: 'customer', locale: input.locale }, c.now);
    await createDelegation(c.db, customer.id, user.id, 'owner', c.now);
    // one audit entry for the change: the order, with the customer and its owner it made
    const order = await placeOrderIn(c, customer, input, user.email, {
      action: 'order.signup', after: { customer: customerName(customer), contactEmail: input.email, postalAddress: input.postalAddress, owner: user.email },
    });
    return { signed: await startSession(c, user), order };
  });
}
