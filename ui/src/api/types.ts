// Shapes of the API's answers (see /api/v1/openapi.json), as the UI reads them.
export type Locale = 'fr' | 'en';
export type UserRole = 'admin' | 'staff' | 'customer';
export type DelegationRole = 'owner' | 'manager' | 'readonly';
export type HttpsMode = 'http-only' | 'both' | 'https-only' | 'redirect';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}

export interface User {
  id: string;
  email: string;
  role: UserRole;
  locale: Locale;
  disabled: boolean;
  totpEnabled: boolean;
  passwordSet: boolean;
  createdAt: string;
  invitationUrl?: string;
}

export interface Me {
  user: User;
  csrfToken: string | null;
  customers: Array<{ customerId: string; number: number; name: string; role: DelegationRole }>;
}

export interface Customer {
  id: string;
  number: number;
  name: string;
  contactEmail: string;
  postalAddress: string;
  status: 'active' | 'suspended' | 'closed';
  createdAt: string;
  updatedAt: string;
}

export interface Delegation {
  id: string;
  customerId: string;
  userId: string;
  email: string;
  role: DelegationRole;
  pending: boolean;
  createdAt: string;
  invitationUrl?: string;
}

export interface Offer {
  id: string;
  name: string;
  priceCents: number;
  currency: string;
  billingCycle: 'monthly' | 'quarterly' | 'yearly';
  diskMb: number;
  maxSites: number;
  maxMailboxes: number;
  mailMb: number;
  maxDatabases: number;
  databaseMb: number;
  maxFtpUsers: number;
  /** PHP-FPM processes a hosting may run at once */
  phpMaxChildren?: number;
  /** PHP memory_limit, in MB */
  phpMemoryMb?: number;
  sshAllowed: boolean;
  tlsAllowed: boolean;
  phpVersions: string[];
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A measured quota; kinds other than sites appear as agents report them. */
export interface Usage {
  used: number;
  max: number;
}

export interface Hosting {
  id: string;
  name: string;
  uid: number;
  home: string;
  customerId: string;
  customerNumber: number;
  customerName: string;
  offerId: string;
  offerName: string;
  serverId: string | null;
  status: 'active' | 'suspended' | 'terminated';
  phpVersion: string;
  usage: Partial<Record<'sites' | 'diskMb' | 'mailboxes' | 'databases' | 'ftpUsers', Usage>>;
  createdAt: string;
  updatedAt: string;
  terminatedAt: string | null;
}

export type ProvisioningStatus = 'pending' | 'rendered' | 'live' | 'error';

/** Where a site's configuration is on its servers (its web server and every edge), as agents report it. */
export interface Provisioning {
  status: ProvisioningStatus;
  message: string | null;
  servers?: Array<{ serverId: string; name: string; status: ProvisioningStatus; message: string | null; at: string | null }>;
}

export interface Site {
  id: string;
  hostingId: string;
  hostingName: string;
  domain: string;
  domainUnicode: string;
  aliases: string[];
  aliasesUnicode: string[];
  /** the label of <label>.<platform domain>, when the site has one */
  platformSubdomain?: string | null;
  /** <label>.<platform domain> (read-only), when the site has one */
  platformName?: string | null;
  documentRoot: string;
  phpVersion: string;
  httpsMode: HttpsMode;
  status: 'active' | 'disabled';
  provisioning?: Provisioning | null;
  createdAt: string;
  updatedAt: string;
}

export interface Server {
  id: string;
  name: string;
  roles: string[];
  addresses: string[];
  lastContactAt: string | null;
  reachedRevision: number;
  /** what its agent does with configs (render-only: written, not applied) */
  mode?: 'unknown' | 'render-only' | 'apply';
  lastError?: string | null;
  /** the machine the manager runs on (in-process agent) */
  local?: boolean;
  createdAt: string;
  updatedAt: string;
  agentToken?: string;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  token?: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorId: string | null;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  target: string | null;
  customerId: string | null;
  address: string | null;
}

export type DnsMode = 'managed' | 'external';

export interface Zone {
  id: string;
  /** ASCII (punycode) form */
  name: string;
  nameUnicode: string;
  /** null for the platform's own zone */
  customerId: string | null;
  dns: DnsMode;
  edgeRecords: boolean;
  platform: boolean;
  provisioning: Provisioning;
  createdAt: string;
  updatedAt: string;
}

export const recordTypes = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'CAA', 'NS'] as const;
export type RecordType = (typeof recordTypes)[number];

export interface DnsRecord {
  /** null for the records the platform keeps */
  id: string | null;
  name: string;
  nameUnicode: string;
  /** "@" for the apex, else relative to the zone */
  relativeName: string;
  type: string;
  ttl: number;
  content: string;
  managed: boolean;
  purpose: 'soa' | 'ns' | 'edge' | 'acme' | null;
}

export interface ZoneCheck {
  zone: string;
  dns: DnsMode;
  nameservers: Array<{ server: string; role: 'primary' | 'secondary'; serial: number | null; ok: boolean; message: string | null }>;
  required: Array<{ name: string; type: string; content: string; found: string[]; ok: boolean }>;
  ok: boolean;
}

export type CertificateStatus = 'none' | 'pending' | 'valid' | 'failing' | 'expired';

export interface Certificate {
  id: string | null;
  siteId: string | null;
  kind: 'site' | 'platform';
  source: 'acme' | 'custom' | null;
  status: CertificateStatus;
  /** names the current certificate covers */
  names: string[];
  /** names it should cover */
  wanted: string[];
  issuer: string | null;
  serial: string | null;
  fingerprint: string | null;
  notBefore: string | null;
  notAfter: string | null;
  renewAt: string | null;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  failures: number;
  problems: Array<{ name: string; reason: string }>;
  /** deployment on the edges */
  provisioning: Provisioning | null;
  /** in the staff's list: the site's domain */
  domain?: string | null;
}
