// A hosting's snapshots over HTTP: parse, call one operation, answer.
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { snapshotRequestOut, snapshotsOut } from './model.js';
import { listSnapshots, SNAPSHOT_REFUSALS, takeSnapshot } from './operations.js';
import { restoreIn, restoreItem, restoreParams, restoresOut } from './model-restore.js';
import { listRestores, requestRestore, showRestore } from './operations-restore.js';

const changeErrors = ['hosting.not_found', 'snapshot.forbidden', 'snapshot.not_here', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];

export const snapshotRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/snapshots',
    summary: 'The read-only snapshots of a hosting\'s home, in its backups/ folder (read on its web server while the request waits, 10 s at most)',
    tag: 'hostings', access: 'user', tenant: true, params: idParams, response: snapshotsOut,
    errors: ['hosting.not_found', ...SNAPSHOT_REFUSALS, 'server.unreachable', 'server.query_failed'],
    handler: ({ app, caller, params }) => listSnapshots(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/snapshots',
    summary: 'Take a snapshot of the hosting\'s home now (kind "manual"; its web server takes it when it gets the change, the last 3 are kept)',
    tag: 'hostings', access: 'user', tenant: true, status: 202, params: idParams, response: snapshotRequestOut,
    errors: changeErrors,
    handler: ({ app, caller, params }) => takeSnapshot(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/snapshots/restores',
    summary: 'Restore a file or folder of a snapshot, into a new restored-<date>/ folder (copy) or in place after a safety snapshot; its web server does it when it gets the change (follow it with GET …/restores/{restoreId})',
    tag: 'hostings', access: 'user', tenant: true, status: 202, params: idParams, body: restoreIn, response: restoreItem,
    errors: [...changeErrors, 'snapshot.bad_path', 'snapshot.bad_name'],
    handler: ({ app, caller, params, body }) => requestRestore(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/snapshots/restores', summary: 'The last restores from snapshots of a hosting, newest first, with their state',
    tag: 'hostings', access: 'user', tenant: true, params: idParams, response: restoresOut, errors: ['hosting.not_found'],
    handler: ({ app, caller, params }) => listRestores(app, caller, params.id),
  }),
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/snapshots/restores/{restoreId}', summary: 'One restore from a snapshot: requested, running, done or failed (with why)',
    tag: 'hostings', access: 'user', tenant: true, params: restoreParams, response: restoreItem, errors: ['hosting.not_found', 'snapshot_restore.not_found'],
    handler: ({ app, caller, params }) => showRestore(app, caller, params.id, params.restoreId),
  }),
];
