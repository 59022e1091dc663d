// Row types of the database, as Kysely sees them through the CamelCasePlugin.
import type { ColumnType, Generated } from 'kysely';
import type { AcmeAccountsTable, AcmeChallengesTable, CertificatesTable, DnsRecordsTable, NoticesTable, ZoneClaimsTable, ZonesTable } from './schema-dns-certs.js';

import type { DatabasesTable, DatabaseUsersTable, DbadminTicketsTable, DatabaseGrantsTable, HostingDiskUsageTable, SftpUsersTable, FtpUsersTable, SftpKeysTable, CronTasksTable, CronRunsTable } from './schema-hosting-services.js';
import type { WorkChannelsTable, WorkDeliveriesTable, WorkHistoryTable, WorkNoticePreferencesTable, WorksPageTable, WorksTable, WorksTargetsTable } from './schema-works.js';
import type { BackupPartsTable, BackupRepositoriesTable, BackupRestoresTable } from './schema-backups.js';
export type { DatabasesTable, DatabaseUsersTable, DbadminTicketsTable, DatabaseGrantsTable, HostingDiskUsageTable, SftpUsersTable, FtpUsersTable, SftpKeysTable, CronTasksTable, CronRunsTable } from './schema-hosting-services.js';
export type { AcmeAccountsTable, AcmeChallengesTable, CertificatesTable, DnsRecordsTable, NoticesTable, ZoneClaimsTable, ZonesTable } from './schema-dns-certs.js';

import type { OutgoingMailTable, PasswordResetsTable } from './schema-outbox.js';
import type { SnapshotRestoresTable } from './schema-snapshots.js';
import type { OffersTable } from './schema-offers.js';
export type { OffersTable } from './schema-offers.js';
import type { MailAliasesTable, MailAppPasswordsTable, MailboxesTable, MailDkimKeysTable, MailDomainsTable, MailHealthTable, MailboxVacationsTable } from './schema-mail.js';
export type { MailAliasesTable, MailAppPasswordsTable, MailboxesTable, MailDkimKeysTable, MailDomainsTable, MailHealthTable, MailboxVacationsTable } from './schema-mail.js';
export type { OutgoingMailTable, PasswordResetsTable } from './schema-outbox.js';
import type { PlatformReadOnlyTable } from './schema-read-only.js';
import type { BillingSettingsTable, InvoiceCountersTable, InvoicesTable, PaymentsTable, ServicesTable } from './schema-billing.js';
export type { BillingSettingsTable, InvoiceCountersTable, InvoicesTable, PaymentsTable, ServicesTable } from './schema-billing.js';
import type { OrdersTable } from './schema-orders.js';
import type { DunningCustomerPausesTable, DunningEventsTable, DunningInvoicesTable, DunningSettingsTable, DunningSuspensionsTable } from './schema-dunning.js';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** Questions to a server's agent and their answers (src/servers/queries.ts). */
export interface AgentQueriesTable {
  id: Generated<string>;
  serverId: string;
  kind: string;
  args: ColumnType<unknown, string, string>;
  expiresAt: Date | string;
  takenAt: Date | string | null;
  answeredAt: Date | string | null;
  answer: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  createdAt: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  passwordHash: string | null;
  role: 'admin' | 'staff' | 'customer';
  locale: Generated<'fr' | 'en'>;
  disabled: Generated<boolean>;
  totpSecret: string | null;
  totpPending: string | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface SessionsTable {
  id: string;
  userId: string;
  csrfToken: string;
  address: string | null;
  createdAt: CreatedAt;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  userId: string;
  name: string;
  tokenHash: string;
  prefix: string;
  expiresAt: Date | string | null;
  lastUsedAt: Date | string | null;
  lastUsedAddress: string | null;
  createdAt: CreatedAt;
}

/** A customer's invitation (customerId, role) or the activation link of a staff-created account (userId). */
export interface InvitationsTable {
  id: Generated<string>;
  customerId: string | null;
  userId: string | null;
  email: string;
  role: 'owner' | 'manager' | 'readonly' | null;
  tokenHash: string;
  invitedBy: string | null;
  expiresAt: Timestamp;
  acceptedAt: Date | string | null;
  acceptedBy: string | null;
  revokedAt: Date | string | null;
  createdAt: CreatedAt;
}

/** Login attempts per key (address, or account at an address), counted atomically. */
export interface LoginThrottleTable {
  key: string;
  attempts: number;
  lastAt: Timestamp;
}

export interface CustomersTable {
  id: Generated<string>;
  number: Generated<number>;
  name: string;
  contactEmail: string;
  postalAddress: Generated<string>;
  status: Generated<'active' | 'suspended' | 'closed'>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface DelegationsTable {
  id: Generated<string>;
  customerId: string;
  userId: string;
  role: 'owner' | 'manager' | 'readonly';
  createdAt: CreatedAt;
}


export interface ServersTable {
  id: Generated<string>;
  name: string;
  roles: string[];
  addresses: string[];
  agentTokenHash: string;
  lastContactAt: Date | string | null;
  reachedRevision: Generated<number>;
  mode: Generated<'unknown' | 'render-only' | 'apply'>;
  lastError: string | null;
  local: Generated<boolean>;
  publicAddresses: Generated<string[]>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface HostingsTable {
  id: Generated<string>;
  customerId: string;
  offerId: string;
  serverId: string | null;
  name: string;
  uid: number;
  home: string;
  status: Generated<'active' | 'suspended' | 'terminated'>;
  phpVersion: string;
  terminatedAt: Date | string | null;
  revision: Generated<number>;
  purgeRequestedAt: Date | string | null;
  purgedAt: Date | string | null;
  snapshotRequests: Generated<number>; // snapshots asked for on demand (migration 0030): one is taken when it grows
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface SitesTable {
  id: Generated<string>;
  hostingId: string;
  domain: string;
  aliases: string[];
  documentRoot: string;
  phpVersion: string;
  httpsMode: 'http-only' | 'both' | 'https-only' | 'redirect';
  status: Generated<'active' | 'disabled'>;
  revision: Generated<number>;
  platformLabel: string | null;
  /** folded Unicode domain (sort key), folded names and document root (search): see migration 0006 */
  domainSort: Generated<string>;
  namesFolded: Generated<string>;
  /** the PHP settings its customer chose (hosting/model-php.ts SitePhpSettings; migration 0018) */
  phpSettings: Generated<Record<string, unknown>>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface SiteNamesTable {
  name: string;
  siteId: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actorId: string | null;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  target: string | null;
  customerId: string | null;
  address: string | null;
  before: unknown;
  after: unknown;
}

export interface RevisionsTable {
  id: Generated<number>;
  at: CreatedAt;
  reason: string;
  serverIds: string[];
}

export interface ObjectStatesTable {
  serverId: string;
  kind: string;
  objectId: string;
  status: 'rendered' | 'live' | 'error';
  message: string | null;
  /** stable code of the error (node/protocol.ts OBJECT_ERROR_CODES), null when not in error */
  code: string | null;
  params: ColumnType<Record<string, string | number | boolean | null> | null, string | null | undefined, string | null>;
  revision: number;
  updatedAt: Timestamp;
}

/** Durable jobs (src/jobs): leased rows, retries, schedules. */
export interface JobsTable {
  id: Generated<string>;
  kind: string;
  key: string;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  schedule: string | null;
  status: Generated<'scheduled' | 'running' | 'done' | 'failed'>;
  runAt: Timestamp;
  attempts: Generated<number>;
  lastError: string | null;
  lastRunAt: Date | string | null;
  leaseOwner: string | null;
  leaseUntil: Date | string | null;
  generation: Generated<number>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface Database {
  billingSettings: BillingSettingsTable;
  services: ServicesTable;
  invoiceCounters: InvoiceCountersTable;
  invoices: InvoicesTable;
  payments: PaymentsTable;
  dunningSettings: DunningSettingsTable;
  dunningInvoices: DunningInvoicesTable;
  dunningEvents: DunningEventsTable;
  dunningCustomerPauses: DunningCustomerPausesTable;
  dunningSuspensions: DunningSuspensionsTable;
  orders: OrdersTable;
  works: WorksTable;
  backupRepositories: BackupRepositoriesTable;
  backupParts: BackupPartsTable;
  backupRestores: BackupRestoresTable;
  workHistory: WorkHistoryTable;
  workNoticePreferences: WorkNoticePreferencesTable;
  workChannels: WorkChannelsTable;
  workDeliveries: WorkDeliveriesTable;
  worksPage: WorksPageTable;
  worksTargets: WorksTargetsTable;
  cronTasks: CronTasksTable;
  cronRuns: CronRunsTable;
  snapshotRestores: SnapshotRestoresTable;
  hostingDiskUsage: HostingDiskUsageTable;
  sftpUsers: SftpUsersTable;
  sftpKeys: SftpKeysTable;
  ftpUsers: FtpUsersTable;
  databases: DatabasesTable;
  databaseUsers: DatabaseUsersTable;
  databaseGrants: DatabaseGrantsTable;
  dbadminTickets: DbadminTicketsTable;
  agentQueries: AgentQueriesTable;
  jobs: JobsTable;
  platformReadOnly: PlatformReadOnlyTable;
  outgoingMail: OutgoingMailTable;
  passwordResets: PasswordResetsTable;
  mailDomains: MailDomainsTable;
  mailboxes: MailboxesTable;
  mailboxVacations: MailboxVacationsTable;
  mailAliases: MailAliasesTable;
  mailAppPasswords: MailAppPasswordsTable;
  mailHealth: MailHealthTable;
  mailDkimKeys: MailDkimKeysTable;
  zones: ZonesTable;
  dnsRecords: DnsRecordsTable;
  zoneClaims: ZoneClaimsTable;
  notices: NoticesTable;
  certificates: CertificatesTable;
  acmeAccounts: AcmeAccountsTable;
  acmeChallenges: AcmeChallengesTable;
  objectStates: ObjectStatesTable;
  users: UsersTable;
  sessions: SessionsTable;
  apiTokens: ApiTokensTable;
  invitations: InvitationsTable;
  loginThrottle: LoginThrottleTable;
  customers: CustomersTable;
  delegations: DelegationsTable;
  offers: OffersTable;
  servers: ServersTable;
  hostings: HostingsTable;
  sites: SitesTable;
  siteNames: SiteNamesTable;
  auditLog: AuditLogTable;
  revisions: RevisionsTable;
}
