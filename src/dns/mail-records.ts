// Pure: the mail records Abri keeps in a zone for the mail domains that fall in it — MX to the mail
// server, SPF (v=spf1 mx -all), DMARC (p=none, with rua=mailto: the platform's report address when
// there is one), autoconfig/autodiscover names and the SRV records of RFC 6186/8314 (and 5804's
// ManageSieve) with the platform's mail ports, the DKIM public keys (<selector>._domainkey.<domain>: the
// signing key and the retired ones still published) — the address records of mail servers named in the
// zone, and, in the zone of the report address's domain, the record by which it accepts each mail
// domain's reports (<domain>._report._dmarc.<report domain>, RFC 7489 7.1).
import { isIPv4 } from 'node:net';
import { ipv6Canonical, quoteTxt } from './records.js';
import { inZone } from './names.js';

export interface MailZoneInput {
  /** the ports clients connect to (config.mail.ports) */
  ports: { submission: number; smtps: number; imaps: number; pop3s: number; sieve: number };
  /** where DMARC aggregate reports go (config.mail.dmarcRua), null or absent = none */
  dmarcRua?: string | null;
  /** when the report address's domain falls in this zone: every mail domain, whose reports it accepts */
  reportsFor?: string[];
  /** mail domains with the host name of their mail server and their DKIM keys (selector, base64 SPKI public key) */
  domains: Array<{ name: string; host: string; dkim?: DkimPublicKey[] }>;
  /** every mail server's host name and public addresses (those in the zone get A/AAAA) */
  hosts: Array<{ host: string; addresses: string[] }>;
}

/** A managed rrset of the mail (the SPF one is merged with the customer's other TXT records). */
export interface MailRrset { name: string; type: string; ttl: number; records: string[]; purpose: 'mail' | 'spf' }

export interface DkimPublicKey { selector: string; publicKey: string }

/** The TXT content of a DKIM key (RFC 6376 3.6.1), unquoted. */
export const dkimTxt = (publicKey: string) => `v=DKIM1; k=rsa; p=${publicKey}`;

export const SPF = quoteTxt('v=spf1 mx -all');
export const dmarcTxt = (rua: string | null | undefined) => quoteTxt(rua ? `v=DMARC1; p=none; rua=mailto:${rua}` : 'v=DMARC1; p=none');
/** The TXT by which a report domain accepts another domain's DMARC reports (RFC 7489 7.1). */
export const DMARC_REPORTS_OK = quoteTxt('v=DMARC1');

export const ruaDomain = (rua: string | null | undefined) => (rua ? rua.slice(rua.lastIndexOf('@') + 1) : null);

/**
 * The name of the record by which the report address's domain accepts the reports of `domain`, or null
 * when none is needed: no report address, or the same domain or one inside the other (one organisation).
 */
export function reportAuthName(domain: string, rua: string | null | undefined): string | null {
  const to = ruaDomain(rua);
  if (!to || to === domain || to.endsWith(`.${domain}`) || domain.endsWith(`.${to}`)) return null;
  return `${domain}._report._dmarc.${to}`;
}

/**
 * A mail server's host name: its name when it is one (mail1.example.net), else under the platform's
 * domain; null when neither (no record can point at it).
 */
export function mailHost(serverName: string, platformDomain: string | null): string | null {
  return serverName.includes('.') ? serverName : platformDomain ? `${serverName}.${platformDomain}` : null;
}

/** The mail rrsets of the zone; names in `taken` (the edge's) keep their records. */
export function mailRrsets(zone: string, mail: MailZoneInput, ttl: number, taken: Set<string>): MailRrset[] {
  const out: MailRrset[] = [];
  const add = (name: string, type: string, records: string[], purpose: 'mail' | 'spf' = 'mail') => {
    if (records.length && !(type !== 'MX' && type !== 'TXT' && taken.has(name))) out.push({ name, type, ttl, records, purpose });
  };
  for (const { name, host, dkim } of mail.domains) {
    if (!inZone(name, zone)) continue;
    const target = `${host}.`;
    add(name, 'MX', [`10 ${target}`]);
    add(name, 'TXT', [SPF], 'spf');
    add(`_dmarc.${name}`, 'TXT', [dmarcTxt(mail.dmarcRua)]);
    add(`autoconfig.${name}`, 'CNAME', [target]);
    add(`autodiscover.${name}`, 'CNAME', [target]);
    const srv: Array<[string, number]> = [['_imaps', mail.ports.imaps], ['_pop3s', mail.ports.pop3s], ['_submission', mail.ports.submission], ['_submissions', mail.ports.smtps], ['_sieve', mail.ports.sieve]];
    for (const [service, port] of srv) add(`${service}._tcp.${name}`, 'SRV', [`0 1 ${port} ${target}`]);
    for (const k of dkim ?? []) add(`${k.selector}._domainkey.${name}`, 'TXT', [quoteTxt(dkimTxt(k.publicKey))]);
  }
  for (const domain of mail.reportsFor ?? []) {
    const name = reportAuthName(domain, mail.dmarcRua);
    if (name && inZone(name, zone)) add(name, 'TXT', [DMARC_REPORTS_OK]);
  }
  for (const { host, addresses } of mail.hosts) {
    if (!inZone(host, zone) || out.some((m) => m.name === host)) continue;
    add(host, 'A', [...new Set(addresses.filter((a) => isIPv4(a)))].sort());
    add(host, 'AAAA', [...new Set(addresses.filter((a) => !isIPv4(a)).map(ipv6Canonical))].sort());
  }
  return out;
}

/**
 * The records a mail domain needs, as people type them at a DNS host (TXT unquoted, names absolute);
 * with `reports.external`, the report domain's authorisation record too (its DNS is not Abri's).
 */
export function mailRecordsToSet(domain: string, host: string | null, ports: MailZoneInput['ports'], dkim: DkimPublicKey[] = [],
  reports: { rua: string | null; external: boolean } = { rua: null, external: false }): Array<{ name: string; type: string; content: string }> {
  if (!host) return [];
  const auth = reports.external ? reportAuthName(domain, reports.rua) : null;
  return [
    ...mailRrsets(domain, { ports, domains: [{ name: domain, host, dkim }], hosts: [], dmarcRua: reports.rua }, 0, new Set()),
    ...(auth ? [{ name: auth, type: 'TXT', records: [DMARC_REPORTS_OK] }] : []),
  ].flatMap((r) => r.records.map((content) => ({ name: r.name, type: r.type, content: r.type === 'TXT' ? unquote(content) : content })));
}

const unquote = (txt: string) => txt.replace(/^"|"$/g, '').replace(/" "/g, '');
