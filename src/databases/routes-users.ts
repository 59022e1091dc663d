// Database users of a hosting over HTTP: parse, call one operation, answer.
import { listOf, listQuery } from '../platform/http/list.js';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { databaseUserCreate, databaseUserOut, databaseUserPatch, databaseUserWithPassword } from './model.js';
import {
  createDatabaseUser, listDatabaseUsersOf, removeDatabaseUser, resetDatabaseUserPassword, setDatabaseUserGrants, showDatabaseUser,
} from './operations-users.js';

const changeErrors = ['database_user.not_found', 'database_user.forbidden', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];

export const databaseUserRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/database-users', summary: 'List the MariaDB users of a hosting (with their databases)', tag: 'databases', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(databaseUserOut), errors: ['hosting.not_found'],
    handler: ({ app, caller, params, query }) => listDatabaseUsersOf(app, caller, params.id, query),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/database-users',
    summary: 'Create a database user <hosting>_<name> with every privilege on the given databases of the hosting; its password is in the answer, shown once',
    tag: 'databases', access: 'user', tenant: true, status: 201, params: idParams, body: databaseUserCreate, response: databaseUserWithPassword,
    errors: [
      'hosting.not_found', ...changeErrors.filter((c) => c !== 'database_user.not_found'), 'database_user.name_taken', 'database_user.name_too_long',
      'database.not_in_hosting', 'database.no_server', 'quota.database_users_exceeded',
    ],
    handler: ({ app, caller, params, body }) => createDatabaseUser(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/database-users/{id}', summary: 'Show a database user (id or name)', tag: 'databases', access: 'user', tenant: true,
    params: idParams, response: databaseUserOut, errors: ['database_user.not_found'],
    handler: ({ app, caller, params }) => showDatabaseUser(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/database-users/{id}', summary: 'Choose the databases of its hosting a user has privileges on (the whole list)', tag: 'databases', access: 'user', tenant: true,
    params: idParams, body: databaseUserPatch, response: databaseUserOut, errors: [...changeErrors, 'database.not_in_hosting'],
    handler: ({ app, caller, params, body }) => setDatabaseUserGrants(app, caller, params.id, body.databases),
  }),
  route({
    method: 'POST', path: '/api/v1/database-users/{id}/password', summary: 'Give a user a new password (in the answer, shown once); the old one stops working',
    tag: 'databases', access: 'user', tenant: true, params: idParams, response: databaseUserWithPassword, errors: changeErrors,
    handler: ({ app, caller, params }) => resetDatabaseUserPassword(app, caller, params.id),
  }),
  route({
    method: 'DELETE', path: '/api/v1/database-users/{id}', summary: 'Remove a database user (its server drops it and ends its connections)', tag: 'databases', access: 'user', tenant: true,
    params: idParams, status: 204, errors: changeErrors,
    handler: ({ app, caller, params }) => removeDatabaseUser(app, caller, params.id),
  }),
];
