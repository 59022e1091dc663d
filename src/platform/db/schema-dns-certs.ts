// Row types of the DNS and certificate tables (zones, claims, notices, records, certificates, ACME), part of the
// Database of schema.ts.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './schema.js';

export interface ZonesTable {
  id: Generated<string>;
  name: string;
  customerId: string | null;
  dns: Generated<'managed' | 'external'>;
  edgeRecords: Generated<boolean>;
  platform: Generated<boolean>;
  revision: Generated<number>;
  /** folded Unicode name (sort and search key) */
  nameFolded: Generated<string>;
  provenAt: Date | string | null;
  provenBy: 'txt' | 'ns' | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface ZoneClaimsTable {
  id: Generated<string>;
  name: string;
  customerId: string;
  token: string;
  dns: Generated<'managed' | 'external'>;
  status: Generated<'pending' | 'verified'>;
  method: 'txt' | 'ns' | null;
  createdAt: CreatedAt;
  verifiedAt: Date | string | null;
}

export interface NoticesTable {
  id: Generated<string>;
  /** null: a notice for the staff */
  customerId: string | null;
  kind: string;
  message: string;
  params: ColumnType<Record<string, unknown>, string | undefined, string>;
  createdAt: CreatedAt;
  readAt: Date | string | null;
  readBy: string | null;
}

export interface DnsRecordsTable {
  id: Generated<string>;
  zoneId: string;
  name: string;
  type: 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'SRV' | 'CAA' | 'NS';
  content: string;
  ttl: number;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface CertificatesTable {
  id: Generated<string>;
  siteId: string | null;
  /** the mail server of a mail certificate (0042) */
  serverId: string | null;
  kind: 'site' | 'platform' | 'mail';
  source: Generated<'acme' | 'custom'>;
  status: Generated<'pending' | 'valid' | 'failing'>;
  names: Generated<string[]>;
  problems: ColumnType<Array<{ name: string; reason: string }>, string | undefined, string>;
  issuer: string | null;
  serial: string | null;
  fingerprint: string | null;
  notBefore: Date | string | null;
  notAfter: Date | string | null;
  certPem: string | null;
  chainPem: string | null;
  keySealed: string | null;
  renewAt: Date | string | null;
  failures: Generated<number>;
  lastError: string | null;
  lastAttemptAt: Date | string | null;
  revision: Generated<number>;
  expiry: ColumnType<Date, never, never>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface AcmeAccountsTable {
  directoryUrl: string;
  email: string | null;
  keySealed: string;
  accountUrl: string | null;
  createdAt: CreatedAt;
}

export interface AcmeChallengesTable {
  id: Generated<string>;
  kind: 'http-01' | 'dns-01' | 'probe';
  token: string | null;
  name: string;
  value: string;
  zoneId: string | null;
  certificateId: string | null;
  expiresAt: Date | string;
  createdAt: CreatedAt;
}
