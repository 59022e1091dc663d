// FTP users of a hosting over HTTP: parse, call one operation, answer.
import { listOf, listQuery } from '../platform/http/list.js';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { ftpUserCreate, ftpUserOut, ftpUserPatch, ftpUserWithPassword } from './model-ftp.js';
import { changeFtpUser, createFtpUser, listFtpUsersOf, removeFtpUser, setFtpPassword, showFtpUser } from './operations-ftp.js';

const changeErrors = ['ftp_user.not_found', 'ftp_user.forbidden', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];

export const ftpUserRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/ftp-users', summary: 'List the FTP users of a hosting', tag: 'files', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(ftpUserOut), errors: ['hosting.not_found'],
    handler: ({ app, caller, params, query }) => listFtpUsersOf(app, caller, params.id, query),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/ftp-users',
    summary: 'Create an FTP user <hosting>-<name> (FTPS) chrooted to a folder of the hosting, with a generated password (in the answer, shown once)',
    tag: 'files', access: 'user', tenant: true, status: 201, params: idParams, body: ftpUserCreate, response: ftpUserWithPassword,
    errors: ['hosting.not_found', ...changeErrors.filter((c) => c !== 'ftp_user.not_found'), 'ftp_user.name_taken', 'ftp_user.name_too_long', 'ftp_user.folder_invalid', 'ftp_user.no_server', 'quota.ftp_users_exceeded'],
    handler: ({ app, caller, params, body }) => createFtpUser(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/ftp-users/{id}', summary: 'Show an FTP user (id or name)', tag: 'files', access: 'user', tenant: true,
    params: idParams, response: ftpUserOut, errors: ['ftp_user.not_found'],
    handler: ({ app, caller, params }) => showFtpUser(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/ftp-users/{id}', summary: 'Change an FTP user\'s restriction folder, or disable/enable it', tag: 'files', access: 'user', tenant: true,
    params: idParams, body: ftpUserPatch, response: ftpUserOut, errors: [...changeErrors, 'ftp_user.folder_invalid'],
    handler: ({ app, caller, params, body }) => changeFtpUser(app, caller, params.id, body),
  }),
  route({
    method: 'POST', path: '/api/v1/ftp-users/{id}/password', summary: 'Give an FTP user a new password (in the answer, shown once); the old one stops working',
    tag: 'files', access: 'user', tenant: true, params: idParams, response: ftpUserWithPassword, errors: changeErrors,
    handler: ({ app, caller, params }) => setFtpPassword(app, caller, params.id),
  }),
  route({
    method: 'DELETE', path: '/api/v1/ftp-users/{id}', summary: 'Remove an FTP user (it can no longer sign in and its sessions end; the files stay)', tag: 'files', access: 'user', tenant: true,
    params: idParams, status: 204, errors: changeErrors,
    handler: ({ app, caller, params }) => removeFtpUser(app, caller, params.id),
  }),
];
