// Error codes of snapshots.
import { defineErrors } from '../platform/errors.js';

export const snapshotErrors = defineErrors({
  /** the hosting is not (yet) on a web server, or its web server does not have it yet */
  'snapshot.not_here': 'conflict',
  'snapshot.forbidden': 'forbidden',
  /** a restore's path is not one that may be restored (params: path, reason) */
  'snapshot.bad_path': 'invalid',
  /** a restore's snapshot is not a name Abri gives its snapshots (params: snapshot) */
  'snapshot.bad_name': 'invalid',
  'snapshot_restore.not_found': 'not_found',
});
