// Pure: the whole content of a zone as rrsets, from its settings, the platform's name servers and
// edge addresses, the sites it holds, the customer's own records and pending ACME DNS-01 values.
// Abri's own rrsets (SOA, NS, the edge's A/AAAA) are "managed": they win over any record of the
// customer at the same name and type, and the API refuses records that would collide. ACME TXT
// values are managed too, but added to the customer's TXT records of their name, never replacing them.
import { isIPv4 } from 'node:net';
import { ipv6Canonical, quoteTxt } from './records.js';
import { inZone } from './names.js';
import { mailRrsets, type MailZoneInput } from './mail-records.js';

export interface Rrset {
  /** ASCII owner name, no final dot */
  name: string;
  type: string;
  ttl: number;
  /** canonical contents, sorted */
  records: string[];
}

export interface ManagedRrset extends Rrset {
  /** why Abri keeps it: soa, ns, edge (A/AAAA of the edge), acme (DNS-01 validation), mail, spf (the mail's SPF TXT) */
  purpose: 'soa' | 'ns' | 'edge' | 'acme' | 'mail' | 'spf';
}

export interface ZoneContentInput {
  zone: string;
  /** the platform's own zone: its wildcard points at the edge */
  platform: boolean;
  /** A/AAAA of the edge at the apex and www */
  edgeRecords: boolean;
  nameservers: string[];
  /** addresses of name servers (glue), published when a name server falls in this zone */
  nameserverAddresses?: Record<string, string[]>;
  /** SOA RNAME in host form */
  hostmaster: string;
  ttl: number;
  edgeTtl: number;
  edgeAddresses: string[];
  /** names of sites (domains, aliases) that fall in this zone */
  siteNames: string[];
  records: Array<{ name: string; type: string; content: string; ttl: number }>;
  /** pending DNS-01 validations: owner name and the TXT value the CA expects */
  acme: Array<{ name: string; value: string }>;
  /** the mail domains in this zone and the mail servers (mail-records.ts) */
  mail?: MailZoneInput;
}

/** ACME values and the mail's SPF are added to the customer's TXT records of their name, never replacing them. */
const mergedTxt = (m: Rrset) => (m as Partial<ManagedRrset>).purpose === 'acme' || (m as Partial<ManagedRrset>).purpose === 'spf';
const isSpf = (content: string) => /^"v=spf1( |")/i.test(content);

/** SOA content with serial 0: PowerDNS sets the serial (SOA-EDIT-API), the comparison ignores it. */
export const soaContent = (nameservers: string[], hostmaster: string, ttl: number) =>
  `${nameservers[0]}. ${hostmaster}. 0 10800 3600 604800 ${Math.min(ttl, 3600)}`;

const byNameType = (a: Rrset, b: Rrset) => (a.name === b.name ? (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) : a.name < b.name ? -1 : 1);

/** The rrsets Abri keeps in the zone, whatever the customer does. */
export function managedRrsets(z: ZoneContentInput): ManagedRrset[] {
  const out: ManagedRrset[] = [
    { name: z.zone, type: 'SOA', ttl: z.ttl, records: [soaContent(z.nameservers, z.hostmaster, z.ttl)], purpose: 'soa' },
    { name: z.zone, type: 'NS', ttl: z.ttl, records: z.nameservers.map((n) => `${n}.`).sort(), purpose: 'ns' },
  ];
  const edgeNames = new Set<string>(z.siteNames.filter((n) => inZone(n, z.zone)));
  if (z.edgeRecords || z.platform) edgeNames.add(z.zone);
  if (z.edgeRecords) edgeNames.add(`www.${z.zone}`);
  if (z.platform) edgeNames.add(`*.${z.zone}`);
  const v4 = [...new Set(z.edgeAddresses.filter((a) => isIPv4(a)))].sort();
  // IPv6 as PowerDNS prints it back: otherwise every reconcile would see a difference
  const v6 = [...new Set(z.edgeAddresses.filter((a) => !isIPv4(a)).map(ipv6Canonical))].sort();
  for (const name of edgeNames) {
    if (v4.length) out.push({ name, type: 'A', ttl: z.edgeTtl, records: v4, purpose: 'edge' });
    if (v6.length) out.push({ name, type: 'AAAA', ttl: z.edgeTtl, records: v6, purpose: 'edge' });
  }
  // a name server inside the zone it serves needs its own address records (the wildcard must not answer them)
  for (const ns of z.nameservers) {
    const addresses = z.nameserverAddresses?.[ns] ?? [];
    if (!inZone(ns, z.zone) || !addresses.length || edgeNames.has(ns)) continue;
    const a = addresses.filter((x) => isIPv4(x)).sort();
    const aaaa = addresses.filter((x) => !isIPv4(x)).sort();
    if (a.length) out.push({ name: ns, type: 'A', ttl: z.ttl, records: a, purpose: 'ns' });
    if (aaaa.length) out.push({ name: ns, type: 'AAAA', ttl: z.ttl, records: aaaa, purpose: 'ns' });
  }
  if (z.mail) out.push(...mailRrsets(z.zone, z.mail, z.ttl, new Set([...edgeNames, ...out.map((m) => m.name)])));
  const acme = new Map<string, string[]>();
  for (const a of z.acme) if (inZone(a.name, z.zone)) (acme.get(a.name) ?? acme.set(a.name, []).get(a.name)!).push(quoteTxt(a.value));
  for (const [name, values] of acme) out.push({ name, type: 'TXT', ttl: 60, records: [...new Set(values)].sort(), purpose: 'acme' });
  return out.sort(byNameType);
}

/**
 * The managed rrset a customer record at (name, type) would collide with: the same name and type;
 * a CNAME at a managed name; an NS delegating a managed name, or a name above managed ones; a second
 * SPF next to the mail's.
 */
export function collidesWithManaged(managed: Rrset[], name: string, type: string, content = ''): Rrset | null {
  return managed.find((m) =>
    // ACME TXT values and the mail's SPF are added next to the customer's TXT records: no collision there (but a second SPF)
    !(type === 'TXT' && mergedTxt(m) && !((m as Partial<ManagedRrset>).purpose === 'spf' && m.name === name && isSpf(content))) &&
    ((m.name === name && (m.type === type || type === 'CNAME' || type === 'NS')) || (type === 'NS' && inZone(m.name, name) && m.name !== name))) ?? null;
}

/** Every rrset of the zone: managed ones, then the customer's (grouped, TTL of the rrset = the lowest). */
export function zoneRrsets(z: ZoneContentInput): Rrset[] {
  // ACME DNS-01 values are added to the customer's TXT records of their name, never replacing them
  const all = managedRrsets(z);
  const acme = all.filter(mergedTxt);
  const managed = all.filter((m) => !mergedTxt(m));
  const spfAt = new Set(all.filter((m) => m.purpose === 'spf').map((m) => m.name));
  const taken = new Set(managed.map((m) => `${m.name}/${m.type}`));
  const managedNames = new Set(all.map((m) => m.name));
  const managedCnames = new Set(managed.filter((m) => m.type === 'CNAME').map((m) => m.name));
  const user = new Map<string, Rrset>();
  for (const r of z.records) {
    if (!inZone(r.name, z.zone) || taken.has(`${r.name}/${r.type}`)) continue;
    if ((r.type === 'CNAME' && managedNames.has(r.name)) || managedCnames.has(r.name)) continue;
    if (r.type === 'TXT' && spfAt.has(r.name) && isSpf(r.content)) continue; // one SPF only: the mail's
    const key = `${r.name}/${r.type}`;
    const set = user.get(key) ?? user.set(key, { name: r.name, type: r.type, ttl: r.ttl, records: [] }).get(key)!;
    set.ttl = Math.min(set.ttl, r.ttl);
    if (!set.records.includes(r.content)) set.records.push(r.content);
  }
  for (const a of acme) {
    const key = `${a.name}/TXT`;
    const own = user.get(key);
    if (!own) user.set(key, { name: a.name, type: 'TXT', ttl: a.ttl, records: [...a.records] });
    else {
      own.ttl = Math.min(own.ttl, a.ttl);
      for (const v of a.records) if (!own.records.includes(v)) own.records.push(v);
    }
  }
  for (const set of user.values()) set.records.sort();
  return [...managed.map(({ purpose: _purpose, ...r }) => r), ...user.values()].sort(byNameType);
}
