// Asks the DNS (ABRI_DNS_RESOLVER, else the system's resolver) what receivers will ask about a mail
// server's sending addresses: their PTR names, the HELO name's A/AAAA records, and each configured
// blocklist's answer for them. The meaning of the answers is rules-health.ts's.
import { isIPv4 } from 'node:net';
import type { Resolver } from 'node:dns/promises';
import type { DnsAddress } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { answers, resolverFor } from '../dns/check.js';
import { assessAddress, blocklistName, type AddressHealth, type Found } from './rules-health.js';

async function found(lookup: Promise<string[]>, what: string): Promise<Found> {
  try {
    return await answers(lookup, what);
  } catch (e) {
    if (e instanceof AppError && e.code === 'dns.lookup_failed') return { failed: String(e.params.reason || e.message) };
    throw e;
  }
}

async function lookupAddress(resolver: Resolver, helo: string, address: string, zones: string[]) {
  const [ptr, forward, ...lists] = await Promise.all([
    found(resolver.reverse(address), `the PTR of ${address}`),
    found(isIPv4(address) ? resolver.resolve4(helo) : resolver.resolve6(helo), helo),
    ...zones.map((zone) => found(resolver.resolve4(blocklistName(address, zone)), blocklistName(address, zone))),
  ]);
  return { address, ptr: ptr!, forward: forward!, lists: zones.map((zone, i) => ({ zone, answers: lists[i]! })) };
}

/** The health of each address of a mail server greeting as `helo`. */
export async function checkAddresses(servers: DnsAddress[], helo: string, addresses: string[], zones: string[]): Promise<AddressHealth[]> {
  const resolver = resolverFor(servers, 3000);
  const out: AddressHealth[] = [];
  for (const address of addresses) out.push(assessAddress(helo, await lookupAddress(resolver, helo, address, zones)));
  return out;
}
