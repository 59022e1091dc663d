// Error codes of the platform's e-mail.
import { defineErrors } from '../platform/errors.js';

export const outboxErrors = defineErrors({
  'outgoing_mail.not_found': 'not_found',
  'outgoing_mail.sent': 'conflict',
});
