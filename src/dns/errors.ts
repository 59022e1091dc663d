// Error codes of zones and records.
import { defineErrors } from '../platform/errors.js';

export const dnsErrors = defineErrors({
  'zone.not_found': 'not_found',
  'zone.forbidden': 'forbidden',
  'zone.in_use': 'conflict',
  'zone.invalid': 'invalid',
  'zone.platform': 'conflict',
  'zone.taken': 'conflict',
  'record.not_found': 'not_found',
  'record.forbidden': 'forbidden',
  'record.cname_conflict': 'conflict',
  'record.exists': 'conflict',
  'record.invalid': 'invalid',
  'record.managed_conflict': 'conflict',
  'quota.records_exceeded': 'conflict',
});
