// Error codes of servers.
import { defineErrors } from '../platform/errors.js';

export const serverErrors = defineErrors({
  'server.not_found': 'not_found',
  'server.in_use': 'conflict',
  'server.name_taken': 'conflict',
});
