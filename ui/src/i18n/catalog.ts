// The message catalogs: English defines the keys; French must have exactly the same (checked by tsc).
// A message is a sentence with {variables}, or plural forms chosen by Intl.PluralRules on its count
// (`n` names the variable, default `count`; `zero` is used for 0 when given).
import { enCerts } from './en/certs.js';
import { enCommon } from './en/common.js';
import { enCustomer } from './en/customer.js';
import { enDatabases } from './en/databases.js';
import { enDns } from './en/dns.js';
import { enErrors } from './en/errors.js';
import { enFiles } from './en/files.js';
import { enFtp } from './en/ftp.js';
import { enMail } from './en/mail.js';
import { enMailApps } from './en/mail-apps.js';
import { enMailHealth } from './en/mail-health.js';
import { enMailDkim } from './en/mail-dkim.js';
import { enMailVacation } from './en/mail-vacation.js';
import { enMailLimits } from './en/mail-limits.js';
import { enJobs } from './en/jobs.js';
import { enOutbox } from './en/outbox.js';
import { enShell } from './en/shell.js';
import { enPhp } from './en/php.js';
import { enCron } from './en/cron.js';
import { enLogs } from './en/logs.js';
import { enSnapshots } from './en/snapshots.js';
import { enBackups } from './en/backups.js';
import { enRestores } from './en/restores.js';
import { enBackupRestore } from './en/backup-restore.js';
import { enStaff } from './en/staff.js';
import { enWorks } from './en/works.js';
import { enReadOnly } from './en/read-only.js';
import { enBilling } from './en/billing.js';
import { enExports } from './en/exports.js';
import { enCard } from './en/card.js';
import { enDunning } from './en/dunning.js';
import { enLifecycle } from './en/lifecycle.js';
import { enPayments } from './en/payments.js';
import { enOrders } from './en/orders.js';
import { enWorksNotify } from './en/works-notify.js';
import { enWorksPublish } from './en/works-publish.js';
import { frCerts } from './fr/certs.js';
import { frCommon } from './fr/common.js';
import { frCustomer } from './fr/customer.js';
import { frDatabases } from './fr/databases.js';
import { frDns } from './fr/dns.js';
import { frErrors } from './fr/errors.js';
import { frFiles } from './fr/files.js';
import { frFtp } from './fr/ftp.js';
import { frMail } from './fr/mail.js';
import { frMailApps } from './fr/mail-apps.js';
import { frMailHealth } from './fr/mail-health.js';
import { frMailDkim } from './fr/mail-dkim.js';
import { frMailVacation } from './fr/mail-vacation.js';
import { frMailLimits } from './fr/mail-limits.js';
import { frJobs } from './fr/jobs.js';
import { frOutbox } from './fr/outbox.js';
import { frShell } from './fr/shell.js';
import { frPhp } from './fr/php.js';
import { frCron } from './fr/cron.js';
import { frLogs } from './fr/logs.js';
import { frSnapshots } from './fr/snapshots.js';
import { frBackups } from './fr/backups.js';
import { frRestores } from './fr/restores.js';
import { frBackupRestore } from './fr/backup-restore.js';
import { frStaff } from './fr/staff.js';
import { frWorks } from './fr/works.js';
import { frReadOnly } from './fr/read-only.js';
import { frBilling } from './fr/billing.js';
import { frExports } from './fr/exports.js';
import { frCard } from './fr/card.js';
import { frDunning } from './fr/dunning.js';
import { frLifecycle } from './fr/lifecycle.js';
import { frPayments } from './fr/payments.js';
import { frOrders } from './fr/orders.js';
import { frWorksNotify } from './fr/works-notify.js';
import { frWorksPublish } from './fr/works-publish.js';
import type { Locale } from '../api/model.js';

export interface Plural {
  n?: string;
  zero?: string;
  one: string;
  other: string;
}
export type Message = string | Plural;

export const en = { ...enCommon, ...enCustomer, ...enStaff, ...enDns, ...enCerts, ...enDatabases, ...enFiles, ...enShell, ...enFtp, ...enMail, ...enMailLimits, ...enMailVacation, ...enMailDkim, ...enMailHealth, ...enMailApps, ...enCron, ...enJobs, ...enOutbox, ...enPhp, ...enLogs, ...enWorks, ...enWorksPublish, ...enWorksNotify, ...enSnapshots, ...enRestores, ...enBackups, ...enBackupRestore, ...enBilling, ...enExports, ...enCard, ...enDunning, ...enLifecycle, ...enPayments, ...enOrders, ...enReadOnly, ...enErrors };
export type MessageKey = keyof typeof en;
export const fr: Record<MessageKey, Message> = { ...frCommon, ...frCustomer, ...frStaff, ...frDns, ...frCerts, ...frDatabases, ...frFiles, ...frShell, ...frFtp, ...frMail, ...frMailLimits, ...frMailVacation, ...frMailDkim, ...frMailHealth, ...frMailApps, ...frCron, ...frJobs, ...frOutbox, ...frPhp, ...frLogs, ...frWorks, ...frWorksPublish, ...frWorksNotify, ...frSnapshots, ...frRestores, ...frBackups, ...frBackupRestore, ...frBilling, ...frExports, ...frCard, ...frDunning, ...frLifecycle, ...frPayments, ...frOrders, ...frReadOnly, ...frErrors };

export const catalogs: Record<Locale, Record<MessageKey, Message>> = { en, fr };
export const locales: Locale[] = ['fr', 'en'];

/** Every sentence of a message (its plural forms), for the tests that compare catalogs. */
export const formsOf = (m: Message): string[] => (typeof m === 'string' ? [m] : [m.zero, m.one, m.other].filter((x): x is string => x !== undefined));
