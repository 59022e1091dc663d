// Pure: the health of a mail server's sending addresses, from what the DNS answered. Receivers trust
// a sender whose address has a reverse DNS (PTR) naming the host it greets with (HELO), that name
// resolving back to the address (forward-confirmed), and which no blocklist names. Each problem says
// what to fix, where: the PTR at the IP provider, the A/AAAA in the name's zone, the blocklist's
// removal form, or the resolver the manager asks (blocklists refuse public resolvers).
import { isIPv4 } from 'node:net';

/** What one lookup found: the answers ([] = no such record), or why the DNS gave none. */
export type Found = string[] | { failed: string };

export interface AddressLookups {
  address: string;
  /** the PTR names of the address */
  ptr: Found;
  /** the A (IPv4) or AAAA (IPv6) records of the HELO name */
  forward: Found;
  /** the A records of <reversed address>.<zone> in each blocklist */
  lists: Array<{ zone: string; answers: Found }>;
}

export type ListingStatus = 'clean' | 'listed' | 'refused' | 'failed';

export interface HealthProblem { code: string; params: Record<string, string>; message: string }

export interface AddressHealth {
  address: string;
  ptr: string[];
  /** the PTR is the HELO name, and that name resolves to the address */
  ptrMatches: boolean;
  forwardConfirmed: boolean;
  listings: Array<{ zone: string; status: ListingStatus; answers: string[] }>;
  problems: HealthProblem[];
}

const bare = (name: string) => name.toLowerCase().replace(/\.$/, '');
const failed = (f: Found): f is { failed: string } => !Array.isArray(f);

/** The IPv4 octets or IPv6 nibbles of an address, reversed: 192.0.2.25 → 25.2.0.192 (as in-addr.arpa and blocklists use them). */
export function reversedAddress(address: string): string {
  if (isIPv4(address)) return address.split('.').reverse().join('.');
  const groups = new URL(`http://[${address}]/`).hostname.slice(1, -1).split(':');
  const gap = groups.indexOf('');
  const full = gap < 0 ? groups : [...groups.slice(0, gap), ...Array<string>(8 - groups.filter(Boolean).length).fill('0'), ...groups.slice(gap).filter(Boolean)];
  return full.map((g) => g.padStart(4, '0')).join('').split('').reverse().join('.');
}

/** The name a blocklist answers for an address: <reversed address>.<zone>. */
export const blocklistName = (address: string, zone: string) => `${reversedAddress(address)}.${zone}`;

/**
 * What a blocklist's answer means: none = not listed; 127.255.255.x = the list refused the query
 * (Spamhaus: a public or unregistered resolver, or too many queries), not a listing; any other
 * 127.0.0.0/8 address = listed (its code says why on the list's site).
 */
export function listingStatus(answers: Found): ListingStatus {
  if (failed(answers)) return 'failed';
  if (!answers.length) return 'clean';
  if (answers.every((a) => a.startsWith('127.255.255.'))) return 'refused';
  return answers.some((a) => a.startsWith('127.') && !a.startsWith('127.255.255.')) ? 'listed' : 'refused';
}

const problem = (code: string, params: Record<string, string>, message: string): HealthProblem => ({ code, params, message });

/** The health of one sending address of a mail server greeting as `helo`. */
export function assessAddress(helo: string, l: AddressLookups): AddressHealth {
  const { address } = l;
  const problems: HealthProblem[] = [];
  const ptr = failed(l.ptr) ? [] : l.ptr.map(bare);
  const forward = failed(l.forward) ? [] : l.forward.map((a) => a.toLowerCase());
  const type = isIPv4(address) ? 'A' : 'AAAA';
  const fix = `set the PTR of ${address} to ${helo} at your IP provider`;
  if (failed(l.ptr)) problems.push(problem('mail_health.lookup_failed', { address, what: `the PTR of ${address}`, reason: l.ptr.failed }, `the DNS did not answer for the PTR of ${address} (${l.ptr.failed}): checked again at the next run`));
  else if (!ptr.length) problems.push(problem('mail_health.ptr_missing', { address, helo }, `${address} has no reverse DNS (PTR): ${fix}`));
  else if (!ptr.includes(helo)) problems.push(problem('mail_health.ptr_mismatch', { address, helo, found: ptr.join(', ') }, `the PTR of ${address} is ${ptr.join(', ')}, not the name the server greets with (${helo}): ${fix}`));
  const canonical = isIPv4(address) ? address : new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const forwardConfirmed = forward.some((a) => a === canonical || (!isIPv4(a) && new URL(`http://[${a}]/`).hostname.slice(1, -1) === canonical));
  if (failed(l.forward)) problems.push(problem('mail_health.lookup_failed', { address, what: `the ${type} records of ${helo}`, reason: l.forward.failed }, `the DNS did not answer for the ${type} records of ${helo} (${l.forward.failed}): checked again at the next run`));
  else if (!forwardConfirmed) problems.push(problem('mail_health.not_forward_confirmed', { address, helo, type }, `${helo} does not resolve to ${address}: add the ${type} record ${address} to ${helo} in its zone`));
  const listings = l.lists.map(({ zone, answers }) => ({ zone, status: listingStatus(answers), answers: failed(answers) ? [] : [...answers].sort() }));
  for (const s of listings) {
    const answer = s.answers.join(', ');
    if (s.status === 'listed') problems.push(problem('mail_health.listed', { address, zone: s.zone, answer }, `${address} is listed on ${s.zone} (${answer}): find out why on the list's site, fix the cause, then ask the list to remove it`));
    if (s.status === 'refused') problems.push(problem('mail_health.dnsbl_refused', { address, zone: s.zone, answer }, `${s.zone} refused the query (${answer}), so whether ${address} is listed is unknown: ask it through a resolver of your own (ABRI_DNS_RESOLVER), not a public one`));
    if (s.status === 'failed') {
      const reason = (l.lists.find((x) => x.zone === s.zone)!.answers as { failed: string }).failed;
      problems.push(problem('mail_health.lookup_failed', { address, what: blocklistName(address, s.zone), reason }, `the DNS did not answer for ${blocklistName(address, s.zone)} (${reason}): checked again at the next run`));
    }
  }
  return { address, ptr, ptrMatches: ptr.includes(helo), forwardConfirmed, listings, problems };
}

/** Problems of the server itself, before any address is looked up. */
export function serverProblems(server: string, helo: string | null, addresses: string[]): HealthProblem[] {
  const out: HealthProblem[] = [];
  if (!helo) out.push(problem('mail_health.no_helo_name', { server }, `the mail server ${server} has no full host name to greet with: name it like mail1.example.net, or set ABRI_PLATFORM_DOMAIN`));
  if (!addresses.length) out.push(problem('mail_health.no_address', { server }, `the mail server ${server} has no address to send from: give it its public addresses`));
  return out;
}
