// SFTP users of a hosting over HTTP: parse, call one operation, answer.
import { z } from 'zod';
import { listOf, listQuery } from '../platform/http/list.js';
import { route } from '../platform/http/route.js';
import { idParams, ref } from '../platform/validation.js';
import { sftpKeyCreate, sftpUserCreate, sftpUserOut, sftpUserPatch, sftpUserWithPassword } from './model.js';
import { changeSftpUser, createSftpUser, listSftpUsersOf, removeSftpUser, setSftpPassword, showSftpUser } from './operations-users.js';
import { addSftpKey, removeSftpKey } from './operations-keys.js';

const changeErrors = ['sftp_user.not_found', 'sftp_user.forbidden', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];

export const sftpUserRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/sftp-users', summary: 'List the SFTP users of a hosting (with their keys)', tag: 'files', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(sftpUserOut), errors: ['hosting.not_found'],
    handler: ({ app, caller, params, query }) => listSftpUsersOf(app, caller, params.id, query),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/sftp-users',
    summary: 'Create an SFTP user <hosting>-<name> chrooted to a folder of the hosting, with a generated password (in the answer, shown once) and/or public keys',
    tag: 'files', access: 'user', tenant: true, status: 201, params: idParams, body: sftpUserCreate, response: sftpUserWithPassword,
    errors: [
      'hosting.not_found', ...changeErrors.filter((c) => c !== 'sftp_user.not_found'), 'sftp_user.name_taken', 'sftp_user.name_too_long', 'sftp_user.folder_invalid',
      'sftp_user.no_login', 'sftp_user.no_server', 'sftp_user.shell_not_allowed', 'sftp_user.shell_folder', 'sftp_key.invalid', 'sftp_key.taken', 'quota.sftp_keys_exceeded', 'quota.sftp_users_exceeded',
    ],
    handler: ({ app, caller, params, body }) => createSftpUser(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/sftp-users/{id}', summary: 'Show an SFTP user (id or name)', tag: 'files', access: 'user', tenant: true,
    params: idParams, response: sftpUserOut, errors: ['sftp_user.not_found'],
    handler: ({ app, caller, params }) => showSftpUser(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/sftp-users/{id}', summary: 'Change an SFTP user\'s restriction folder or shell access, or disable/enable it', tag: 'files', access: 'user', tenant: true,
    params: idParams, body: sftpUserPatch, response: sftpUserOut, errors: [...changeErrors, 'sftp_user.folder_invalid', 'sftp_user.shell_not_allowed', 'sftp_user.shell_folder'],
    handler: ({ app, caller, params, body }) => changeSftpUser(app, caller, params.id, body),
  }),
  route({
    method: 'POST', path: '/api/v1/sftp-users/{id}/password', summary: 'Give an SFTP user a new password (in the answer, shown once); the old one stops working',
    tag: 'files', access: 'user', tenant: true, params: idParams, response: sftpUserWithPassword, errors: changeErrors,
    handler: ({ app, caller, params }) => setSftpPassword(app, caller, params.id),
  }),
  route({
    method: 'DELETE', path: '/api/v1/sftp-users/{id}/password', summary: 'Remove an SFTP user\'s password: it signs in with its keys only', tag: 'files', access: 'user', tenant: true,
    params: idParams, response: sftpUserOut, errors: changeErrors,
    handler: ({ app, caller, params }) => setSftpPassword(app, caller, params.id, true),
  }),
  route({
    method: 'POST', path: '/api/v1/sftp-users/{id}/keys', summary: 'Add a public key an SFTP user may sign in with', tag: 'files', access: 'user', tenant: true, status: 201,
    params: idParams, body: sftpKeyCreate, response: sftpUserOut, errors: [...changeErrors, 'sftp_key.invalid', 'sftp_key.taken', 'quota.sftp_keys_exceeded'],
    handler: ({ app, caller, params, body }) => addSftpKey(app, caller, params.id, body.key),
  }),
  route({
    method: 'DELETE', path: '/api/v1/sftp-users/{id}/keys/{key}', summary: 'Remove a public key of an SFTP user (by id or SHA256 fingerprint)', tag: 'files', access: 'user', tenant: true,
    params: z.object({ id: ref, key: ref }), response: sftpUserOut, errors: [...changeErrors, 'sftp_key.not_found'],
    handler: ({ app, caller, params }) => removeSftpKey(app, caller, params.id, params.key),
  }),
  route({
    method: 'DELETE', path: '/api/v1/sftp-users/{id}', summary: 'Remove an SFTP user (its account is deleted and its sessions end; the files stay)', tag: 'files', access: 'user', tenant: true,
    params: idParams, status: 204, errors: changeErrors,
    handler: ({ app, caller, params }) => removeSftpUser(app, caller, params.id),
  }),
];
