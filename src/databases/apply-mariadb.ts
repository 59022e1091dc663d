// The database driver: this node's MariaDB kept equal to the desired databases and users. It is a
// reconciler: missing databases and users are created, passwords, locks and privileges corrected,
// and what is no longer wanted dropped: only what Abri created (abri.managed). A database or user of
// the same name that Abri did not create is refused and left alone. Each object is reported on its
// own; one that fails never stops the others. Sizes are measured every few minutes.
import path from 'node:path';
import type { Logger } from 'pino';
import type { NodeSettings } from '../platform/config.js';
import { ensureDir, writeAtomic } from '../platform/files.js';
import { detailOf, invalid, objectState, type Driver, type DriverResult } from '../node/driver.js';
import type { NodeLayout } from '../node/layout.js';
import type { DesiredDatabase, DesiredDatabaseUser, DesiredState, ObjectProblem, ObjectUsage } from '../node/protocol.js';
import { databaseSize, MariadbAdmin, type ServerSnapshot } from './mariadb-admin.js';
import { grantPattern, isAuthString, isDatabaseName, isUserName, privilegesFor } from './rules.js';
import {
  identifiedKey, renderDatabaseScript, sqlCreateDatabase, sqlCreateUser, sqlDropDatabase, sqlDropUser, sqlGrant, sqlLock, sqlRevoke, sqlRevokeOnPattern, sqlSetPassword,
} from './render-mariadb.js';

type Wanted = NonNullable<DesiredState['database']>;

const notOurs = (name: string): ObjectProblem => ({
  code: 'database.not_ours', params: { name }, message: `${name} exists on the database server and was not created by Abri: refused, nothing touched`,
});
const refused = (name: string, e: unknown): ObjectProblem => ({ code: 'database.refused', params: { name, detail: detailOf(e) }, message: `MariaDB refused a change of ${name}: ${detailOf(e)}` });

/** The hosting of a name: what comes before its first `_` (a hosting's own name has none). */
const hostingOf = (name: string) => name.slice(0, name.indexOf('_'));

export class DatabaseDriver implements Driver {
  readonly name = 'database';
  private measuredAt = 0;

  constructor(
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    private readonly log: Logger,
  ) {}

  handles(state: DesiredState) {
    return !!state.database;
  }

  private report(want: Wanted, problems: Map<string, ObjectProblem>, ok: 'live' | 'rendered') {
    return [
      ...want.databases.map((d) => objectState('database', d.id, ok, problems.get(`database/${d.id}`))),
      ...want.users.map((u) => objectState('database-user', u.id, ok, problems.get(`database-user/${u.id}`))),
    ];
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    const want = state.database!;
    if (!this.node.apply) {
      await ensureDir(this.layout.mariadbDir, 0o700);
      await writeAtomic(path.join(this.layout.mariadbDir, 'abri.sql'), renderDatabaseScript(want), 0o600);
      return { objects: this.report(want, new Map(), 'rendered') };
    }
    let admin: MariadbAdmin | null = null;
    try {
      admin = await MariadbAdmin.connect(this.node.mariadb.socket, this.node.mariadb.user);
      await admin.ensureMarker();
      const snap = await admin.snapshot();
      const problems = new Map<string, ObjectProblem>();
      /** the databases this server holds for Abri now, with whether they are read-only */
      const ready = new Map<string, boolean>();
      for (const d of want.databases) {
        const problem = await this.database(admin, snap, d).catch((e: unknown) => refused(d.name, e));
        if (problem) problems.set(`database/${d.id}`, problem);
        else ready.set(d.name, d.readOnly);
      }
      for (const u of want.users) {
        const problem = await this.user(admin, snap, u, ready).catch((e: unknown) => refused(u.name, e));
        if (problem) problems.set(`database-user/${u.id}`, problem);
      }
      const errors = await this.dropUnwanted(admin, snap, want);
      const usage = await this.measure(snap.datadir, want.databases.filter((d) => ready.has(d.name)));
      return { objects: this.report(want, problems, 'live'), ...(errors.length ? { error: `MariaDB: ${errors.join('; ')}` } : {}), ...(usage ? { usage } : {}) };
    } catch (e) {
      const problem: ObjectProblem = { code: 'server.failed', params: { service: 'MariaDB' }, message: 'the database server could not apply the change; staff see why in the server\'s error' };
      const all = new Map([...want.databases.map((d) => `database/${d.id}`), ...want.users.map((u) => `database-user/${u.id}`)].map((k) => [k, problem]));
      return { objects: this.report(want, all, 'live'), error: `MariaDB: ${detailOf(e)}` };
    } finally {
      await admin?.close().catch((e: unknown) => this.log.warn({ err: e }, 'closing the MariaDB connection failed'));
    }
  }

  /** A database: created when missing (and marked Abri's first), refused when it exists and is not Abri's. */
  private async database(admin: MariadbAdmin, snap: ServerSnapshot, d: DesiredDatabase): Promise<ObjectProblem | null> {
    if (!isDatabaseName(d.name)) return invalid('database name', d.name, 'not a name Abri makes (<hosting>_<a-z0-9_>, at most 64 characters)');
    const managed = snap.managed.has(`database:${d.name}`);
    if (snap.databases.has(d.name)) return managed ? null : notOurs(d.name);
    if (!managed) await admin.mark('database', d.name);
    await admin.run(sqlCreateDatabase(d.name));
    return null;
  }

  /**
   * A user: created or corrected (password, lock), with exactly its privileges on the databases of
   * its own hosting that this server holds for Abri; its connections end when it loses any.
   */
  private async user(admin: MariadbAdmin, snap: ServerSnapshot, u: DesiredDatabaseUser, ready: Map<string, boolean>): Promise<ObjectProblem | null> {
    if (!isUserName(u.name)) return invalid('database user name', u.name, 'not a name Abri makes (<hosting>_<a-z0-9_>, at most 32 characters)');
    if (!isAuthString(u.authString) || (u.consoleAuth && !isAuthString(u.consoleAuth))) return invalid('password hash', u.name, 'not a mysql_native_password string');
    const have = snap.users.get(u.name);
    if (have && !snap.managed.has(`user:${u.name}`)) return notOurs(u.name);
    let cut = false;
    if (!have) {
      await admin.mark('user', u.name);
      await admin.run(sqlCreateUser(u.name, u.authString, u.locked, u.consoleAuth));
    } else {
      if (have.authString !== identifiedKey(u.authString, u.consoleAuth)) {
        await admin.run(sqlSetPassword(u.name, u.authString, u.consoleAuth));
        // the customer's password changed: its sessions end (a console password added alone cuts nothing)
        cut = have.authString.split(' ')[0] !== u.authString;
      }
      if (have.locked !== u.locked) {
        await admin.run(sqlLock(u.name, u.locked));
        cut ||= u.locked;
      }
    }
    const wanted = new Map(u.databases
      .filter((n) => ready.has(n) && hostingOf(n) === hostingOf(u.name))
      .map((n) => [grantPattern(n), { name: n, privileges: privilegesFor(ready.get(n)!) }]));
    const actual = have ? (snap.grants.get(u.name) ?? new Map<string, Set<string>>()) : new Map<string, Set<string>>();
    for (const [pattern, privileges] of actual) {
      if (wanted.has(pattern) || !privileges.size) continue;
      await admin.run(sqlRevokeOnPattern([...privileges], pattern, u.name));
      cut = true;
    }
    for (const [pattern, w] of wanted) {
      const has = actual.get(pattern) ?? new Set<string>();
      const missing = w.privileges.filter((p) => !has.has(p));
      const extra = [...has].filter((p) => !(w.privileges as readonly string[]).includes(p));
      if (missing.length) await admin.run(sqlGrant(missing, w.name, u.name));
      if (extra.length) {
        await admin.run(sqlRevoke(extra, w.name, u.name));
        cut = true;
      }
    }
    if (cut) await admin.disconnect(u.name);
    return null;
  }

  /** Drops the users and databases Abri created that are no longer wanted; returns what failed. */
  private async dropUnwanted(admin: MariadbAdmin, snap: ServerSnapshot, want: Wanted): Promise<string[]> {
    const users = new Set(want.users.map((u) => u.name));
    const databases = new Set(want.databases.map((d) => d.name));
    const errors: string[] = [];
    for (const key of [...snap.managed].sort((a, b) => b.localeCompare(a))) { // users before databases
      const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
      try {
        if (kind === 'user' && !users.has(name)) {
          await admin.run(sqlDropUser(name));
          await admin.disconnect(name);
          await admin.unmark('user', name);
          this.log.info({ user: name }, 'dropped a database user no longer wanted');
        } else if (kind === 'database' && !databases.has(name)) {
          await admin.run(sqlDropDatabase(name));
          await admin.unmark('database', name);
          this.log.info({ database: name }, 'dropped a database no longer wanted');
        }
      } catch (e) {
        errors.push(`could not drop ${kind} ${name}: ${detailOf(e)}`);
      }
    }
    return errors;
  }

  /** Each database's size, at most every ABRI_DATABASE_MEASURE_SECONDS (undefined: not measured this time). */
  private async measure(datadir: string, databases: DesiredDatabase[]): Promise<ObjectUsage[] | undefined> {
    if (this.measuredAt && Date.now() - this.measuredAt < this.node.mariadb.measureSeconds * 1000) return undefined;
    try {
      const usage: ObjectUsage[] = [];
      for (const d of databases) {
        const bytes = await databaseSize(datadir, d.name);
        if (bytes !== null) usage.push({ kind: 'database', id: d.id, bytes });
      }
      this.measuredAt = Date.now();
      return usage;
    } catch (e) {
      this.log.warn({ err: e, datadir }, 'could not measure the databases (is the datadir readable by the agent?)');
      return undefined;
    }
  }
}
