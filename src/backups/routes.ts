// Off-server backups over HTTP: parse, call one operation, answer.
import { route } from '../platform/http/route.js';
import { listOf } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { assignOut, backupRequestOut, hostingBackupsOut, repositoryListItem, repositoryListQuery } from './model.js';
import { assignRepositories, listBackupRepositories, listHostingBackups, takeBackup } from './operations.js';
import { backupParams, backupRestoreIn, backupRestoreOut, backupRestoresOut, checkRequestOut, treeOut, treeQuery } from './model-restore.js';
import { backupTree, listBackupRestores, requestBackupCheck, requestBackupRestore, TREE_REFUSALS } from './operations-restore.js';

const changeErrors = ['hosting.not_found', 'backup.none', 'backup.not_here', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];

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
    method: 'GET', path: '/api/v1/hostings/{id}/backups/{snapshot}/tree',
    summary: 'One folder of a backup of the hosting: its entries (read in the repository by its web server while the request waits, 30 s at most)',
    tag: 'hostings', access: 'user', tenant: true, params: backupParams, query: treeQuery, response: treeOut,
    errors: ['hosting.not_found', 'backup.none', 'backup.bad_path', ...TREE_REFUSALS, 'server.unreachable', 'server.query_failed'],
    handler: ({ app, caller, params, query }) => backupTree(app, caller, params.id, params.snapshot, query.path),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/backups/{snapshot}/restore',
    summary: 'Restore a part of a backup: a file or folder (part "files": into a new restored-<date>/ folder, or in place after a safety snapshot), staff: the whole hosting (part "hosting", in place), a database (part "db:<name>": into a new <db>_restored_<yyyymmdd>, or in place after a safety dump) or a mailbox (part "mail:<address>": into a folder Restored-<date>, or in place after a safety copy). The server holding the part does it when it gets the change; follow it with GET …/backups/restores (files: also GET …/snapshots/restores/{restoreId})',
    tag: 'hostings', access: 'user', tenant: true, status: 202, params: backupParams, body: backupRestoreIn, response: backupRestoreOut,
    errors: [...changeErrors, 'backup.forbidden', 'auth.staff_only', 'backup.bad_path', 'backup.not_found', 'backup_part.not_found', 'backup.bad_part', 'quota.databases_exceeded', 'database.name_taken', 'database.no_server'],
    handler: ({ app, caller, params, body }) => requestBackupRestore(app, caller, params.id, params.snapshot, body),
  }),
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/backups/restores', summary: 'The last restores from a hosting\'s backups (files, whole hosting, databases, mailboxes), newest first, with their state',
    tag: 'hostings', access: 'user', tenant: true, params: idParams, response: backupRestoresOut, errors: ['hosting.not_found'],
    handler: ({ app, caller, params }) => listBackupRestores(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/backups/check',
    summary: 'Staff: check a sample of the hosting\'s repository now (restic check --read-data-subset, the next part; a weekly job checks every repository)',
    tag: 'hostings', access: 'staff', status: 202, params: idParams, response: checkRequestOut,
    errors: ['hosting.not_found', 'backup.none', 'backup.not_here'],
    handler: ({ app, caller, params }) => requestBackupCheck(app, caller, params.id),
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
