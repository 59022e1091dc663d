// Databases of a hosting over HTTP: parse, call one operation, answer.
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { databaseCreate, databaseOut, databaseUsageOut } from './model.js';
import { createDatabase, databaseUsage, listDatabasesOf, removeDatabase, showDatabase } from './operations-databases.js';

const stateErrors = ['customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];

export const databaseRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/databases', summary: 'List the MariaDB databases of a hosting (with their size and users)', tag: 'databases', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(databaseOut), errors: ['hosting.not_found'],
    handler: ({ app, caller, params, query }) => listDatabasesOf(app, caller, params.id, query),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/databases',
    summary: 'Create a database <hosting>_<name> on the hosting\'s database server (optionally with a user of the same name: its password is shown once)',
    tag: 'databases', access: 'user', tenant: true, status: 201, params: idParams, body: databaseCreate, response: databaseOut,
    errors: [
      'hosting.not_found', 'database.forbidden', 'database_user.forbidden', ...stateErrors, 'database.name_taken', 'database.name_too_long',
      'database_user.name_taken', 'database_user.name_too_long', 'database.no_server', 'quota.databases_exceeded', 'quota.database_users_exceeded',
    ],
    handler: ({ app, caller, params, body }) => createDatabase(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/database-usage', summary: 'A hosting\'s use of its database quotas: databases, users, space, and whether writes are refused',
    tag: 'databases', access: 'user', tenant: true, params: idParams, response: databaseUsageOut, errors: ['hosting.not_found'],
    handler: ({ app, caller, params }) => databaseUsage(app, caller, params.id),
  }),
  route({
    method: 'GET', path: '/api/v1/databases/{id}', summary: 'Show a database (id or name)', tag: 'databases', access: 'user', tenant: true,
    params: idParams, response: databaseOut, errors: ['database.not_found'],
    handler: ({ app, caller, params }) => showDatabase(app, caller, params.id),
  }),
  route({
    method: 'DELETE', path: '/api/v1/databases/{id}', summary: 'Remove a database: its server drops it with its tables (no undo)', tag: 'databases', access: 'user', tenant: true,
    params: idParams, status: 204, errors: ['database.not_found', 'database.forbidden', ...stateErrors],
    handler: ({ app, caller, params }) => removeDatabase(app, caller, params.id),
  }),
];
