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
});
