// Error codes of accounts: logins, users, customers, delegations, invitations, tokens.
import { defineErrors } from '../platform/errors.js';

export const accountErrors = defineErrors({
  'auth.invalid_credentials': 'unauthenticated',
  'auth.rate_limited': 'rate_limited',
  'auth.totp_invalid': 'unauthenticated',
  'auth.totp_required': 'unauthenticated',
  'customer.forbidden': 'forbidden',
  'customer.not_empty': 'conflict',
  'customer.not_found': 'not_found',
  'delegation.exists': 'conflict',
  'delegation.last_owner': 'conflict',
  'delegation.staff_user': 'conflict',
  'delegation.forbidden': 'forbidden',
  'delegation.not_found': 'not_found',
  'invitation.not_found': 'not_found',
  'setup.done': 'conflict',
  'setup.invalid_token': 'forbidden',
  'token.invalid': 'invalid',
  'token.not_found': 'not_found',
  'totp.not_started': 'conflict',
  'user.current_password_invalid': 'invalid',
  'user.disabled': 'conflict',
  'user.email_taken': 'conflict',
  'user.last_admin': 'conflict',
  'user.not_found': 'not_found',
  'user.self_delete': 'conflict',
});
