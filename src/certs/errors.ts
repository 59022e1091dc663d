// Error codes of certificates.
import { defineErrors } from '../platform/errors.js';

export const certificateErrors = defineErrors({
  'certificate.not_found': 'not_found',
  'certificate.forbidden': 'forbidden',
  'certificate.acme_disabled': 'conflict',
  'certificate.custom': 'conflict',
  'certificate.https_disabled': 'conflict',
  'certificate.not_custom': 'conflict',
  'certificate.invalid': 'invalid',
  'certificate.key_mismatch': 'invalid',
  'certificate.expired': 'invalid',
  'certificate.not_yet_valid': 'invalid',
  'certificate.names_mismatch': 'invalid',
  'certificate.foreign_names': 'invalid',
  'certificate.weak_key': 'invalid',
  'certificate.key_type_unsupported': 'invalid',
  'certificate.not_for_servers': 'invalid',
  'certificate.ca_certificate': 'invalid',
  'certificate.not_mail_server': 'conflict',
});
