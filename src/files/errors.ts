// Error codes of SFTP users.
import { defineErrors } from '../platform/errors.js';

export const fileErrors = defineErrors({
  'sftp_user.not_found': 'not_found',
  'sftp_user.forbidden': 'forbidden',
  'sftp_user.name_taken': 'conflict',
  'sftp_user.name_too_long': 'invalid',
  'sftp_user.folder_invalid': 'invalid',
  'sftp_user.no_login': 'invalid',
  'sftp_user.no_server': 'conflict',
  'sftp_user.shell_not_allowed': 'conflict',
  'sftp_user.shell_folder': 'invalid',
  'sftp_key.invalid': 'invalid',
  'sftp_key.taken': 'conflict',
  'sftp_key.not_found': 'not_found',
  'quota.sftp_keys_exceeded': 'conflict',
  'quota.sftp_users_exceeded': 'conflict',
});
