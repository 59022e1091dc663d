// Error codes of snapshots.
import { defineErrors } from '../platform/errors.js';

export const snapshotErrors = defineErrors({
  /** the hosting is not (yet) on a web server, or its web server does not have it yet */
  'snapshot.not_here': 'conflict',
  'snapshot.forbidden': 'forbidden',
});
