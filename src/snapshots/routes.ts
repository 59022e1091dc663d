// A hosting's snapshots over HTTP: parse, call one operation, answer.
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { snapshotsOut } from './model.js';
import { listSnapshots, SNAPSHOT_REFUSALS } from './operations.js';

export const snapshotRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/snapshots',
    summary: 'The read-only snapshots of a hosting\'s home, in its backups/ folder (read on its web server while the request waits, 10 s at most)',
    tag: 'hostings', access: 'user', tenant: true, params: idParams, response: snapshotsOut,
    errors: ['hosting.not_found', ...SNAPSHOT_REFUSALS, 'server.unreachable', 'server.query_failed'],
    handler: ({ app, caller, params }) => listSnapshots(app, caller, params.id),
  }),
];
