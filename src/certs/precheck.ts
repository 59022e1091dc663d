// Before a name is sent to the CA, Abri checks it can pass: failed validations count against the
// CA's rate limits, and a customer is better told "www.example.org points to 203.0.113.5, not to the
// platform" than shown a CA error. HTTP-01 when the name resolves to the edge and a probe token comes
// back through it; DNS-01 (the only way for a wildcard) when the platform's name servers answer for
// the name's zone, or for a CNAME the customer set on _acme-challenge.<name> into one of its zones.
import http from 'node:http';
import { isIPv4 } from 'node:net';
import type { Db } from '../platform/db/database.js';
import type { Config } from '../platform/config.js';
import { randomSecret } from '../platform/secrets.js';
import { resolverFor } from '../dns/check.js';
import { edgeAddresses } from '../dns/store-zones.js';
import { zonesOfNames } from '../dns/site-zones.js';

export type NamePlan =
  | { name: string; method: 'http-01' }
  | { name: string; method: 'dns-01'; zoneId: string; record: string }
  | { name: string; method: null; reason: string };

const ACME_PREFIX = '_acme-challenge.';

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

export class NameChecker {
  private edges: string[] | null = null;

  constructor(private readonly db: Db, private readonly config: Config) {}

  private async edgeSet() {
    return (this.edges ??= await edgeAddresses(this.db));
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
    const [v4, v6] = await Promise.all([resolver.resolve4(name).catch(() => [] as string[]), resolver.resolve6(name).catch(() => [] as string[])]);
    const found = [...v4, ...v6];
    if (!found.length) return `${name} does not resolve (no A or AAAA record)`;
    const edges = await this.edgeSet();
    const elsewhere = found.filter((a) => !edges.includes(a));
    if (elsewhere.length) return `${name} points to ${elsewhere.join(', ')}, not to the platform (${edges.join(', ') || 'no edge address'})`;
    const token = randomSecret(24);
    const value = randomSecret(32);
    await this.db.insertInto('acmeChallenges').values({ kind: 'probe', token, name, value, expiresAt: new Date(Date.now() + 120_000) }).execute();
    try {
      const address = found.find((a) => isIPv4(a)) ?? found[0]!;
      const r = await fetchProbe(address, this.config.acme.httpPort, name, token);
      if (r.status !== 200 || r.body.trim() !== value) return `a probe sent to http://${name}/.well-known/acme-challenge/ did not come back through the platform (HTTP ${r.status})`;
      return null;
    } catch (e) {
      return `http://${name}/ cannot be reached on port ${this.config.acme.httpPort}: ${(e as Error).message}`;
    } finally {
      await this.db.deleteFrom('acmeChallenges').where('token', '=', token).execute();
    }
  }

  /**
   * Where the DNS-01 record goes: _acme-challenge.<name> in a zone the platform publishes (and the
   * world asks the platform for it), or the target of a CNAME the customer set there.
   */
  private async dnsRoute(name: string): Promise<{ zoneId: string; record: string } | { reason: string }> {
    const resolver = resolverFor(this.config.dns.resolver);
    let record = `${ACME_PREFIX}${name}`;
    const cname = await resolver.resolveCname(record).catch(() => [] as string[]);
    if (cname.length) record = cname[0]!.toLowerCase().replace(/\.$/, '');
    const zone = (await zonesOfNames(this.db, [record])).get(record);
    if (!zone) return { reason: `its DNS is not published by the platform (no zone here holds ${record})` };
    const row = await this.db.selectFrom('zones').select(['dns']).where('id', '=', zone.id).executeTakeFirstOrThrow();
    if (row.dns !== 'managed') return { reason: `the zone ${zone.name} is marked external: its DNS is published elsewhere` };
    const soa = await resolver.resolveSoa(zone.name).catch(() => null);
    const ours = this.config.dns.nameservers[0];
    if (!soa || soa.nsname.toLowerCase().replace(/\.$/, '') !== ours) {
      return { reason: `the DNS of ${zone.name} is not answered by the platform's name servers yet (is the domain delegated to ${this.config.dns.nameservers.join(', ')}?)` };
    }
    return { zoneId: zone.id, record };
  }
}
