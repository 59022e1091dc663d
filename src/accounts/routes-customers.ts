// Customers and delegations. Customer users see only their customers; owners manage delegations.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { AppError } from '../platform/errors.js';
import { idParams, ref } from '../platform/validation.js';
import { customerScope, isStaff } from '../platform/actor.js';
import { decide } from '../platform/policy.js';
import { recordAudit } from '../platform/store-audit.js';
import { customerCreate, customerOut, customerPatch, delegationCreate, delegationOut, delegationPatch, isoRequired, showCustomer } from './model.js';
import {
  createCustomer, createDelegation, deleteCustomer, deleteDelegation, findCustomer, listCustomers, listDelegations, updateCustomer, updateDelegation,
} from './store-customers.js';
import { createInvitation, createUser, findUserByEmail } from './store-users.js';
import { invitationUrl } from './routes-users.js';

type DelegationRow = Awaited<ReturnType<typeof listDelegations>>[number];
const showDelegation = (d: DelegationRow) => ({
  id: d.id, customerId: d.customerId, userId: d.userId, email: d.email, role: d.role, pending: !d.passwordHash, createdAt: isoRequired(d.createdAt),
});
const delegationParams = z.object({ id: ref, delegationId: ref });

export const customerRoutes = [
  route({
    method: 'GET', path: '/api/v1/customers', summary: 'List customers (customer users: their own)', tag: 'customers', access: 'user',
    query: listQuery, response: listOf(customerOut),
    async handler({ app, actor, query }) {
      const page = await listCustomers(app.db, customerScope(actor), query);
      return { ...page, items: page.items.map(showCustomer) };
    },
  }),
  route({
    method: 'POST', path: '/api/v1/customers', summary: 'Create a customer', tag: 'customers', access: 'staff', status: 201,
    body: customerCreate, response: customerOut,
    async handler({ app, actor, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const c = await createCustomer(trx, body);
        await recordAudit(trx, { actor, address: req.address }, { action: 'customer.create', targetType: 'customer', targetId: c.id, target: `${c.number} ${c.name}`, customerId: c.id, after: body });
        return showCustomer(c);
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/customers/{id}', summary: 'Show a customer (id or number)', tag: 'customers', access: 'user', tenant: true,
    params: idParams, response: customerOut,
    async handler({ app, actor, params }) {
      return showCustomer(await findCustomer(app.db, params.id, customerScope(actor)));
    },
  }),
  route({
    method: 'PATCH', path: '/api/v1/customers/{id}', summary: 'Change a customer (status: staff only)', tag: 'customers', access: 'user', tenant: true,
    params: idParams, body: customerPatch, response: customerOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const before = await findCustomer(trx, params.id, customerScope(actor));
        decide(actor, { what: 'customer', customerId: before.id }, 'own');
        if (body.status && body.status !== before.status && !isStaff(actor)) {
          throw new AppError('customer.forbidden', 'only the platform staff change a customer\'s status');
        }
        const after = await updateCustomer(trx, before.id, body);
        await recordAudit(trx, { actor, address: req.address }, { action: 'customer.update', targetType: 'customer', targetId: after.id, target: `${after.number} ${after.name}`, customerId: after.id, before: showCustomer(before), after: body });
        return showCustomer(after);
      });
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/customers/{id}', summary: 'Delete a customer without hostings', tag: 'customers', access: 'staff', tenant: true,
    params: idParams, status: 204,
    async handler({ app, actor, params, req }) {
      await app.db.transaction().execute(async (trx) => {
        const c = await findCustomer(trx, params.id);
        await deleteCustomer(trx, c.id);
        await recordAudit(trx, { actor, address: req.address }, { action: 'customer.delete', targetType: 'customer', targetId: c.id, target: `${c.number} ${c.name}`, before: showCustomer(c) });
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/customers/{id}/delegations', summary: 'List who has access to a customer', tag: 'customers', access: 'user', tenant: true,
    params: idParams, response: z.object({ items: z.array(delegationOut), nextCursor: z.null(), total: z.number() }),
    async handler({ app, actor, params }) {
      const c = await findCustomer(app.db, params.id, customerScope(actor));
      const items = (await listDelegations(app.db, c.id)).map(showDelegation);
      return { items, nextCursor: null, total: items.length };
    },
  }),
  route({
    method: 'POST', path: '/api/v1/customers/{id}/delegations', summary: 'Invite a user (by email) to act for a customer with a role',
    tag: 'customers', access: 'user', tenant: true, status: 201,
    params: idParams, body: delegationCreate, response: delegationOut.extend({ invitationUrl: z.string().optional() }),
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const c = await findCustomer(trx, params.id, customerScope(actor));
        decide(actor, { what: 'delegation', customerId: c.id }, 'own');
        let user = await findUserByEmail(trx, body.email);
        let secret: string | null = null;
        if (user && user.role !== 'customer') throw new AppError('delegation.staff_user', `${body.email} is a staff account; staff already see every customer`);
        if (!user) {
          user = await createUser(trx, { email: body.email, role: 'customer', locale: actor.locale });
          secret = await createInvitation(trx, user.id);
        }
        const d = await createDelegation(trx, c.id, user.id, body.role);
        await recordAudit(trx, { actor, address: req.address }, { action: 'delegation.create', targetType: 'delegation', targetId: d.id, target: `${body.email} → ${c.number}`, customerId: c.id, after: { email: body.email, role: body.role } });
        return { ...showDelegation(d), ...(secret ? { invitationUrl: invitationUrl(app, secret) } : {}) };
      });
    },
  }),
  route({
    method: 'PATCH', path: '/api/v1/customers/{id}/delegations/{delegationId}', summary: 'Change the role of a delegation', tag: 'customers',
    access: 'user', tenant: true, params: delegationParams, body: delegationPatch, response: delegationOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const c = await findCustomer(trx, params.id, customerScope(actor));
        decide(actor, { what: 'delegation', customerId: c.id }, 'own');
        const { before, after } = await updateDelegation(trx, c.id, params.delegationId, body.role);
        await recordAudit(trx, { actor, address: req.address }, { action: 'delegation.update', targetType: 'delegation', targetId: after.id, target: `${after.email} → ${c.number}`, customerId: c.id, before: { role: before.role }, after: { role: after.role } });
        return showDelegation(after);
      });
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/customers/{id}/delegations/{delegationId}', summary: 'Remove a user\'s access to a customer', tag: 'customers',
    access: 'user', tenant: true, params: delegationParams, status: 204,
    async handler({ app, actor, params, req }) {
      await app.db.transaction().execute(async (trx) => {
        const c = await findCustomer(trx, params.id, customerScope(actor));
        decide(actor, { what: 'delegation', customerId: c.id }, 'own');
        const d = await deleteDelegation(trx, c.id, params.delegationId);
        await recordAudit(trx, { actor, address: req.address }, { action: 'delegation.delete', targetType: 'delegation', targetId: d.id, target: `${d.email} → ${c.number}`, customerId: c.id, before: { email: d.email, role: d.role } });
      });
    },
  }),
];
