// Manager side: the desired state of an edge. Every public host name and its web server, and the
// certificates it serves, each bound to the names it may answer for (its crt-list SNI filters):
// the names of the certificate that are current names of the site it belongs to, or the platform's
// own names for the platform certificate. A certificate naming another customer's host therefore
// never answers for it, and never turns that host's redirect to HTTPS on.
import type { Db } from '../platform/db/database.js';
import { siteNamesOf } from '../platform/names.js';
import { deployableCertificates } from '../certs/store.js';
import { covers } from '../certs/coverage.js';
import { sniCoverage } from '../edge/spec-checks.js';
import type { DesiredState } from '../node/protocol.js';
import { apacheInstanceOf } from '../node/layout.js';
import { sql } from 'kysely';

type EdgeState = NonNullable<DesiredState['edge']>;

/** The names a certificate may be presented for (pure; exported for the unit tests). */
export function certificateServes(cert: { kind: string; names: string[] }, siteNames: string[] | null, platformDomain: string | null): string[] {
  if (cert.kind === 'platform') {
    if (!platformDomain) return [];
    const own = new Set([platformDomain, `*.${platformDomain}`]);
    return [...new Set(cert.names.filter((n) => own.has(n)))].sort();
  }
  if (!siteNames) return [];
  return [...new Set(siteNames.filter((host) => covers(cert.names, host)))].sort();
}

export async function edgeState(db: Db, platformDomain: string | null, apacheInstances: number): Promise<EdgeState> {
  const rows = await db
    .selectFrom('sites')
    .innerJoin('hostings', 'hostings.id', 'sites.hostingId')
    .innerJoin('servers', 'servers.id', 'hostings.serverId')
    .select(['sites.id', 'sites.domain', 'sites.aliases', 'sites.platformLabel', 'sites.httpsMode', 'hostings.status as hostingStatus', 'hostings.uid', 'servers.name as backend', 'servers.addresses'])
    .where('sites.status', '=', 'active')
    .where('hostings.status', '!=', 'terminated')
    .orderBy('sites.domain')
    .execute();
  const deployable = await deployableCertificates(db);
  const owners = new Map((await db.selectFrom('certificates').select(['id', 'kind', 'siteId']).execute()).map((c) => [c.id, c]));
  const namesOfSite = new Map(rows.map((r) => [r.id, siteNamesOf(r, platformDomain)]));
  const certificates: EdgeState['certificates'] = [];
  for (const c of deployable) {
    const owner = owners.get(c.id);
    if (!owner) continue;
    const serves = certificateServes({ kind: owner.kind, names: c.names }, owner.siteId ? (namesOfSite.get(owner.siteId) ?? null) : null, platformDomain);
    certificates.push({ ...c, serves }); // serving nothing: the edge reports it unused
  }
  const served = sniCoverage(certificates.flatMap((c) => c.serves));
  const backends = new Map<string, string>();
  const hosts: EdgeState['hosts'] = [];
  for (const r of rows) {
    backends.set(r.backend, r.addresses[0] ?? '127.0.0.1');
    for (const host of namesOfSite.get(r.id)!) {
      const tls = r.httpsMode !== 'http-only' && served(host);
      hosts.push({ host, siteId: r.id, backend: r.backend, instance: apacheInstanceOf(r.uid, apacheInstances), httpsMode: r.httpsMode, suspended: r.hostingStatus === 'suspended', tls });
    }
  }
  return {
    backends: [...backends].map(([name, address]) => ({ name, address, instances: apacheInstances })).sort((a, b) => a.name.localeCompare(b.name)),
    hosts,
    certificates,
  };
}

/** The web servers, each with its first address: every one serves the platform's applications (database admin, webmail). */
async function webServers(db: Db) {
  const servers = await db.selectFrom('servers').select(['name', 'addresses']).where(sql<boolean>`'web' = ANY(roles)`).orderBy('name').execute();
  return servers.map((s) => ({ name: s.name, address: s.addresses[0] ?? '127.0.0.1' }));
}

/** The edge's route to the web database admin: its folder of the platform's own name, to every web server (each serves it). */
export async function dbadminRoute(db: Db, dbadmin: { url: string; key: string } | undefined): Promise<NonNullable<EdgeState['dbadmin']> | null> {
  if (!dbadmin?.url || !dbadmin.key) return null;
  const url = new URL(dbadmin.url);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), path: url.pathname, servers: await webServers(db) };
}

/** The edge's route to the webmail: its whole name, to every web server; over HTTPS when a certificate the edge serves covers the name. */
export async function webmailRoute(db: Db, host: string | null | undefined, certificates: EdgeState['certificates']): Promise<NonNullable<EdgeState['webmail']> | null> {
  if (!host) return null;
  return { host, servers: await webServers(db), tls: sniCoverage((certificates ?? []).flatMap((c) => c.serves ?? []))(host) };
}
