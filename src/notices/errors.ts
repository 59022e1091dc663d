// Error codes of notices.
import { defineErrors } from '../platform/errors.js';

export const noticeErrors = defineErrors({
  'notice.not_found': 'not_found',
  'notice.forbidden': 'forbidden',
});
