// Where each group of `abri` commands is defined (src/cli/command-list.ts names the groups): the
// module is loaded only when one of its commands runs.
import type { Command } from 'commander';
import type { CommandGroup } from './command-list.js';

/** Each group's module, loaded only when one of its commands runs (`abri X` loads X's alone). */
export const groups: Record<CommandGroup, () => Promise<(program: Command) => void>> = {
  local: async () => (await import('./commands-local.js')).registerLocalCommands,
  customers: async () => (await import('./commands-customers.js')).registerCustomerCommands,
  offers: async () => (await import('./commands-offers.js')).registerOfferCommands,
  hostings: async () => (await import('./commands-hostings.js')).registerHostingCommands,
  sites: async () => (await import('./commands-sites.js')).registerSiteCommands,
  servers: async () => (await import('./commands-servers.js')).registerServerCommands,
  users: async () => (await import('./commands-users.js')).registerUserCommands,
  audit: async () => (await import('./commands-audit.js')).registerAuditCommands,
  dns: async () => (await import('./commands-dns.js')).registerDnsCommands,
  cert: async () => (await import('./commands-certs.js')).registerCertificateCommands,
  databases: async () => (await import('./commands-databases.js')).registerDatabaseCommands,
  sftp: async () => (await import('./commands-sftp.js')).registerSftpCommands,
  ftp: async () => (await import('./commands-ftp.js')).registerFtpCommands,
  mail: async () => (await import('./commands-mail.js')).registerMailCommands,
  cron: async () => (await import('./commands-cron.js')).registerCronCommands,
  snapshots: async () => (await import('./commands-snapshots.js')).registerSnapshotCommands,
  backups: async () => (await import('./commands-backups.js')).registerBackupCommands,
  works: async () => (await import('./commands-works.js')).registerWorkCommands,
  login: async () => (await import('./commands-login.js')).registerLoginCommand,
  agent: async () => (await import('./commands-agent.js')).registerAgentCommand,
  jobs: async () => (await import('./commands-jobs.js')).registerJobCommands,
  outbox: async () => (await import('./commands-outbox.js')).registerOutboxCommands,
  platform: async () => (await import('./commands-platform.js')).registerPlatformCommands,
  billing: async () => (await import('./commands-billing.js')).registerBillingCommands,
  card: async () => (await import('./commands-card.js')).registerCardCommands,
  dunning: async () => (await import('./commands-dunning.js')).registerDunningCommands,
  payments: async () => (await import('./commands-payments.js')).registerPaymentCommands,
  orders: async () => (await import('./commands-orders.js')).registerOrderCommands,
  provisioning: async () => (await import('./commands-provisioning.js')).registerProvisioningCommands,
};
