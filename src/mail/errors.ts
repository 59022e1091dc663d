// Error codes of mail: domains, mailboxes, aliases, and the offer's mail quotas.
import { defineErrors } from '../platform/errors.js';

export const mailErrors = defineErrors({
  'mail_domain.not_found': 'not_found',
  'mail_domain.forbidden': 'forbidden',
  'mail_domain.taken': 'conflict',
  'mail_domain.not_in_hosting': 'invalid',
  'mail_domain.no_server': 'conflict',
  'mailbox.not_found': 'not_found',
  'mailbox.forbidden': 'forbidden',
  'mail_address.taken': 'conflict',
  'mail_alias.not_found': 'not_found',
  'mail_alias.forbidden': 'forbidden',
  'app_password.not_found': 'not_found',
  'app_password.taken': 'conflict',
  'app_password.limit_reached': 'conflict',
  'quota.mailboxes_exceeded': 'conflict',
  'quota.mail_space_exceeded': 'conflict',
  'mail_health.not_mail_server': 'conflict',
});
