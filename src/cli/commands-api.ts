// Commands over the REST API (customers, offers, hostings, sites, servers, users, audit, zones, records, certificates, databases).
import type { Command } from 'commander';
import { registerCustomerCommands } from './commands-customers.js';
import { registerOfferCommands } from './commands-offers.js';
import { registerHostingCommands } from './commands-hostings.js';
import { registerSiteCommands } from './commands-sites.js';
import { registerServerCommands } from './commands-servers.js';
import { registerUserCommands } from './commands-users.js';
import { registerAuditCommands } from './commands-audit.js';
import { registerDnsCommands } from './commands-dns.js';
import { registerCertificateCommands } from './commands-certs.js';
import { registerDatabaseCommands } from './commands-databases.js';
import { registerSftpCommands } from './commands-sftp.js';
import { registerFtpCommands } from './commands-ftp.js';
import { registerMailCommands } from './commands-mail.js';
import { registerCronCommands } from './commands-cron.js';
import { registerSnapshotCommands } from './commands-snapshots.js';
import { registerBackupCommands } from './commands-backups.js';
import { registerWorkCommands } from './commands-works.js';

export function registerApiCommands(program: Command) {
  registerCustomerCommands(program);
  registerOfferCommands(program);
  registerHostingCommands(program);
  registerSiteCommands(program);
  registerServerCommands(program);
  registerUserCommands(program);
  registerAuditCommands(program);
  registerDnsCommands(program);
  registerCertificateCommands(program);
  registerDatabaseCommands(program);
  registerSftpCommands(program);
  registerFtpCommands(program);
  registerMailCommands(program);
  registerCronCommands(program);
  registerSnapshotCommands(program);
  registerBackupCommands(program);
  registerWorkCommands(program);
}
