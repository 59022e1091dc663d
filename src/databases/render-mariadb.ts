// The SQL statements Abri sends MariaDB, as text (pure). Every name is checked against Abri's own
// rules before it is written into a statement (a name that is not one throws): identifiers are
// backquoted, GRANT patterns escape `_` and `%`, accounts are 'name'@'%'.
import type { DesiredDatabase, DesiredDatabaseUser } from '../node/protocol.js';
import { FULL_PRIVILEGES, grantPattern, isAuthString, isDatabaseName, isUserName, privilegesFor, quoteId } from './rules.js';

function database(name: string): string {
  if (!isDatabaseName(name)) throw new Error(`not a database name Abri makes: ${JSON.stringify(name)}`);
  return quoteId(name);
}

function account(name: string): string {
  if (!isUserName(name)) throw new Error(`not a database user name Abri makes: ${JSON.stringify(name)}`);
  return `'${name}'@'%'`;
}

function auth(authString: string): string {
  if (!isAuthString(authString)) throw new Error('not a mysql_native_password string');
  return `'${authString}'`;
}

/** A database's GRANT pattern: `h12\_wp`.* (its `_` can match nothing but itself). */
function onDatabase(name: string): string {
  database(name);
  return `${quoteId(grantPattern(name))}.*`;
}

/** Privileges as a statement lists them; only names MariaDB knows at database level. */
function privileges(list: readonly string[]): string {
  const known = new Set<string>([...FULL_PRIVILEGES, 'GRANT OPTION', 'REFERENCES', 'DELETE HISTORY']);
  const bad = list.find((p) => !known.has(p));
  if (bad !== undefined || !list.length) throw new Error(`not a database privilege: ${bad}`);
  return list.join(', ');
}

export const sqlCreateDatabase = (name: string) => `CREATE DATABASE ${database(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;
export const sqlDropDatabase = (name: string) => `DROP DATABASE IF EXISTS ${database(name)}`;
/**
 * How an account signs in: its password's string, and the database admin's console password as a
 * second way in when it has one (MariaDB tries each in turn; both are mysql_native_password).
 */
function identified(authString: string, consoleAuth?: string | null): string {
  if (!consoleAuth) return `IDENTIFIED BY PASSWORD ${auth(authString)}`;
  return `IDENTIFIED VIA mysql_native_password USING ${auth(authString)} OR mysql_native_password USING ${auth(consoleAuth)}`;
}
/** What the server's snapshot reads back for an account signing in so (see MariadbAdmin.snapshot). */
export const identifiedKey = (authString: string, consoleAuth?: string | null) => [authString, consoleAuth].filter(Boolean).join(' ');

export const sqlCreateUser = (name: string, authString: string, locked: boolean, consoleAuth?: string | null) =>
  `CREATE USER ${account(name)} ${identified(authString, consoleAuth)}${locked ? ' ACCOUNT LOCK' : ''}`;
export const sqlSetPassword = (name: string, authString: string, consoleAuth?: string | null) => `ALTER USER ${account(name)} ${identified(authString, consoleAuth)}`;
export const sqlLock = (name: string, locked: boolean) => `ALTER USER ${account(name)} ACCOUNT ${locked ? 'LOCK' : 'UNLOCK'}`;
export const sqlDropUser = (name: string) => `DROP USER IF EXISTS ${account(name)}`;
export const sqlGrant = (list: readonly string[], db: string, user: string) => `GRANT ${privileges(list)} ON ${onDatabase(db)} TO ${account(user)}`;
export const sqlRevoke = (list: readonly string[], db: string, user: string) => `REVOKE ${privileges(list)} ON ${onDatabase(db)} FROM ${account(user)}`;

/**
 * Revokes privileges on a grant pattern as mysql.db stores it (one Abri does not want there, perhaps
 * written by hand): backquoted as it is, backslashes and all.
 */
export const sqlRevokeOnPattern = (list: readonly string[], pattern: string, user: string) => `REVOKE ${privileges(list)} ON ${quoteId(pattern)}.* FROM ${account(user)}`;

/**
 * The whole desired state as one script (render-only nodes write it instead of applying it): what a
 * fresh MariaDB would need. Objects whose names are not Abri's are left out, with a comment.
 */
export function renderDatabaseScript(state: { databases: DesiredDatabase[]; users: DesiredDatabaseUser[] }): string {
  const lines = ['-- Abri: the databases and users of this server (render-only node: nothing was applied)'];
  const readOnly = new Map(state.databases.map((d) => [d.name, d.readOnly]));
  for (const d of state.databases) {
    try {
      lines.push(`${sqlCreateDatabase(d.name).replace('CREATE DATABASE', 'CREATE DATABASE IF NOT EXISTS')};`);
    } catch (e) {
      lines.push(`-- left out (${(e as Error).message})`);
    }
  }
  for (const u of state.users) {
    try {
      const statements = [`${sqlCreateUser(u.name, u.authString, u.locked, u.consoleAuth).replace('CREATE USER', 'CREATE USER IF NOT EXISTS')};`];
      for (const db of u.databases.filter((n) => readOnly.has(n))) statements.push(`${sqlGrant(privilegesFor(readOnly.get(db)!), db, u.name)};`);
      lines.push(...statements);
    } catch (e) {
      lines.push(`-- left out (${(e as Error).message})`);
    }
  }
  return lines.join('\n') + '\n';
}
