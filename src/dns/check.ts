// Live checks from the manager: what the name servers answer for a zone (primary and secondaries
// agree on its serial), and, for a zone whose DNS is elsewhere, whether the records the customer
// must set there are set.
import { Resolver } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import type { Db } from '../platform/db/database.js';
import type { DnsAddress, DnsSettings } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { displayDomain } from '../platform/names.js';
import { dnsServerAddresses, edgeAddresses, siteNamesIn } from './store-zones.js';
import type { ZoneRow } from './model.js';
import type { ZoneSettings } from './store-zone-content.js';
import { mailZoneInput } from './store-zone-content.js';
import { mailLookup, mailRecordOk } from './check-mail.js';
import { mailRecordsToSet } from './mail-records.js';

const label = (a: DnsAddress) => (a.port === 53 ? a.address : a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);

/** A resolver asking exactly these servers (none: the system's), with a short timeout. */
export function resolverFor(servers: DnsAddress[], timeoutMs = 2000): Resolver {
  const r = new Resolver({ timeout: timeoutMs, tries: 2 });
  if (servers.length) r.setServers(servers.map(label));
  return r;
}

/** DNS answers that mean "no such record": the name or the type is absent. */
const ABSENT = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME', 'NXDOMAIN']);

/** The records a lookup found; none when the DNS says there are none; other failures are raised. */
export async function answers<T>(lookup: Promise<T[]>, what: string): Promise<T[]> {
  try {
    return await lookup;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (ABSENT.has(code)) return [];
    throw new AppError('dns.lookup_failed', `the DNS did not answer for ${what} (${code || (e as Error).message}); try again later`, { params: { name: what, reason: code } });
  }
}

/** The answers of one lookup, or none with the reason the DNS gave (noted in `failed`): a check goes on. */
export async function tryLookup<T>(lookup: Promise<T[]>, what: string, failed: string[]): Promise<T[]> {
  try {
    return await answers(lookup, what);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'dns.lookup_failed') throw e;
    failed.push(e.message);
    return [];
  }
}

/** The primary name servers the manager can ask: ABRI_DNS_PRIMARY, else the DNS servers' first addresses. */
export async function primaryServers(db: Db, dns: DnsSettings): Promise<DnsAddress[]> {
  if (dns.primary.length) return dns.primary;
  return (await dnsServerAddresses(db)).map((address) => ({ address, port: 53 }));
}

/** The SOA serial a server answers for the zone, or the reason it does not. */
export async function soaSerial(server: DnsAddress, zone: string): Promise<{ serial: number | null; message: string | null }> {
  try {
    const soa = await resolverFor([server]).resolveSoa(zone);
    return { serial: soa.serial, message: null };
  } catch (e) {
    return { serial: null, message: (e as NodeJS.ErrnoException).code === 'ENOTFOUND' ? 'does not serve this zone' : (e as Error).message };
  }
}

/** What each name server (primary, secondaries) answers for a managed zone. */
export async function nameserverStates(db: Db, dns: DnsSettings, zone: string) {
  const servers = [...(await primaryServers(db, dns)).map((s) => ({ s, role: 'primary' as const })), ...dns.secondaries.map((s) => ({ s, role: 'secondary' as const }))];
  const answers = await Promise.all(servers.map(async ({ s, role }) => ({ server: label(s), role, ...(await soaSerial(s, zone)) })));
  const primarySerial = answers.find((a) => a.role === 'primary' && a.serial !== null)?.serial ?? null;
  return answers.map((a) => {
    const behind = a.serial !== null && primarySerial !== null && a.serial < primarySerial;
    return { ...a, ok: a.serial !== null && !behind, message: a.message ?? (behind ? `serial ${a.serial} is behind the primary's ${primarySerial}` : null) };
  });
}

/** The records a customer must set at their DNS host for the sites and mail domains of an external zone, and whether they are. */
export async function requiredRecords(db: Db, settings: ZoneSettings, zone: Pick<ZoneRow, 'name'>, failed: string[] = []) {
  const { dns } = settings;
  const names = await siteNamesIn(db, zone.name);
  const edges = await edgeAddresses(db);
  const resolver = resolverFor(dns.resolver);
  const out: Array<{ name: string; nameUnicode: string; type: string; content: string; found: string[]; ok: boolean }> = [];
  for (const name of names) {
    if (dns.edgeHostname && name !== zone.name) {
      const found = await tryLookup(resolver.resolveCname(name), displayDomain(name), failed);
      out.push({ name, nameUnicode: displayDomain(name), type: 'CNAME', content: `${dns.edgeHostname}.`, found: found.map((f) => `${f}.`), ok: found.some((f) => f.toLowerCase() === dns.edgeHostname) });
      continue;
    }
    for (const [type, wanted] of [['A', edges.filter((a) => isIPv4(a))], ['AAAA', edges.filter((a) => !isIPv4(a))]] as const) {
      if (!wanted.length) continue;
      const found = await tryLookup(type === 'A' ? resolver.resolve4(name) : resolver.resolve6(name), displayDomain(name), failed);
      const ok = found.length > 0 && found.every((f) => wanted.includes(f));
      for (const content of wanted) out.push({ name, nameUnicode: displayDomain(name), type, content, found, ok });
    }
  }
  const mail = await mailZoneInput(db, settings, zone.name);
  for (const r of mail.domains.flatMap((d) => mailRecordsToSet(d.name, d.host, mail.ports, d.dkim, { rua: mail.dmarcRua ?? null, external: false }))) {
    const found = await tryLookup(mailLookup(resolver, r.name, r.type), displayDomain(r.name), failed);
    out.push({ ...r, nameUnicode: displayDomain(r.name), found, ok: mailRecordOk(r, found) });
  }
  return out;
}
