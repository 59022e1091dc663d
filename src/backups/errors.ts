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
  /** a restore names a database or mailbox the hosting does not have (params: part) */
  'backup_part.not_found': 'not_found',
  /** a part that cannot be restored so (a restored database's name too long; params: part) */
  'backup.bad_part': 'invalid',
  /** a restore failed on its server: the backup holds no such part */
  'backup.part_missing': 'conflict',
  /** a restore failed on its server: the database or mailbox is not there (moved) */
  'backup.part_not_here': 'conflict',
  /** a restore failed on its server (restic or MariaDB said why, in the message) */
  'backup.restore_failed': 'conflict',
  /** a restore or backup of a mailbox failed (Dovecot said why, in the message) */
  'backup.mail_failed': 'conflict',
  /** a restore's database was not made on its server (it is tried again) */
  'backup.target_missing': 'conflict',
  /** a restore's or a listing's path is not one of the home that may be restored (params: path, reason) */
  'backup.bad_path': 'invalid',
  /** no backup of this hosting has that id (params: backup) */
  'backup.not_found': 'not_found',
  /** the folder to list is not in the backup (params: path) */
  'backup.path_not_found': 'not_found',
});
