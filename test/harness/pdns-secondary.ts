// A throw-away PowerDNS Authoritative autosecondary (gsqlite3 backend in a temp dir) and a `dig`
// helper, for integration tests of Abri's DNS role (primary → secondaries over NOTIFY/AXFR).
//
// Why port 53 on distinct loopback IPs: a secondary takes the primary's address from the NOTIFY's
// source IP (the primary's query-local-address) and AXFRs from that IP on port 53, with no way to
// name another port for autosecondary zones. So every server in a test listens on port 53, each on
// its own 127.x.y.z (Linux routes all of 127.0.0.0/8 to lo; binding port 53 needs root).
import { type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import { run, startProcess, stopProcess, track } from './run.js';

export interface PdnsSecondary {
  address: string;
  port: 53;
  dir: string;
  /** its zone database (pdnsRecords() reads it) */
  database: string;
  stop(): Promise<void>;
}

const SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';

/**
 * Starts a PowerDNS Authoritative instance as an autosecondary on `address`:53 (a loopback IP like
 * 127.0.53.2), trusting NOTIFY from `primaryAddress` whose zones list `primaryNameserver` in their NS set.
 */
export async function startPdnsSecondary(opts: { address: string; primaryAddress: string; primaryNameserver: string }): Promise<PdnsSecondary> {
  const dir = await mkdtemp('/tmp/abri-pdns2-');
  const db = path.join(dir, 'pdns.sqlite3');
  let child: ChildProcess | null = null;
  const stop = async () => {
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // A server already there would answer our readiness probe while ours dies on "Address already in use"
    if ((await versionBind(opts.address)) !== null) throw new Error(`${opts.address}:53 already answers DNS (another server, or a leftover of an earlier run?)`);
    await run('sqlite3', [db, `.read ${SCHEMA}`]);
    // The autoprimary ("supermaster") row: a NOTIFY from this IP for an unknown zone creates the zone
    // when the zone's NS set (asked from the primary) contains this name. Stored WITHOUT trailing dot.
    const ns = opts.primaryNameserver.replace(/\.$/, '');
    await run('sqlite3', [db, `insert into supermasters(ip, nameserver, account) values ('${sql(opts.primaryAddress)}', '${sql(ns)}', 'abri')`]);
    // answered to `version.bind CH TXT`: tells our server from any other on the address
    const version = `abri-test-${randomBytes(6).toString('hex')}`;
    const conf = [
      `version-string=${version}`,
      'launch=gsqlite3',
      `gsqlite3-database=${db}`,
      `local-address=${opts.address}`,
      'local-port=53',
      // queries to the primary (NS check, SOA checks, AXFR) leave from our own address
      `query-local-address=${opts.address}`,
      'secondary=yes',
      'autosecondary=yes',
      `allow-notify-from=${opts.primaryAddress}`,
      // check for due transfers every second instead of every 60 s
      'xfr-cycle-interval=1',
      // a renumbering notifies every zone at once: transfer them 16 at a time rather than 2, and
      // write each one without waiting for the disk (a test server, like the primary's settings)
      'retrieval-threads=16',
      'gsqlite3-pragma-synchronous=0',
      'gsqlite3-pragma-journal-mode=WAL',
      // no query cache: PowerDNS 4.7 purges a transferred zone from each of its 1,024 cache shards,
      // a walk that grows with the zones cached (its SOA checks fill it) and took a fifth of this
      // server's CPU in a renumbering of 10,000 zones. Only a test server may do without it.
      'query-cache-ttl=0',
      'negquery-cache-ttl=0',
      `socket-dir=${dir}`,
      'daemon=no',
      'guardian=no',
      'disable-syslog=yes',
      'loglevel=4',
    ];
    await writeFile(path.join(dir, 'pdns.conf'), conf.join('\n') + '\n');
    child = startProcess('pdns_server', [`--config-dir=${dir}`], { logFile: path.join(dir, 'pdns.log') });
    track(child.pid);
    await waitUntilAnswering(child, opts.address, version, path.join(dir, 'pdns.log'));
    return { address: opts.address, port: 53, dir, database: db, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Asks a DNS server (dig, +short, no recursion) for name/type; returns the answer lines (empty array
 * when none). Throws when the server does not answer at all.
 */
export async function dig(server: { address: string; port: number }, name: string, type: string): Promise<string[]> {
  const { stdout } = await run('dig', [`@${server.address}`, '-p', String(server.port), '+short', '+norecurse', '+time=2', '+tries=1', name, type], { timeoutMs: 10_000 });
  return stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith(';'));
}

const RECORDS = 'records r JOIN domains d ON d.id = r.domain_id WHERE r.type IS NOT NULL AND r.disabled = 0';

/**
 * Every record of a PowerDNS SQLite database, one line each (zone|name|type|content|ttl|prio), sorted:
 * a primary's and a secondary's are equal when the secondary holds every zone as the primary does.
 */
export async function pdnsRecords(database: string): Promise<string[]> {
  return (await pdnsQuery(database, `SELECT d.name, r.name, r.type, r.content, r.ttl, r.prio FROM ${RECORDS} ORDER BY 1, 2, 3, 4;`)).split('\n').filter(Boolean);
}

/** How many records of the database match `where` (SQL on r, the record, and d, its zone). */
export async function pdnsCount(database: string, where: string): Promise<number> {
  return Number((await pdnsQuery(database, `SELECT count(*) FROM ${RECORDS} AND (${where});`)).trim());
}

/** Runs a query as the database's owner (a root-owned WAL file would lock PowerDNS's own user out). */
async function pdnsQuery(database: string, query: string): Promise<string> {
  const { uid, gid } = await stat(database);
  return (await run('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', 'sqlite3', database, '.timeout 30000', query], { timeoutMs: 120_000 })).stdout;
}

/** A random loopback address 127.x.y.z (x in 60..250), unlikely to collide between test files running in parallel. */
export function randomLoopback(): string {
  return `127.${randomInt(60, 251)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

const sql = (s: string) => s.replace(/'/g, "''");

/** The server's answer to `version.bind CH TXT` (without quotes), or null when nothing answers. */
async function versionBind(address: string): Promise<string | null> {
  const r = await run('dig', [`@${address}`, '-p', '53', '+short', '+time=1', '+tries=1', 'version.bind', 'CH', 'TXT'], { allowFailure: true });
  return r.code === 0 ? r.stdout.trim().replace(/^"|"$/g, '') : null;
}

/** Waits until the server answers `version.bind CH TXT` with our own version string. */
async function waitUntilAnswering(child: ChildProcess, address: string, version: string, logFile: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    // exited early: typically the address:53 is taken (another server, a leftover) or we are not root
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`pdns_server on ${address} exited (${child.exitCode ?? child.signalCode}); see ${logFile}`);
    if ((await versionBind(address)) === version) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for pdns_server on ${address}:53; see ${logFile}`);
}

