// Users (staff back office) and API tokens (each user's own) over HTTP: parse, call one operation, answer.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { tokenCreate, tokenOut, userCreate, userOut, userPatch } from './model.js';
import {
  createMyToken, createUserAccount, deleteUserAccount, listMyTokens, listUserAccounts, revokeMyToken, showUserAccount, updateUserAccount,
} from './operations-users.js';

export const userRoutes = [
  route({
    method: 'GET', path: '/api/v1/users', summary: 'List users', tag: 'users', access: 'staff', query: listQuery, response: listOf(userOut),
    handler: ({ app, caller, query }) => listUserAccounts(app, caller, query),
  }),
  route({
    method: 'POST', path: '/api/v1/users', summary: 'Create a user (without password: returns an activation link, valid 7 days)', tag: 'users',
    access: 'staff', status: 201, body: userCreate, response: userOut.extend({ invitationUrl: z.string().optional() }), errors: ['auth.forbidden', 'user.email_taken'],
    handler: ({ app, caller, body }) => createUserAccount(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/users/{id}', summary: 'Show a user (id or email)', tag: 'users', access: 'staff', params: idParams, response: userOut,
    errors: ['user.not_found'],
    handler: ({ app, caller, params }) => showUserAccount(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/users/{id}',
    summary: 'Change a user (email, role, language, password, disabled); a password reset ends their sessions and revokes their API tokens', tag: 'users',
    access: 'staff', params: idParams, body: userPatch, response: userOut, errors: ['user.not_found', 'auth.forbidden', 'user.email_taken', 'user.last_admin'],
    handler: ({ app, caller, params, body }) => updateUserAccount(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/users/{id}', summary: 'Delete a user', tag: 'users', access: 'staff', params: idParams, status: 204,
    errors: ['user.not_found', 'auth.forbidden', 'user.self_delete', 'user.last_admin'],
    handler: ({ app, caller, params }) => deleteUserAccount(app, caller, params.id),
  }),
  route({
    method: 'GET', path: '/api/v1/tokens', summary: 'List my API tokens, with when and from which address each was last used', tag: 'tokens', access: 'user',
    response: z.object({ items: z.array(tokenOut), nextCursor: z.null(), total: z.number() }),
    handler: ({ app, caller }) => listMyTokens(app, caller),
  }),
  route({
    method: 'POST', path: '/api/v1/tokens', summary: 'Create an API token (the secret is shown once)', tag: 'tokens', access: 'user', whileReadOnly: true,
    status: 201, body: tokenCreate, response: tokenOut.extend({ token: z.string() }), errors: ['token.invalid'],
    handler: ({ app, caller, body }) => createMyToken(app, caller, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/tokens/{id}', summary: 'Revoke one of my API tokens', tag: 'tokens', access: 'user', whileReadOnly: true, params: idParams, status: 204,
    errors: ['token.not_found'],
    handler: ({ app, caller, params }) => revokeMyToken(app, caller, params.id),
  }),
];
