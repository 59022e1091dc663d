// Users (staff back office) and API tokens (each user's own).
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { AppError } from '../platform/errors.js';
import { idParams } from '../platform/validation.js';
import { assertAdmin, type Actor } from '../platform/actor.js';
import { recordAudit } from '../platform/store-audit.js';
import { iso, isoRequired, showUser, tokenCreate, tokenOut, userCreate, userOut, userPatch, type UserRow } from './model.js';
import { countAdmins, createInvitation, createUser, deleteUser, findUser, listUsers, updateUser } from './store-users.js';
import { createApiToken, deleteApiToken, listApiTokens } from './store-auth.js';
import type { AppContext } from '../platform/context.js';

export const invitationUrl = (app: AppContext, secret: string) => `${app.config.publicUrl}/invitation#${secret}`;

const showToken = (t: { id: string; name: string; prefix: string; expiresAt: Date | string | null; lastUsedAt: Date | string | null; createdAt: Date }) => ({
  id: t.id, name: t.name, prefix: t.prefix, expiresAt: iso(t.expiresAt), lastUsedAt: iso(t.lastUsedAt), createdAt: isoRequired(t.createdAt),
});

/** Staff may manage customer users; only admins touch staff and admin accounts. */
function assertMayManage(actor: Actor, target: { role: UserRow['role'] }, newRole?: UserRow['role']) {
  if (target.role !== 'customer' || (newRole && newRole !== 'customer')) assertAdmin(actor);
}

export const userRoutes = [
  route({
    method: 'GET', path: '/api/v1/users', summary: 'List users', tag: 'users', access: 'staff', query: listQuery, response: listOf(userOut),
    async handler({ app, query }) {
      const page = await listUsers(app.db, query);
      return { ...page, items: page.items.map(showUser) };
    },
  }),
  route({
    method: 'POST', path: '/api/v1/users', summary: 'Create a user (without password: returns an invitation link)', tag: 'users',
    access: 'staff', status: 201, body: userCreate, response: userOut.extend({ invitationUrl: z.string().optional() }),
    async handler({ app, actor, body, req }) {
      assertMayManage(actor, { role: body.role });
      return app.db.transaction().execute(async (trx) => {
        const user = await createUser(trx, body);
        const secret = body.password ? null : await createInvitation(trx, user.id);
        await recordAudit(trx, { actor, address: req.address }, { action: 'user.create', targetType: 'user', targetId: user.id, target: user.email, after: { role: user.role } });
        return { ...showUser(user), ...(secret ? { invitationUrl: invitationUrl(app, secret) } : {}) };
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/users/{id}', summary: 'Show a user', tag: 'users', access: 'staff', params: idParams, response: userOut,
    async handler({ app, params }) {
      return showUser(await findUser(app.db, params.id));
    },
  }),
  route({
    method: 'PATCH', path: '/api/v1/users/{id}', summary: 'Change a user (email, role, language, password, disabled)', tag: 'users',
    access: 'staff', params: idParams, body: userPatch, response: userOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const before = await findUser(trx, params.id);
        assertMayManage(actor, before, body.role);
        const after = await updateUser(trx, before.id, body);
        if (before.role === 'admin' && (after.role !== 'admin' || after.disabled) && (await countAdmins(trx)) === 0) {
          throw new AppError('user.last_admin', 'this is the last active administrator');
        }
        await recordAudit(trx, { actor, address: req.address }, {
          action: 'user.update', targetType: 'user', targetId: after.id, target: after.email,
          before: { email: before.email, role: before.role, disabled: before.disabled, locale: before.locale },
          after: { email: after.email, role: after.role, disabled: after.disabled, locale: after.locale, password: body.password ? 'changed' : undefined },
        });
        return showUser(after);
      });
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/users/{id}', summary: 'Delete a user', tag: 'users', access: 'staff', params: idParams, status: 204,
    async handler({ app, actor, params, req }) {
      await app.db.transaction().execute(async (trx) => {
        const user = await findUser(trx, params.id);
        assertMayManage(actor, user);
        if (user.id === actor.userId) throw new AppError('user.self_delete', 'you cannot delete your own account');
        await deleteUser(trx, user.id);
        if (user.role === 'admin' && (await countAdmins(trx)) === 0) throw new AppError('user.last_admin', 'this is the last active administrator');
        await recordAudit(trx, { actor, address: req.address }, { action: 'user.delete', targetType: 'user', targetId: user.id, target: user.email, before: { role: user.role } });
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/tokens', summary: 'List my API tokens', tag: 'tokens', access: 'user',
    response: z.object({ items: z.array(tokenOut), nextCursor: z.null(), total: z.number() }),
    async handler({ app, actor }) {
      const items = (await listApiTokens(app.db, actor.userId)).map(showToken);
      return { items, nextCursor: null, total: items.length };
    },
  }),
  route({
    method: 'POST', path: '/api/v1/tokens', summary: 'Create an API token (the secret is shown once)', tag: 'tokens', access: 'user',
    status: 201, body: tokenCreate, response: tokenOut.extend({ token: z.string() }),
    async handler({ app, actor, body, req }) {
      if (body.expiresAt && new Date(body.expiresAt) <= new Date()) {
        throw new AppError('token.invalid', 'expiresAt must be in the future', { issues: [{ code: 'token.invalid', path: 'body.expiresAt', message: 'must be in the future' }] });
      }
      return app.db.transaction().execute(async (trx) => {
        const { row, secret } = await createApiToken(trx, actor.userId, body.name, body.expiresAt ?? null);
        await recordAudit(trx, { actor, address: req.address }, { action: 'token.create', targetType: 'token', targetId: row.id, target: body.name });
        return { ...showToken(row), token: secret };
      });
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/tokens/{id}', summary: 'Revoke one of my API tokens', tag: 'tokens', access: 'user', params: idParams, status: 204,
    async handler({ app, actor, params, req }) {
      if (!/^[0-9a-f-]{36}$/i.test(params.id)) throw new AppError('token.not_found', 'token not found');
      await app.db.transaction().execute(async (trx) => {
        const row = await deleteApiToken(trx, actor.userId, params.id);
        await recordAudit(trx, { actor, address: req.address }, { action: 'token.delete', targetType: 'token', targetId: row.id, target: row.name });
      });
    },
  }),
];
