// Error codes of offers.
import { defineErrors } from '../platform/errors.js';

export const offerErrors = defineErrors({
  'offer.not_found': 'not_found',
  'offer.name_taken': 'conflict',
  'offer.in_use': 'conflict',
  'offer.invalid': 'invalid',
  'offer.archived': 'conflict',
  'offer.php_version_not_allowed': 'conflict',
  'offer.tls_not_allowed': 'conflict',
});
