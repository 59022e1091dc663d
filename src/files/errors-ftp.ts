// Error codes of FTP users.
import { defineErrors } from '../platform/errors.js';

export const ftpErrors = defineErrors({
  'ftp_user.not_found': 'not_found',
  'ftp_user.forbidden': 'forbidden',
  'ftp_user.name_taken': 'conflict',
  'ftp_user.name_too_long': 'invalid',
  'ftp_user.folder_invalid': 'invalid',
  'ftp_user.no_server': 'conflict',
  'quota.ftp_users_exceeded': 'conflict',
});
