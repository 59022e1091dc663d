// Pure rules of databases and their users: names, MariaDB quoting and GRANT patterns, privileges,
// quotas and the read-only hysteresis of the offer's database space. The manager and the agent
// (apply-mariadb.ts) use the same functions: one validation per kind of value.
import { createHash } from 'node:crypto';
import { AppError, fieldError } from '../platform/errors.js';
import type { OfferRow } from '../offers/model.js';

/** MariaDB identifiers (database names) are at most 64 characters. */
export const MAX_DATABASE_NAME = 64;
/**
 * MariaDB 10.11 accepts user names of up to 80 characters, MySQL (and the tools and dumps made for
 * it) only 32: Abri keeps them to 32 so a customer's users work with every MySQL client.
 */
export const MAX_USER_NAME = 32;

/** What a customer chooses: the part after `<hosting name>_`. */
export const SUFFIX = /^[a-z0-9_]+$/;

/**
 * A full name as Abri makes them: the hosting's name (letters, then its uid's digits), `_`, a suffix.
 * The agent refuses any other name, so it never touches a system schema (mysql, sys…) or its own (abri).
 */
const ABRI_NAME = /^[a-z][a-z0-9]*[0-9]_[a-z0-9_]+$/;
export const isDatabaseName = (n: string) => ABRI_NAME.test(n) && n.length <= MAX_DATABASE_NAME;
export const isUserName = (n: string) => ABRI_NAME.test(n) && n.length <= MAX_USER_NAME;

export type NamedKind = 'database' | 'database_user';

/** `<hosting>_<suffix>`, or a field error when it is longer than MariaDB (or Abri, for users) allows. */
export function fullName(kind: NamedKind, hostingName: string, suffix: string): string {
  const max = kind === 'database' ? MAX_DATABASE_NAME : MAX_USER_NAME;
  const name = `${hostingName}_${suffix}`;
  if (name.length > max) {
    const left = max - hostingName.length - 1;
    throw fieldError(`${kind}.name_too_long`, 'body.name', `${name} is longer than ${max} characters: in ${hostingName}, give at most ${left} characters`, { name, max: left });
  }
  return name;
}

/** An identifier between backquotes (a backquote doubled; Abri's names never hold one). */
export const quoteId = (name: string) => '`' + name.replace(/`/g, '``') + '`';

/** A database name as a GRANT pattern: `_` and `%` are wildcards there, escaped so h1_x never matches h12x or h1_xy. */
export const grantPattern = (name: string) => name.replace(/[\\_%]/g, (c) => '\\' + c);

/** MariaDB's mysql_native_password string of a password: `*` and the upper-case hex of SHA1(SHA1(password)). */
export function authString(password: string): string {
  const once = createHash('sha1').update(password, 'utf8').digest();
  return '*' + createHash('sha1').update(once).digest('hex').toUpperCase();
}
export const isAuthString = (s: string) => /^\*[0-9A-F]{40}$/.test(s);

/** `ALL PRIVILEGES` on a database, less what is global (FILE, PROCESS, SUPER…) and GRANT OPTION. */
export const FULL_PRIVILEGES = [
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'INDEX', 'ALTER', 'CREATE TEMPORARY TABLES', 'LOCK TABLES',
  'CREATE VIEW', 'SHOW VIEW', 'CREATE ROUTINE', 'ALTER ROUTINE', 'EXECUTE', 'EVENT', 'TRIGGER',
] as const;
export type Privilege = (typeof FULL_PRIVILEGES)[number];

/** Over the space quota: read, dump, and free space (DELETE, DROP, TRUNCATE); nothing that writes. */
export const READ_ONLY_PRIVILEGES: readonly Privilege[] = ['SELECT', 'DELETE', 'DROP', 'LOCK TABLES', 'SHOW VIEW'];

/** The column of mysql.db holding each privilege ('Y' / 'N'). */
export const PRIVILEGE_COLUMNS: Record<Privilege, string> = {
  SELECT: 'Select_priv', INSERT: 'Insert_priv', UPDATE: 'Update_priv', DELETE: 'Delete_priv', CREATE: 'Create_priv', DROP: 'Drop_priv',
  INDEX: 'Index_priv', ALTER: 'Alter_priv', 'CREATE TEMPORARY TABLES': 'Create_tmp_table_priv', 'LOCK TABLES': 'Lock_tables_priv',
  'CREATE VIEW': 'Create_view_priv', 'SHOW VIEW': 'Show_view_priv', 'CREATE ROUTINE': 'Create_routine_priv', 'ALTER ROUTINE': 'Alter_routine_priv',
  EXECUTE: 'Execute_priv', EVENT: 'Event_priv', TRIGGER: 'Trigger_priv',
};

export const privilegesFor = (readOnly: boolean): readonly Privilege[] => (readOnly ? READ_ONLY_PRIVILEGES : FULL_PRIVILEGES);

/**
 * Databases per hosting: the offer's maxDatabases. Users count against the same figure (one user per
 * database is the usual shape; the offer has no figure of its own for users).
 */
export function assertQuota(kind: 'databases' | 'database_users', offer: Pick<OfferRow, 'name' | 'maxDatabases'>, used: number) {
  if (used + 1 > offer.maxDatabases) {
    const what = kind === 'databases' ? 'database(s)' : 'database user(s)';
    throw new AppError(`quota.${kind}_exceeded`, `the offer "${offer.name}" allows ${offer.maxDatabases} ${what} per hosting`, {
      params: { offer: offer.name, max: offer.maxDatabases, used },
    });
  }
}

/** The offer's databaseMb counts mebibytes (1,048,576 bytes), like MariaDB's and Linux's own tools. */
export const MB = 1024 * 1024;
/** Writes come back when the hosting's databases are under this share of the quota again. */
export const RECOVER_SHARE = 0.9;

/**
 * Whether a hosting's databases are read-only after a measure of their total size: above the quota
 * they become read-only; they stay so until they are back under 90 % of it (no flapping at the limit).
 */
export function readOnlyAfter(wasReadOnly: boolean, usedBytes: number, quotaMb: number): boolean {
  const max = quotaMb * MB;
  if (usedBytes > max) return true;
  return wasReadOnly && usedBytes >= max * RECOVER_SHARE;
}

/** Why a read-only database refuses writes, for the answer (translated by code). */
export function readOnlyReason(since: Date | string, usedBytes: number, quotaMb: number) {
  const used = Math.round(usedBytes / MB);
  return {
    since: new Date(since).toISOString(),
    code: 'quota.database_space_exceeded',
    message: `the hosting's databases use ${used} MB of the ${quotaMb} MB its offer allows: INSERT, UPDATE and CREATE are refused until they are back under ${Math.floor(quotaMb * RECOVER_SHARE)} MB (DELETE, DROP and TRUNCATE free space)`,
    params: { usedBytes, maxBytes: quotaMb * MB, resumeBelowBytes: Math.floor(quotaMb * MB * RECOVER_SHARE) },
  };
}
