// The DNS settings (ABRI_DNS_*, ABRI_RESERVED_LABELS, ABRI_EDGE_HOSTNAME), read and checked.
import { AppError } from './errors.js';
import { normaliseDomain } from './names.js';
import { intSetting, ip, list, type RawSettings } from './config-values.js';

export interface DnsAddress {
  address: string;
  port: number;
}

export interface DnsSettings {
  /** ASCII host names, no trailing dot */
  nameservers: string[];
  /** addresses given for name servers (name → IPs), published as glue in the platform's zones */
  nameserverAddresses: Record<string, string[]>;
  /** SOA RNAME in host form (hostmaster.example.org) */
  hostmaster: string;
  secondaries: DnsAddress[];
  ttl: number;
  edgeTtl: number;
  mx: Array<{ priority: number; host: string }>;
  spf: string | null;
  /** servers the manager asks when it checks names ([] = system resolver) */
  resolver: DnsAddress[];
  /** where the manager asks the primary ([] = the DNS servers' first addresses, port 53) */
  primary: DnsAddress[];
  edgeHostname: string | null;
}

/** "IP" or "IP:port" or "[IPv6]:port" → address and port (default 53). */
export function parseDnsAddress(key: string, value: string): DnsAddress {
  const v = value.trim();
  if (ip(v)) return { address: v, port: 53 };
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(v);
  const address = m ? (m[1] ?? m[2]) : '';
  if (!m || !ip(address) || Number(m[3]) < 1 || Number(m[3]) > 65535) {
    throw new AppError('config.invalid', `${key}: "${value}" must be an IP address, optionally with :port ([IPv6]:port)`);
  }
  return { address, port: Number(m[3]) };
}

export function hostName(key: string, value: string): string {
  const r = normaliseDomain(value);
  if (!r.ok) throw new AppError('config.invalid', `${key}: "${value}" ${r.reason}`);
  return r.value;
}

/** ABRI_RESERVED_LABELS, plus the labels the platform's own names take under its domain. */
export function reservedLabels(
  raw: RawSettings,
  platformDomain: string | null,
  dns: DnsSettings,
  publicUrl: string,
  names: Array<string | null> = [],
): string[] {
  const patterns = list(raw.ABRI_RESERVED_LABELS!.toLowerCase());
  const bad = patterns.find((p) => !/^[a-z0-9*_-]{1,63}$/.test(p));
  if (bad !== undefined) throw new AppError('config.invalid', `ABRI_RESERVED_LABELS: "${bad}" must be a label, optionally with * (like ns* or mail)`);
  if (!platformDomain) return patterns;
  const manager = URL.canParse(publicUrl) ? new URL(publicUrl).hostname : null;
  const own = [...dns.nameservers, dns.edgeHostname, manager, ...names].flatMap((n) =>
    n && n.endsWith(`.${platformDomain}`)
      ? [
          n
            .slice(0, -(platformDomain.length + 1))
            .split('.')
            .at(-1)!,
        ]
      : [],
  );
  return [...new Set([...patterns, ...own])];
}

export function dnsSettings(raw: RawSettings, platformDomain: string | null): DnsSettings {
  const nameserverAddresses: Record<string, string[]> = {};
  const nameservers = list(raw.ABRI_DNS_NAMESERVERS!).map((entry) => {
    const [n, ips] = entry.split('=');
    const name = hostName('ABRI_DNS_NAMESERVERS', n!.trim());
    if (ips !== undefined) {
      const addresses = ips.split('+').map((a) => a.trim());
      const bad = addresses.find((a) => !ip(a));
      if (bad !== undefined) throw new AppError('config.invalid', `ABRI_DNS_NAMESERVERS: "${bad}" (for ${name}) is not an IP address`);
      nameserverAddresses[name] = addresses;
    }
    return name;
  });
  if (!nameservers.length) nameservers.push(...(platformDomain ? [`ns1.${platformDomain}`, `ns2.${platformDomain}`] : ['ns1.abri.invalid']));
  let hostmaster = raw.ABRI_DNS_HOSTMASTER!.trim();
  if (!hostmaster) hostmaster = `hostmaster@${nameservers[0].split('.').slice(1).join('.') || nameservers[0]}`;
  const m = /^([a-z0-9][a-z0-9_+-]{0,62})@(.+)$/i.exec(hostmaster);
  if (!m) throw new AppError('config.invalid', `ABRI_DNS_HOSTMASTER must be an email address whose local part has no dots (got "${hostmaster}")`);
  const mx = list(raw.ABRI_DNS_MX!).map((entry) => {
    const e = /^(\d{1,5})\s+(\S+)$/.exec(entry);
    if (!e || Number(e[1]) > 65535) throw new AppError('config.invalid', `ABRI_DNS_MX: "${entry}" must be "PRIORITY HOST"`);
    return { priority: Number(e[1]), host: hostName('ABRI_DNS_MX', e[2]) };
  });
  const spf = raw.ABRI_DNS_SPF!.trim();
  if (spf && (!/^v=spf1( |$)/.test(spf) || spf.length > 255 || !/^[\x20-\x7e]+$/.test(spf) || spf.includes('"'))) {
    throw new AppError('config.invalid', `ABRI_DNS_SPF must be one printable line starting with "v=spf1", at most 255 characters, without quotes`);
  }
  return {
    nameservers,
    nameserverAddresses,
    hostmaster: `${m[1].toLowerCase()}.${hostName('ABRI_DNS_HOSTMASTER', m[2])}`,
    secondaries: list(raw.ABRI_DNS_SECONDARIES!).map((a) => parseDnsAddress('ABRI_DNS_SECONDARIES', a)),
    ttl: intSetting(raw, 'ABRI_DNS_TTL', 60, 604_800),
    edgeTtl: intSetting(raw, 'ABRI_DNS_EDGE_TTL', 30, 604_800),
    mx,
    spf: spf || null,
    resolver: list(raw.ABRI_DNS_RESOLVER!).map((a) => parseDnsAddress('ABRI_DNS_RESOLVER', a)),
    primary: list(raw.ABRI_DNS_PRIMARY!).map((a) => parseDnsAddress('ABRI_DNS_PRIMARY', a)),
    edgeHostname: raw.ABRI_EDGE_HOSTNAME!.trim() ? hostName('ABRI_EDGE_HOSTNAME', raw.ABRI_EDGE_HOSTNAME!) : null,
  };
}
