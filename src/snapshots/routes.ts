// A hosting's snapshots over HTTP: parse, call one operation, answer.
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { snapshotRequestOut, snapshotsOut } from './model.js';
import { listSnapshots, SNAPSHOT_REFUSALS, takeSnapshot } from './operations.js';

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
    errors: ['hosting.not_found', 'snapshot.forbidden', 'snapshot.not_here', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'],
    handler: ({ app, caller, params }) => takeSnapshot(app, caller, params.id),
  }),
];
