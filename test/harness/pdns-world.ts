// "The rest of the Internet" for tests that ask the public DNS: a throw-away PowerDNS Authoritative
// (gsqlite3 in a temp dir) on a loopback address and a free port, whose zones the test writes through
// PowerDNS's API — a domain's TXT records and NS as its registrant's DNS host would publish them.
// Abri asks it as its resolver (ABRI_DNS_RESOLVER=<address>:<port>). No packet leaves the machine.
import { type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { run, startProcess, stopProcess, track } from './run.js';
import { freePort } from './services.js';

const SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';

export interface WorldRrset { name: string; type: string; records: string[]; ttl?: number }

export interface PdnsWorld {
  address: string;
  port: number;
  /** ABRI_DNS_RESOLVER value */
  resolver: string;
  /** Creates (or replaces) a zone with these rrsets (SOA and NS added when missing). */
  setZone(zone: string, rrsets: WorldRrset[]): Promise<void>;
  stop(): Promise<void>;
}

const abs = (n: string) => (n.endsWith('.') ? n : `${n}.`);

export async function startPdnsWorld(address = '127.0.0.1'): Promise<PdnsWorld> {
  const dir = await mkdtemp('/tmp/abri-pdns-world-');
  const port = await freePort();
  const apiPort = await freePort();
  let child: ChildProcess | null = null;
  const stop = async () => {
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };
  const api = async (method: string, p: string, body?: unknown) => {
    const r = await fetch(`http://127.0.0.1:${apiPort}/api/v1/servers/localhost${p}`, {
      method, headers: { 'X-API-Key': 'world', 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`PowerDNS world ${method} ${p}: ${r.status} ${text}`);
    return text;
  };
  try {
    const db = path.join(dir, 'pdns.sqlite3');
    await run('sqlite3', [db, `.read ${SCHEMA}`]);
    const conf = [
      'launch=gsqlite3', `gsqlite3-database=${db}`, `local-address=${address}`, `local-port=${port}`,
      'api=yes', 'api-key=world', 'webserver=yes', 'webserver-address=127.0.0.1', `webserver-port=${apiPort}`, 'webserver-allow-from=127.0.0.0/8',
      'only-notify=', 'query-cache-ttl=0', 'negquery-cache-ttl=0', 'cache-ttl=0', 'zone-cache-refresh-interval=0',
      `socket-dir=${dir}`, 'daemon=no', 'guardian=no', 'disable-syslog=yes', 'loglevel=4',
    ];
    await writeFile(path.join(dir, 'pdns.conf'), conf.join('\n') + '\n');
    child = startProcess('pdns_server', [`--config-dir=${dir}`], { logFile: path.join(dir, 'pdns.log') });
    track(child.pid);
    const until = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the world's PowerDNS exited (${child.exitCode}); see ${dir}/pdns.log`);
      try {
        await api('GET', '/zones');
        break;
      } catch (e) {
        if (Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    address,
    port,
    resolver: `${address}:${port}`,
    async setZone(zone, rrsets) {
      await api('DELETE', `/zones/${abs(zone)}`).catch((e: Error) => {
        if (!/404|422|Could not find/.test(e.message)) throw e; // a zone not there yet
      });
      const all = [...rrsets];
      if (!all.some((r) => r.type === 'SOA')) all.push({ name: zone, type: 'SOA', records: [`ns.world.test. hostmaster.world.test. 1 3600 600 86400 60`] });
      if (!all.some((r) => r.type === 'NS' && r.name === zone)) all.push({ name: zone, type: 'NS', records: ['ns.world.test.'] });
      await api('POST', '/zones', {
        name: abs(zone), kind: 'Native', nameservers: [],
        rrsets: all.map((r) => ({ name: abs(r.name), type: r.type, ttl: r.ttl ?? 60, records: r.records.map((content) => ({ content, disabled: false })) })),
      });
    },
    stop,
  };
}
