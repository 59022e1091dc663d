// Error codes of accounts: logins, users, customers, delegations, invitations, tokens.
import { defineErrors } from '../platform/errors.js';

export const accountErrors = defineErrors({
  'auth.invalid_credentials': 'unauthenticated',
  /** params: retryAfterSeconds (also in the Retry-After header) */
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
  'invitation.forbidden': 'forbidden',
  /** the link is past its expiry: ask for a new one (params: expiredAt) */
  'invitation.expired': 'conflict',
  /** an account with the invited email exists: log in as it to accept (params: email) */
  'invitation.login_required': 'unauthenticated',
  /** logged in as another account than the invited one (params: email) */
  'invitation.wrong_account': 'forbidden',
  /** the invited email is a staff account: staff accounts do not join customers */
  'invitation.staff_account': 'conflict',
  /** a new account needs a password */
  'invitation.password_required': 'invalid',
  /** a password-reset link that is unknown, used already, or of a disabled account */
  'password_reset.invalid': 'not_found',
  /** params: expiredAt */
  'password_reset.expired': 'conflict',
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
