// A manager set up for the DNS API tests: name servers, MX/SPF template, an edge server with an
// IPv4 and an IPv6 address (the A/AAAA the platform keeps), one customer with a hosting, its users.
import assert from 'node:assert/strict';
import { seedHosting, startTestManager, type Answer, type TestManager } from './manager.js';
import type { TestDatabase } from './databases.js';

export const dnsSettings = {
  ABRI_DNS_NAMESERVERS: 'ns1.abri-dns.net,ns2.abri-dns.net',
  ABRI_DNS_HOSTMASTER: 'dns@abri-dns.net',
  ABRI_DNS_MX: '10 mx1.abri-mail.net,20 mx2.abri-mail.net',
  ABRI_DNS_SPF: 'v=spf1 mx -all',
  ABRI_DNS_TTL: '3600',
  ABRI_DNS_EDGE_TTL: '300',
  ABRI_PLATFORM_DOMAIN: 'abri-hosting.net',
};
export const edge = { v4: '192.0.2.10', v6: '2001:db8::10' };

export interface DnsWorld {
  m: TestManager;
  customer: { id: string; number: number };
  hosting: { id: string };
  /** a manager and a readonly user of the customer */
  manager: { token: string };
  readonly: { token: string };
  addSite(domain: string, aliases?: string[]): Promise<{ id: string; domain: string }>;
}

/** Asserts a status, showing the body when it differs. */
export function expectStatus(r: Answer, status: number, what = '') {
  assert.equal(r.status, status, `${what} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Asserts an RFC 9457 problem with this status, code and (optionally) a field path. */
export function expectProblem(r: Answer, status: number, code: string, path?: string, what = '') {
  assert.equal(r.status, status, `${what} ${JSON.stringify(r.body)}`);
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
  assert.equal(r.body.code, code, `${what} ${JSON.stringify(r.body)}`);
  assert.equal(r.body.status, status, what);
  assert.ok(typeof r.body.detail === 'string' && r.body.detail.length > 10, `${what}: a problem says what went wrong`);
  if (path) assert.ok(r.body.errors?.some((e: { path: string }) => e.path === path), `${what}: errors[].path should include ${path}: ${JSON.stringify(r.body)}`);
}

export async function dnsWorld(database: TestDatabase, settings: Record<string, string> = {}): Promise<DnsWorld> {
  const m = await startTestManager({ database, settings: { ...dnsSettings, ...settings } });
  expectStatus(await m.api('POST', '/api/v1/servers', { name: 'edge1', roles: ['edge'], addresses: [edge.v4, edge.v6] }), 201, 'edge server');
  const { customer, hosting } = await seedHosting(m, { customer: 'Les Amis du Vélo', offer: { maxSites: 10 } });
  const users: Record<string, { token: string }> = {};
  for (const role of ['manager', 'readonly'] as const) {
    const email = `${role}@velo.test`;
    users[role] = await m.user(email);
    expectStatus(await m.join(customer.id, email, role), 201, `delegation ${role}`);
  }
  return {
    m, customer, hosting, manager: users.manager!, readonly: users.readonly!,
    async addSite(domain, aliases = []) {
      return expectStatus(await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain, aliases }), 201, `site ${domain}`);
    },
  };
}

/** Every record of a zone (managed and the customer's), one page. */
export async function allRecords(m: TestManager, zone: string, token?: string) {
  const r = await m.api('GET', `/api/v1/zones/${zone}/records?limit=1000`, undefined, token ? { token } : {});
  return expectStatus(r, 200, `records of ${zone}`).items as Array<{ id: string | null; name: string; relativeName: string; type: string; ttl: number; content: string; managed: boolean; purpose: string | null }>;
}
