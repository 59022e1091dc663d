// Error codes of off-server backups.
import { defineErrors } from '../platform/errors.js';

export const backupErrors = defineErrors({
  /** the hosting has no repository on a backup server yet (none is set up, or it is assigned within minutes) */
  'backup.none': 'conflict',
  /** the hosting is not (yet) on its web server, which holds its backups' key */
  'backup.not_here': 'conflict',
  /** the web server could not list the repository (restic's message is for staff) */
  'backup.unreadable': 'conflict',
  'backup.forbidden': 'forbidden',
  /** a restore's or a listing's path is not one of the home that may be restored (params: path, reason) */
  'backup.bad_path': 'invalid',
  /** no backup of this hosting has that id (params: backup) */
  'backup.not_found': 'not_found',
  /** the folder to list is not in the backup (params: path) */
  'backup.path_not_found': 'not_found',
});
