// The verbs of customers and delegations. A customer's owners change the customer and who acts for
// it; a suspended or closed customer is read-only for its own users (the policy says so through
// c.may); staff change everything. Staff alone attach an existing account directly (support work);
// customers' owners invite (operations-invitations.ts), and an invitation needs its recipient.
import type { AppContext } from '../platform/context.js';
import { customerScope, isStaff, type Caller, type DelegationRole } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { customerSubject } from './rules.js';
import { customerName, showCustomer, showDelegation, type CustomerRow } from './model-customers.js';
import {
  createCustomer as insertCustomer, deleteCustomer, deleteDelegation, findCustomer, listCustomers, listDelegations,
  updateCustomer as writeCustomer, updateDelegation, type CustomerInput,
} from './store-customers.js';

export async function listCustomersOf(app: AppContext, caller: Caller, query: ListQuery) {
  reader(app, caller); // the scope decides: staff see all, customer users their own
  const page = await listCustomers(app.db, customerScope(caller.actor), query);
  return { ...page, items: page.items.map(showCustomer) };
}

export async function showCustomerOf(app: AppContext, caller: Caller, ref: string) {
  const customer = await findCustomer(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(customerSubject(customer));
  return showCustomer(customer);
}

export function createCustomer(app: AppContext, caller: Caller, input: CustomerInput) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const customer = await insertCustomer(c.db, input, c.now);
    await c.audit({ action: 'customer.create', targetType: 'customer', targetId: customer.id, target: customerName(customer), customerId: customer.id, after: input });
    return showCustomer(customer);
  });
}

export function updateCustomer(app: AppContext, caller: Caller, ref: string, patch: Partial<CustomerInput>) {
  return change(app, caller, async (c) => {
    const before = await findCustomer(c.db, ref, customerScope(caller.actor));
    c.may(customerSubject(before), 'own');
    if (patch.status && patch.status !== before.status && caller.actor && !isStaff(caller.actor)) {
      throw new AppError('customer.forbidden', 'only the platform staff change a customer\'s status', { params: { role: 'owner', needed: 'staff' } });
    }
    const after = await writeCustomer(c.db, before.id, patch, c.now);
    await c.audit({ action: 'customer.update', targetType: 'customer', targetId: after.id, target: customerName(after), customerId: after.id, before: showCustomer(before), after: patch });
    return showCustomer(after);
  });
}

export function removeCustomer(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const customer = await findCustomer(c.db, ref);
    await deleteCustomer(c.db, customer.id);
    await c.audit({ action: 'customer.delete', targetType: 'customer', targetId: customer.id, target: customerName(customer), before: showCustomer(customer) });
  });
}

// ---- delegations ----------------------------------------------------------------------------

export async function listDelegationsOf(app: AppContext, caller: Caller, ref: string) {
  const customer = await findCustomer(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(customerSubject(customer, 'delegation'));
  const items = (await listDelegations(app.db, customer.id)).map(showDelegation);
  return { items, nextCursor: null, total: items.length };
}

const delegationName = (email: string, customer: CustomerRow) => `${email} → ${customer.number}`;

export function changeDelegation(app: AppContext, caller: Caller, ref: string, delegationRef: string, role: DelegationRole) {
  return change(app, caller, async (c) => {
    const customer = await findCustomer(c.db, ref, customerScope(caller.actor));
    c.may(customerSubject(customer, 'delegation'), 'own');
    const { before, after } = await updateDelegation(c.db, customer.id, delegationRef, role);
    await c.audit({ action: 'delegation.update', targetType: 'delegation', targetId: after.id, target: delegationName(after.email, customer), customerId: customer.id, before: { role: before.role }, after: { role: after.role } });
    return showDelegation(after);
  });
}

export function removeDelegation(app: AppContext, caller: Caller, ref: string, delegationRef: string) {
  return change(app, caller, async (c) => {
    const customer = await findCustomer(c.db, ref, customerScope(caller.actor));
    c.may(customerSubject(customer, 'delegation'), 'own');
    const d = await deleteDelegation(c.db, customer.id, delegationRef);
    await c.audit({ action: 'delegation.delete', targetType: 'delegation', targetId: d.id, target: delegationName(d.email, customer), customerId: customer.id, before: { email: d.email, role: d.role } });
  });
}
