// Error codes of databases and database users.
import { defineErrors } from '../platform/errors.js';

export const databaseErrors = defineErrors({
  'database.not_found': 'not_found',
  'database.forbidden': 'forbidden',
  'database.name_taken': 'conflict',
  'database.name_too_long': 'invalid',
  'database.no_server': 'conflict',
  'database.not_in_hosting': 'invalid',
  'database_user.not_found': 'not_found',
  'database_user.forbidden': 'forbidden',
  'database_user.name_taken': 'conflict',
  'database_user.name_too_long': 'invalid',
  'dbadmin.not_configured': 'conflict',
  'dbadmin.ticket_refused': 'forbidden',
  'quota.databases_exceeded': 'conflict',
  'quota.database_users_exceeded': 'conflict',
});
