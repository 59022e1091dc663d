// Error codes of hostings and sites.
import { defineErrors } from '../platform/errors.js';

export const hostingErrors = defineErrors({
  'hosting.not_found': 'not_found',
  'hosting.forbidden': 'forbidden',
  'hosting.not_terminated': 'conflict',
  'hosting.already_suspended': 'conflict',
  'hosting.not_suspended': 'conflict',
  'hosting.purge_requested': 'conflict',
  'hosting.retention_pending': 'conflict',
  'hosting.uids_exhausted': 'conflict',
  'site.not_found': 'not_found',
  'site.forbidden': 'forbidden',
  'site.domain_taken': 'conflict',
  'site.no_platform_domain': 'invalid',
  'site.platform_domain': 'invalid',
  'site.zone_taken': 'conflict',
  'quota.sites_exceeded': 'conflict',
  /** the site is not (yet) on its web server, or its hosting has none */
  'site.logs_not_here': 'conflict',
  /** the log is not a regular file of the hosting (a symbolic link, another file's hard link…): not read (params: file, detail) */
  'site.log_unsafe': 'conflict',
  'php.above_offer': 'invalid',
  'php.post_below_upload': 'invalid',
});
