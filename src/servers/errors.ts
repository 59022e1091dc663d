// Error codes of servers.
import { defineErrors } from '../platform/errors.js';

export const serverErrors = defineErrors({
  'server.not_found': 'not_found',
  'server.in_use': 'conflict',
  'server.name_taken': 'conflict',
  /** the server's agent did not answer a query in time (down, or not polling) */
  'server.unreachable': 'unavailable',
  /** the server's agent could not answer a query (params: server, detail) */
  'server.query_failed': 'unavailable',
});
