// The agent's administrator connection to the MariaDB of its own machine (unix socket, unix_socket
// authentication as the agent's Unix user), and what it reads and changes there. Abri remembers what
// it created in a table of its own (abri.managed): it drops only those objects, and refuses to adopt
// a database or user of the same name that it did not create.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import mariadb, { type Connection } from 'mariadb';
import { PRIVILEGE_COLUMNS } from './rules.js';

/** Columns of mysql.db beyond Abri's privileges: set only by hand, always revoked. */
const OTHER_COLUMNS: Record<string, string> = { Grant_priv: 'GRANT OPTION', References_priv: 'REFERENCES', Delete_history_priv: 'DELETE HISTORY' };
const COLUMN_PRIVILEGE = new Map<string, string>([...Object.entries(PRIVILEGE_COLUMNS).map(([p, c]) => [c, p] as [string, string]), ...Object.entries(OTHER_COLUMNS)]);

export type ManagedKind = 'database' | 'user';

/** What the server holds, read once per apply. */
export interface ServerSnapshot {
  /** `database:<name>` and `user:<name>` Abri created */
  managed: Set<string>;
  databases: Set<string>;
  /** accounts 'name'@'%': their mysql_native_password string and whether they are locked */
  users: Map<string, { authString: string; locked: boolean }>;
  /** per account name: stored grant pattern (mysql.db.Db) → privileges at that level */
  grants: Map<string, Map<string, Set<string>>>;
  datadir: string;
}

export class MariadbAdmin {
  private constructor(private readonly conn: Connection) {}

  static async connect(socketPath: string, user: string): Promise<MariadbAdmin> {
    const conn = await mariadb.createConnection({ socketPath, user, connectTimeout: 10_000, queryTimeout: 120_000, multipleStatements: false });
    return new MariadbAdmin(conn);
  }

  async close(): Promise<void> {
    await this.conn.end();
  }

  /** Runs one statement (built by render-mariadb.ts, or with `?` values). */
  async run(statement: string, values?: unknown[]): Promise<unknown> {
    return this.conn.query(statement, values);
  }

  /** Abri's own schema: the list of what it created on this server. */
  async ensureMarker(): Promise<void> {
    await this.run('CREATE DATABASE IF NOT EXISTS abri');
    await this.run(`CREATE TABLE IF NOT EXISTS abri.managed (
      kind VARCHAR(16) NOT NULL, name VARCHAR(80) NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (kind, name)
    ) ENGINE=InnoDB`);
  }

  /** Remembers that Abri creates this object (written before it is created: a crash in between leaves it Abri's). */
  async mark(kind: ManagedKind, name: string): Promise<void> {
    await this.run('INSERT IGNORE INTO abri.managed (kind, name) VALUES (?, ?)', [kind, name]);
  }

  async unmark(kind: ManagedKind, name: string): Promise<void> {
    await this.run('DELETE FROM abri.managed WHERE kind = ? AND name = ?', [kind, name]);
  }

  async snapshot(): Promise<ServerSnapshot> {
    const managed = (await this.conn.query<Array<{ kind: string; name: string }>>('SELECT kind, name FROM abri.managed'))
      .map((r) => `${r.kind}:${r.name}`);
    const databases = (await this.conn.query<Array<{ name: string }>>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA')).map((r) => r.name);
    const users = await this.conn.query<Array<{ name: string; authString: string | null; locked: string | null }>>(
      // a second way in (the database admin's console password) is the second of "IDENTIFIED VIA … OR …": auth_or[1]
      `SELECT User AS name, CONCAT_WS(' ', JSON_VALUE(Priv, '$.authentication_string'), JSON_VALUE(Priv, '$.auth_or[1].authentication_string')) AS authString,
              JSON_VALUE(Priv, '$.account_locked') AS locked
       FROM mysql.global_priv WHERE Host = '%'`);
    const columns = [...COLUMN_PRIVILEGE.keys()];
    const rows = await this.conn.query<Array<Record<string, string>>>(`SELECT User, Db, ${columns.join(', ')} FROM mysql.db WHERE Host = '%'`);
    const grants = new Map<string, Map<string, Set<string>>>();
    for (const r of rows) {
      const user = grants.get(r.User!) ?? grants.set(r.User!, new Map()).get(r.User!)!;
      user.set(r.Db!, new Set(columns.filter((c) => r[c] === 'Y').map((c) => COLUMN_PRIVILEGE.get(c)!)));
    }
    const [{ datadir }] = await this.conn.query<Array<{ datadir: string }>>('SELECT @@datadir AS datadir');
    return {
      managed: new Set(managed),
      databases: new Set(databases),
      users: new Map(users.map((u) => [u.name, { authString: u.authString ?? '', locked: u.locked === '1' || u.locked === 'true' }])),
      grants,
      datadir: datadir!,
    };
  }

  /** Ends every connection of an account (privileges of a database apply to a session at its next USE only). */
  async disconnect(user: string): Promise<void> {
    const ids = await this.conn.query<Array<{ id: number | bigint }>>('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ?', [user]);
    for (const { id } of ids) {
      try {
        await this.run('KILL CONNECTION ?', [Number(id)]);
      } catch (e) {
        // it ended on its own meanwhile (ER_NO_SUCH_THREAD)
        if ((e as { errno?: number }).errno !== 1094) throw e;
      }
    }
  }
}

/** The size of a database: the sum of its files' sizes in its directory under the datadir (no query, no lock). */
export async function databaseSize(datadir: string, name: string): Promise<number | null> {
  const dir = path.join(datadir, name); // Abri's names ([a-z0-9_]) are their own directory names
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  let total = 0;
  for (const f of entries) {
    try {
      const s = await stat(path.join(dir, f));
      if (s.isFile()) total += s.size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // a table dropped meanwhile
    }
  }
  return total;
}
