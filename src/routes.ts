// Every API route of the manager, capability by capability.
import type { AnyRoute } from './platform/http/route.js';
import './errors.js';
import { authRoutes } from './accounts/routes-auth.js';
import { userRoutes } from './accounts/routes-users.js';
import { customerRoutes } from './accounts/routes-customers.js';
import { offerRoutes } from './offers/routes.js';
import { hostingRoutes } from './hosting/routes-hostings.js';
import { siteRoutes } from './hosting/routes-sites.js';
import { siteLogRoutes } from './hosting/routes-logs.js';
import { sitePhpRoutes } from './hosting/routes-php.js';
import { serverRoutes } from './servers/routes.js';
import { auditRoutes } from './audit/routes.js';
import { agentRoutes } from './agent/routes.js';
import { zoneRoutes } from './dns/routes-zones.js';
import { recordRoutes } from './dns/routes-records.js';
import { claimRoutes } from './dns/routes-claims.js';
import { onZoneLost } from './dns/zone-loss.js';
import { sitesLoseZoneNames } from './hosting/zone-loss.js';
import { noticeRoutes } from './notices/routes.js';
import { certificateRoutes } from './certs/routes.js';
import { mailCertificateRoutes } from './certs/routes-mail.js';
import { platformRoutes } from './servers/routes-platform.js';
import { jobRoutes } from './jobs/routes.js';
import { outboxRoutes } from './outbox/routes.js';
import { databaseRoutes } from './databases/routes-databases.js';
import { databaseUserRoutes } from './databases/routes-users.js';
import { dbadminRoutes } from './databases/routes-dbadmin.js';
import { sftpUserRoutes } from './files/routes.js';
import { ftpUserRoutes } from './files/routes-ftp.js';
import { mailDomainRoutes } from './mail/routes-domains.js';
import { mailboxRoutes } from './mail/routes-mailboxes.js';
import { appPasswordRoutes } from './mail/routes-app-passwords.js';
import { mailHealthRoutes } from './mail/routes-health.js';
import { vacationRoutes } from './mail/routes-vacation.js';
import { heldRoutes } from './mail/routes-held.js';
import { cronRoutes } from './cron/routes.js';
import { snapshotRoutes } from './snapshots/routes.js';
import { backupRoutes } from './backups/routes.js';
import { workRoutes } from './works/routes.js';
import { readOnlyRoutes } from './read-only/routes.js';
import { billingRoutes } from './billing/routes.js';
import { billingExportRoutes } from './billing/routes-exports.js';
import { paymentRoutes } from './billing/routes-payments.js';
import { cardRoutes } from './billing/routes-card.js';
import { dunningRoutes } from './billing/routes-dunning.js';
import { orderRoutes } from './billing/routes-orders.js';
import { provisioningRoutes } from './billing/routes-provisioning.js';
import { workNoticeRoutes } from './works/routes-notify.js';
import { workPublishRoutes } from './works/routes-publish.js';

export const apiRoutes: AnyRoute[] = [
  ...authRoutes,
  ...userRoutes,
  ...customerRoutes,
  ...offerRoutes,
  ...hostingRoutes,
  ...siteRoutes,
  ...siteLogRoutes,
  ...sitePhpRoutes,
  ...serverRoutes,
  ...auditRoutes,
  ...zoneRoutes,
  ...recordRoutes,
  ...claimRoutes,
  ...noticeRoutes,
  ...certificateRoutes,
  ...mailCertificateRoutes,
  ...platformRoutes,
  ...jobRoutes,
  ...outboxRoutes,
  ...databaseRoutes,
  ...databaseUserRoutes,
  ...dbadminRoutes,
  ...sftpUserRoutes,
  ...ftpUserRoutes,
  ...mailDomainRoutes,
  ...mailboxRoutes,
  ...appPasswordRoutes,
  ...mailHealthRoutes,
  ...vacationRoutes,
  ...heldRoutes,
  ...cronRoutes,
  ...snapshotRoutes,
  ...backupRoutes,
  ...workPublishRoutes,
  ...workRoutes,
  ...readOnlyRoutes,
  ...billingRoutes,
  ...billingExportRoutes,
  ...paymentRoutes,
  ...cardRoutes,
  ...dunningRoutes,
  ...orderRoutes,
  ...provisioningRoutes,
  ...workNoticeRoutes,
];

// a customer losing a zone (another proved the domain) loses the names of its sites in it
onZoneLost(sitesLoseZoneNames);

/** The agent protocol (/agent/v1), authenticated by server tokens, kept out of the public OpenAPI. */
export const allRoutes: AnyRoute[] = [...apiRoutes, ...agentRoutes];
