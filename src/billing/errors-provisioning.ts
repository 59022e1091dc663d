// Error codes of the provisioning API (a billing tool driving Abri by its own ids).
import { defineErrors } from '../platform/errors.js';

export const provisioningErrors = defineErrors({
  /** no hosting was provisioned with this ref (params: ref) */
  'provisioning.not_found': 'not_found',
  /** this ref names a hosting made otherwise: another customer ref, offer or domain (params: ref, field); change offer with PUT …/offer */
  'provisioning.conflict': 'conflict',
});
