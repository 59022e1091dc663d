// Servers over HTTP: staff list and read them, administrators register, change and remove them.
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { serverCreate, serverOut, serverPatch, serverWithToken } from './model.js';
import { changeServer, listServersOf, registerServer, removeServer, replaceAgentToken, showServerOf } from './operations.js';

export const serverRoutes = [
  route({
    method: 'GET', path: '/api/v1/servers', summary: 'List servers with their roles, reachability, last contact and reached revision', tag: 'servers',
    access: 'staff', query: listQuery, response: listOf(serverOut),
    handler: ({ app, caller, query }) => listServersOf(app, caller, query),
  }),
  route({
    method: 'POST', path: '/api/v1/servers', summary: 'Register a server (returns its agent token once)', tag: 'servers', access: 'admin',
    status: 201, body: serverCreate, response: serverWithToken, errors: ['server.name_taken'],
    handler: ({ app, caller, body }) => registerServer(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/servers/{id}', summary: 'Show a server (id or name)', tag: 'servers', access: 'staff', params: idParams, response: serverOut,
    errors: ['server.not_found'],
    handler: ({ app, caller, params }) => showServerOf(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/servers/{id}', summary: 'Change a server\'s name, roles or addresses', tag: 'servers', access: 'admin',
    params: idParams, body: serverPatch, response: serverOut, errors: ['server.not_found', 'server.name_taken'],
    handler: ({ app, caller, params, body }) => changeServer(app, caller, params.id, body),
  }),
  route({
    method: 'POST', path: '/api/v1/servers/{id}/token', summary: 'Replace a server\'s agent token (the old one stops working)', tag: 'servers',
    access: 'admin', params: idParams, response: serverWithToken, errors: ['server.not_found'],
    handler: ({ app, caller, params }) => replaceAgentToken(app, caller, params.id),
  }),
  route({
    method: 'DELETE', path: '/api/v1/servers/{id}', summary: 'Remove a server no hosting lives on', tag: 'servers', access: 'admin', params: idParams, status: 204,
    errors: ['server.not_found', 'server.in_use'],
    handler: ({ app, caller, params }) => removeServer(app, caller, params.id),
  }),
];
