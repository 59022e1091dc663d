// Pure: PowerDNS's own configuration on a DNS node (pdns.conf), and a zone in BIND format (what a
// render-only node writes to show the zones it would publish).
import { isIP } from 'node:net';
import { renderError, safeInt, safePath, safeToken, safeUserName, type RenderedFile } from '../platform/render.js';
import type { Rrset } from './zone-content.js';
import { checkContent, checkOwnerName, checkZoneName } from './render-checks.js';

export interface PdnsSpec {
  /** where pdns.conf is written */
  configDir: string;
  /** the SQLite database of zones */
  database: string;
  /** control socket and pid file */
  socketDir: string;
  listen: { host: string; port: number };
  apiPort: number;
  apiKey: string;
  secondaries: Array<{ address: string; port: number }>;
  /** user and group PowerDNS drops to after binding its port (null: stays root) */
  user: string | null;
}

const ip = (what: string, v: unknown) => {
  if (typeof v !== 'string' || isIP(v) === 0) throw renderError(what, v, 'must be an IP address');
  return v;
};
const withPort = (a: string, port: number) => (a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`);

export function renderPdnsConf(s: PdnsSpec): RenderedFile {
  const host = ip('DNS listen address', s.listen.host);
  const secondaries = s.secondaries.map((x) => ({ address: ip('secondary address', x.address), port: safeInt('secondary port', x.port, 1, 65_535) }));
  const anyAddress = host === '0.0.0.0' || host === '::';
  const lines = [
    '# PowerDNS Authoritative of this DNS node. Rendered by Abri; do not edit.',
    'launch=gsqlite3',
    `gsqlite3-database=${safePath('PowerDNS database', s.database)}`,
    // the manager holds the truth and the agent re-applies it: speed over per-change durability
    'gsqlite3-pragma-synchronous=0',
    'gsqlite3-pragma-journal-mode=WAL',
    `local-address=${host}`,
    `local-port=${safeInt('DNS port', s.listen.port, 1, 65_535)}`,
    // NOTIFY leaves from this address: secondaries trust it as their primary
    ...(anyAddress ? [] : [`query-local-address=${host}`]),
    'primary=yes',
    // notify only the configured secondaries (an NS name that does not resolve would stall notifications)
    'only-notify=',
    `also-notify=${secondaries.map((x) => withPort(x.address, x.port)).join(',')}`,
    `allow-axfr-ips=${['127.0.0.1', '::1', ...secondaries.map((x) => x.address)].join(',')}`,
    // secondaries following a renumbering transfer many zones at once (several secondaries, or one
    // with many retrieval threads): beyond the default 20 TCP connections, transfers are refused and retried
    'max-tcp-connections=64',
    // changed zones are notified within this many seconds
    'xfr-cycle-interval=2',
    'default-api-rectify=no',
    'api=yes',
    `api-key=${safeToken('PowerDNS API key', s.apiKey, /^[A-Za-z0-9_-]{20,100}$/)}`,
    'webserver=yes',
    'webserver-address=127.0.0.1',
    `webserver-port=${safeInt('PowerDNS API port', s.apiPort, 1, 65_535)}`,
    'webserver-allow-from=127.0.0.1,::1',
    'webserver-loglevel=none',
    `socket-dir=${safePath('PowerDNS socket directory', s.socketDir)}`,
    ...(s.user ? [`setuid=${safeUserName('PowerDNS user', s.user)}`, `setgid=${safeUserName('PowerDNS group', s.user)}`] : []),
    'loglevel=4',
    '',
  ];
  return { path: 'pdns.conf', content: lines.join('\n'), mode: 0o600 };
}

/** One zone as a BIND zone file (names absolute, with the final dot). */
export function renderZoneFile(zone: string, rrsets: Rrset[]): RenderedFile {
  const lines = [`; ${zone} — rendered by Abri (render-only node: not published)`, `$ORIGIN ${zone}.`];
  checkZoneName('zone name', zone);
  for (const r of rrsets) {
    checkOwnerName(`owner name in ${zone}`, r.name, zone);
    for (const c of r.records) {
      checkContent(`${r.type} record of ${r.name}`, r.type, c);
      lines.push(`${r.name}.\t${r.ttl}\tIN\t${r.type}\t${c}`);
    }
  }
  return { path: `zones/${zone}.zone`, content: `${lines.join('\n')}\n`, mode: 0o644 };
}
