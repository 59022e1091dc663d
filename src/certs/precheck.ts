// Before a name is sent to the CA, Abri checks it can pass: failed validations count against the
// CA's rate limits, and a customer is better told "www.example.org points to 203.0.113.5, not to the
// platform" than shown a CA error. HTTP-01 when the name resolves to the edge and a probe token comes
// back through it; DNS-01 (the only way for a wildcard) when the platform's name servers answer for
// the name's zone, or for a CNAME the customer set on _acme-challenge.<name> into one of its zones.
// A DNS-01 record only ever goes into a zone of the certificate's owner (the site's customer, or the
// platform's own zone for the platform's wildcard): a CNAME into anyone else's zone is not followed.
import http from 'node:http';
import { isIPv4 } from 'node:net';
import type { AppContext } from '../platform/context.js';
import { randomSecret } from '../platform/secrets.js';
import { resolverFor } from '../dns/check.js';
import { edgeAddresses } from '../dns/store-zones.js';
import { zonesOfNames } from '../dns/site-zones.js';
import { deleteProbe, insertProbe } from './store-acme.js';
import { zoneForChallenge } from './store-sites.js';

export type NamePlan =
  | { name: string; method: 'http-01' }
  | { name: string; method: 'dns-01'; zoneId: string; record: string }
  | { name: string; method: null; reason: string };

const ACME_PREFIX = '_acme-challenge.';
/** DNS answers that mean "no such record" here (anything else — a timeout, no server — is reported as such). */
const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND', 'EREFUSED', 'ESERVFAIL']);

/** The answers to a DNS question: [] when there is no such record, the error's code when the resolver failed. */
async function answers<T>(question: Promise<T[]>): Promise<T[] | { failed: string }> {
  try {
    return await question;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return NO_RECORD.has(code) ? [] : { failed: code };
  }
}

/** GET http://<address>:<port>/.well-known/acme-challenge/<token> with Host: name. */
function fetchProbe(address: string, port: number, name: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: address, port, path: `/.well-known/acme-challenge/${token}`, headers: { host: name }, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d.length < 10_000 ? d : ''));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
  });
}

/** Whose certificate it is: a customer's (its site's), or the platform's (customerId null). */
export interface CertificateOwner {
  customerId: string | null;
}

export class NameChecker {
  private edges: string[] | null = null;

  constructor(private readonly app: AppContext, private readonly owner: CertificateOwner) {}

  private get config() {
    return this.app.config;
  }

  private async edgeSet() {
    return (this.edges ??= await edgeAddresses(this.app.db));
  }

  /** How (and whether) each name can be validated. */
  async plan(names: string[]): Promise<NamePlan[]> {
    return Promise.all(names.map((n) => this.planName(n)));
  }

  private async planName(name: string): Promise<NamePlan> {
    const wildcard = name.startsWith('*.');
    const base = wildcard ? name.slice(2) : name;
    let httpReason: string | null = null;
    if (!wildcard) {
      httpReason = await this.httpReason(name);
      if (!httpReason) return { name, method: 'http-01' };
    }
    const dns = await this.dnsRoute(base);
    if ('zoneId' in dns) return { name, method: 'dns-01', zoneId: dns.zoneId, record: dns.record };
    return { name, method: null, reason: wildcard ? dns.reason : `${httpReason}; ${dns.reason}` };
  }

  /** Null when HTTP-01 will pass: the name resolves to the edge only, and a probe comes back through it. */
  private async httpReason(name: string): Promise<string | null> {
    const resolver = resolverFor(this.config.dns.resolver);
    const [v4, v6] = await Promise.all([answers(resolver.resolve4(name)), answers(resolver.resolve6(name))]);
    const failed = [v4, v6].find((a) => 'failed' in a) as { failed: string } | undefined;
    if (failed) return `${name} cannot be looked up: the DNS resolver gave no answer (${failed.failed})`;
    const found = [...(v4 as string[]), ...(v6 as string[])];
    if (!found.length) return `${name} does not resolve (no A or AAAA record)`;
    const edges = await this.edgeSet();
    const elsewhere = found.filter((a) => !edges.includes(a));
    if (elsewhere.length) return `${name} points to ${elsewhere.join(', ')}, not to the platform (${edges.join(', ') || 'no edge address'})`;
    const token = randomSecret(24);
    const value = randomSecret(32);
    await insertProbe(this.app.db, { token, name, value, expiresAt: new Date(this.app.clock.now().getTime() + 120_000) });
    try {
      const address = found.find((a) => isIPv4(a)) ?? found[0]!;
      const r = await fetchProbe(address, this.config.acme.httpPort, name, token);
      if (r.status !== 200 || r.body.trim() !== value) return `a probe sent to http://${name}/.well-known/acme-challenge/ did not come back through the platform (HTTP ${r.status})`;
      return null;
    } catch (e) {
      return `http://${name}/ cannot be reached on port ${this.config.acme.httpPort}: ${(e as Error).message}`;
    } finally {
      await deleteProbe(this.app.db, token);
    }
  }

  /**
   * Where the DNS-01 record goes: _acme-challenge.<name> in a zone the platform publishes (and the
   * world asks the platform for it), or the target of a CNAME the customer set there — provided
   * that zone is the certificate owner's.
   */
  private async dnsRoute(name: string): Promise<{ zoneId: string; record: string } | { reason: string }> {
    const resolver = resolverFor(this.config.dns.resolver);
    const own = `${ACME_PREFIX}${name}`;
    let record = own;
    const cname = await answers(resolver.resolveCname(own));
    if ('failed' in cname) return { reason: `${own} cannot be looked up: the DNS resolver gave no answer (${cname.failed})` };
    if (cname.length) record = cname[0]!.toLowerCase().replace(/\.$/, '');
    const zone = (await zonesOfNames(this.app.db, [record])).get(record);
    if (!zone) return { reason: `its DNS is not published by the platform (no zone here holds ${record})` };
    const row = await zoneForChallenge(this.app.db, zone.id);
    const owned = this.owner.customerId === null ? row.platform && row.customerId === null : !row.platform && row.customerId === this.owner.customerId;
    if (!owned) {
      return {
        reason: record === own
          ? `${own} is in the zone ${zone.name}, which does not belong to this certificate's owner`
          : `${own} is a CNAME to ${record}, in the zone ${zone.name} of someone else: not followed (point it into one of your own zones)`,
      };
    }
    if (row.dns !== 'managed') return { reason: `the zone ${zone.name} is marked external: its DNS is published elsewhere` };
    // no SOA, or no answer: either way the platform does not (yet) answer for the zone, which the reason says
    const soa = await resolver.resolveSoa(zone.name).then((a) => a, (e: NodeJS.ErrnoException) => ({ nsname: `(${e.code ?? e.message})` }));
    const ours = this.config.dns.nameservers[0];
    if (soa.nsname.toLowerCase().replace(/\.$/, '') !== ours) {
      return { reason: `the DNS of ${zone.name} is not answered by the platform's name servers yet (is the domain delegated to ${this.config.dns.nameservers.join(', ')}?)` };
    }
    return { zoneId: zone.id, record };
  }
}
