// Every error code of the manager, capability by capability (each declares its own with defineErrors).
// The CLI's own codes (cli/errors.ts) are registered by the CLI, which sits above the manager.
import { declaredErrors, platformErrors } from './platform/errors.js';
import { policyErrors } from './platform/policy.js';
import { actorErrors } from './platform/actor.js';
import { accountErrors } from './accounts/errors.js';
import { offerErrors } from './offers/errors.js';
import { hostingErrors } from './hosting/errors.js';
import { dnsErrors } from './dns/errors.js';
import { noticeErrors } from './notices/errors.js';
import { certificateErrors } from './certs/errors.js';
import { serverErrors } from './servers/errors.js';
import { jobErrors } from './jobs/errors.js';
import { outboxErrors } from './outbox/errors.js';
import { databaseErrors } from './databases/errors.js';
import { fileErrors } from './files/errors.js';
import { ftpErrors } from './files/errors-ftp.js';
import { cronErrors } from './cron/errors.js';
import { mailErrors } from './mail/errors.js';
import { snapshotErrors } from './snapshots/errors.js';
import { backupErrors } from './backups/errors.js';
import { workErrors } from './works/errors.js';
import { billingErrors } from './billing/errors.js';
import { paymentErrors } from './billing/errors-payments.js';
import { cardErrors } from './billing/errors-card.js';
import { dunningErrors } from './billing/errors-dunning.js';
import { orderErrors } from './billing/errors-orders.js';
import { provisioningErrors } from './billing/errors-provisioning.js';

export const errorTables = [platformErrors, policyErrors, actorErrors, accountErrors, offerErrors, hostingErrors, dnsErrors, noticeErrors, certificateErrors, serverErrors, jobErrors, outboxErrors, databaseErrors, fileErrors, ftpErrors, cronErrors, mailErrors, snapshotErrors, backupErrors, workErrors, billingErrors, paymentErrors, cardErrors, dunningErrors, orderErrors, provisioningErrors];

/** The whole catalogue: code → kind. */
export const allErrors = () => declaredErrors();
