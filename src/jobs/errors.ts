// Error codes of jobs.
import { defineErrors } from '../platform/errors.js';

export const jobErrors = defineErrors({
  'job.not_found': 'not_found',
  'job.running': 'conflict',
  'job.schedule_invalid': 'invalid',
});
