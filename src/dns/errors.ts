// Error codes of zones, records, zone claims (proof of a domain), and of site names in zones.
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
  'dns.lookup_failed': 'unavailable',
  'claim.not_found': 'not_found',
  'claim.forbidden': 'forbidden',
  'claim.exists': 'conflict',
  'claim.already_proven': 'conflict',
  'claim.verified': 'conflict',
  'claim.not_proven': 'conflict',
  'claim.zone_proven': 'conflict',
  // site names in zones (raised while a site changes: declared here, where the rule lives)
  'site.zone_taken': 'conflict',
  'site.platform_label_reserved': 'conflict',
  'site.platform_label_taken': 'conflict',
  'site.platform_label_invalid': 'invalid',
});

/** What a change of a zone may answer besides success (the routes declare them for the contract). */
export const zoneChangeErrors = ['zone.not_found', 'zone.forbidden', 'platform.staff_only', 'customer.suspended', 'customer.closed'];
