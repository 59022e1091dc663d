// Off-server backups over HTTP: parse, call one operation, answer.
import { route } from '../platform/http/route.js';
import { listOf } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { assignOut, backupRequestOut, hostingBackupsOut, repositoryListItem, repositoryListQuery } from './model.js';
import { assignRepositories, listBackupRepositories, listHostingBackups, takeBackup } from './operations.js';

export const backupRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/backups',
    summary: 'The off-server backups of a hosting (restic snapshots, read on its web server while the request waits, 30 s at most) and their health',
    tag: 'hostings', access: 'user', tenant: true, params: idParams, response: hostingBackupsOut,
    errors: ['hosting.not_found', 'backup.not_here', 'server.unreachable', 'server.query_failed'],
    handler: ({ app, caller, params }) => listHostingBackups(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/backups',
    summary: 'Back the hosting up now (its web server makes the backup when it gets the change)',
    tag: 'hostings', access: 'user', tenant: true, status: 202, params: idParams, response: backupRequestOut,
    errors: ['hosting.not_found', 'backup.forbidden', 'backup.none', 'backup.not_here', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'],
    handler: ({ app, caller, params }) => takeBackup(app, caller, params.id),
  }),
  route({
    method: 'GET', path: '/api/v1/backups', summary: 'Every hosting\'s backup repository and its health (staff): filter failed ones, search, sort',
    tag: 'backups', access: 'staff', query: repositoryListQuery, response: listOf(repositoryListItem),
    handler: ({ app, caller, query: { health, ...list } }) => listBackupRepositories(app, caller, { ...list, health }),
  }),
  route({
    method: 'POST', path: '/api/v1/backups/assign', summary: 'Set up a repository now for every hosting without one (staff; a job does it every 10 minutes)',
    tag: 'backups', access: 'staff', response: assignOut,
    handler: ({ app, caller }) => assignRepositories(app, caller),
  }),
];
