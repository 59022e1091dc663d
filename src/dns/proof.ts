// Asks the DNS (ABRI_DNS_RESOLVER, else the system's resolver) what proves a domain: the TXT record
// of a claim at _abri-challenge.<domain>, and the domain's NS. Network reads only.
import type { DnsSettings } from '../platform/config.js';
import { displayDomain } from '../platform/names.js';
import { resolverFor, tryLookup } from './check.js';
import { challengeName, challengeValue } from './model-claims.js';

export interface Proof {
  /** the TXT record holds the claim's token */
  txt: boolean;
  /** the domain's NS are the platform's name servers (all of them among ours, at least one) */
  ns: boolean;
  found: { txt: string[]; ns: string[] };
  /** lookups the DNS did not answer (a reason each) */
  failed: string[];
}

export async function proofOf(dns: DnsSettings, domain: string, token: string): Promise<Proof> {
  const resolver = resolverFor(dns.resolver, 3000);
  const failed: string[] = [];
  const [txt, ns] = await Promise.all([
    tryLookup(resolver.resolveTxt(challengeName(domain)), `the TXT record of ${displayDomain(challengeName(domain))}`, failed),
    tryLookup(resolver.resolveNs(domain), `the NS records of ${displayDomain(domain)}`, failed),
  ]);
  const texts = txt.map((chunks) => chunks.join(''));
  const servers = ns.map((n) => n.toLowerCase().replace(/\.$/, ''));
  return {
    txt: texts.includes(challengeValue(token)),
    ns: servers.length > 0 && servers.every((n) => dns.nameservers.includes(n)),
    found: { txt: texts.slice(0, 10).map((t) => t.slice(0, 200)), ns: servers.slice(0, 10) },
    failed,
  };
}
