import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-site-search.js';
import * as m0003 from './0003-agent-state.js';
import * as m0004 from './0004-dns-certs.js';
import * as m0005 from './0005-jobs.js';
import * as m0006 from './0006-accounts.js';
import * as m0007 from './0007-dns-names.js';
import * as m0008 from './0008-object-codes.js';
import * as m0009 from './0009-write-path.js';
import * as m0010 from './0010-static-seal.js';
import * as m0011 from './0011-databases.js';
import * as m0012 from './0012-hot-stamps.js';
import * as m0013 from './0013-name-suffixes.js';
import * as m0014 from './0014-disk-usage.js';
import * as m0015 from './0015-sftp-users.js';
import * as m0016 from './0016-ftp-users.js';
import * as m0017 from './0017-sftp-shell.js';
import * as m0018 from './0018-php-settings.js';
import * as m0019 from './0019-cron-tasks.js';
import * as m0020 from './0020-dbadmin.js';
import * as m0021 from './0021-cron-limits.js';
import * as m0022 from './0022-agent-queries.js';
import * as m0024 from './0024-mail.js';
import * as m0025 from './0025-mail-dkim.js';
import * as m0026 from './0026-mail-vacation.js';
import * as m0028 from './0028-mail-limits.js';
import * as m0029 from './0029-mail-app-passwords.js';
import * as m0030 from './0030-snapshots.js';
import * as m0031 from './0031-works.js';
import * as m0032 from './0032-outbox.js';
import * as m0033 from './0033-mail-health.js';
import * as m0035 from './0035-snapshot-restores.js';
import * as m0036 from './0036-backups.js';
import * as m0037 from './0037-billing.js';
import * as m0039 from './0039-works-notify.js';
import * as m0040 from './0040-works-publish.js';
import * as m0041 from './0041-read-only.js';
import * as m0042 from './0042-mail-certificates.js';
import * as m0043 from './0043-payments.js';
import * as m0044 from './0044-service-lifecycle.js';
import * as m0045 from './0045-billing-exports.js';
import * as m0046 from './0046-backup-parts.js';
import * as m0047 from './0047-backup-restores.js';
import * as m0048 from './0048-billing-bank-journal.js';
import * as m0049 from './0049-dunning.js';
import * as m0050 from './0050-orders.js';
import * as m0051 from './0051-provisioning-refs.js';

/** Every migration, in order. Names never change once released. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-site-search': m0002,
  '0003-agent-state': m0003,
  '0004-dns-certs': m0004,
  '0005-jobs': m0005,
  '0006-accounts': m0006,
  '0007-dns-names': m0007,
  '0008-object-codes': m0008,
  '0009-write-path': m0009,
  '0010-static-seal': m0010,
  '0011-databases': m0011,
  '0012-hot-stamps': m0012,
  '0013-name-suffixes': m0013,
  '0014-disk-usage': m0014,
  '0015-sftp-users': m0015,
  '0016-ftp-users': m0016,
  '0017-sftp-shell': m0017,
  '0018-php-settings': m0018,
  '0019-cron-tasks': m0019,
  '0020-dbadmin': m0020,
  '0021-cron-limits': m0021,
  '0022-agent-queries': m0022,
  '0024-mail': m0024,
  '0025-mail-dkim': m0025,
  '0026-mail-vacation': m0026,
  '0028-mail-limits': m0028,
  '0029-mail-app-passwords': m0029,
  '0030-snapshots': m0030,
  '0031-works': m0031,
  '0032-outbox': m0032,
  '0033-mail-health': m0033,
  '0035-snapshot-restores': m0035,
  '0036-backups': m0036,
  '0037-billing': m0037,
  '0039-works-notify': m0039,
  '0040-works-publish': m0040,
  '0041-read-only': m0041,
  '0042-mail-certificates': m0042,
  '0043-payments': m0043,
  '0044-service-lifecycle': m0044,
  '0045-billing-exports': m0045,
  '0046-backup-parts': m0046,
  '0047-backup-restores': m0047,
  '0048-billing-bank-journal': m0048,
  '0049-dunning': m0049,
  '0050-orders': m0050,
  '0051-provisioning-refs': m0051,
};
