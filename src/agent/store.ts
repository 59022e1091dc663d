// Manager side of the agent protocol: build a server's desired state, wait for changes, record reports.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { currentRevision } from '../platform/store-revision.js';
import { prepared } from '../platform/db/prepared.js';
import type { DnsSettings } from '../platform/config.js';
import type { MailPorts } from '../platform/config-mail.js';
import { dnsState } from '../dns/desired.js';
import { siteNamesOf } from '../platform/names.js';
import type { AgentReport, DesiredHosting, DesiredState } from '../node/protocol.js';
import { dbadminRoute, edgeState, webmailRoute } from './store-edge.js';
import { databaseServerState } from '../databases/store-desired.js';
import { sftpServerState } from '../files/store-desired.js';
import { ftpServerState } from '../files/store-desired-ftp.js';
import { storedPhp } from '../hosting/model-php.js';
import { effectivePhp } from '../hosting/rules-php.js';
import { cronServerState } from '../cron/store-desired.js';
import { mailServerState } from '../mail/store-desired.js';
import { mailHost } from '../dns/mail-records.js';
import type { SecretBox } from '../platform/secret-box.js';
import { webmailState } from '../mail/store-desired-webmail.js';
import { backupServerState } from '../backups/store.js';
import { serverBackupsState } from '../backups/store-parts.js';
import { pendingRestores } from '../snapshots/store-restores.js';
import type { DesiredRestore } from '../node/protocol-snapshots.js';
import { storedDigest } from '../works/store-publish.js';

/** What the desired state depends on besides the database. */
export interface DesiredContext {
  platformDomain: string | null;
  dns: DnsSettings;
  /** the mail ports (the SRV records of mail domains) */
  mail: { ports: MailPorts };
  apacheInstances: number;
  /** the web database admin (web servers serve it, the edge routes it): none when url or key is empty */
  dbadmin?: { url: string; key: string };
  /** opens the secrets mail servers are given (their domains' DKIM keys); without it none are given */
  secrets?: Pick<SecretBox, 'open'>;
  /** the webmail's name (web servers serve it, the edge routes it): none when null */
  webmail?: { host: string | null };
  /** the backup servers' SFTP port (web servers are told it with their hostings' repositories; none without secrets) */
  backups?: { port: number };
}


/** The highest revision that concerns this server (0 if none). */
export async function lastRevisionFor(db: Db, serverId: string): Promise<number> {
  const r = await db
    .selectFrom('revisions')
    .select(sql<number | null>`max(id)`.as('id'))
    .where(sql<boolean>`${serverId}::uuid = ANY(server_ids)`)
    .executeTakeFirst();
  return Number(r?.id ?? 0);
}

/** Whether a revision newer than `since` concerns the server (agent/changes.ts waits for one). */
export async function hasNewerRevision(db: Db, serverId: string, since: number): Promise<boolean> {
  const newer = await newerRevision.first(db, { serverId, since });
  return newer !== undefined;
}

const newerRevision = prepared((db, p: { serverId: string; since: number }) =>
  db.selectFrom('revisions').select('id').where('id', '>', p.since).where(sql<boolean>`${p.serverId}::uuid = ANY(server_ids)`).limit(1),
);

async function webHostings(db: Db, serverId: string, platformDomain: string | null): Promise<DesiredHosting[]> {
  const hostings = await db
    .selectFrom('hostings')
    .innerJoin('offers', 'offers.id', 'hostings.offerId')
    .select(['hostings.id', 'hostings.name', 'hostings.uid', 'hostings.home', 'hostings.status', 'offers.phpMaxChildren', 'offers.phpMemoryMb', 'offers.phpUploadMaxMb', 'offers.phpMaxExecutionSeconds', 'offers.diskMb',
      'offers.snapshotsHourly', 'offers.snapshotsDaily', 'offers.snapshotsWeekly', 'offers.snapshotsMonthly', 'hostings.snapshotRequests'])
    .where('hostings.serverId', '=', serverId)
    .where('hostings.status', '!=', 'terminated')
    .orderBy('hostings.name')
    .execute();
  const sites = hostings.length
    ? await db
        .selectFrom('sites')
        .innerJoin('hostings', 'hostings.id', 'sites.hostingId')
        .select(['sites.id', 'sites.hostingId', 'sites.domain', 'sites.aliases', 'sites.platformLabel', 'sites.documentRoot', 'sites.phpVersion', 'sites.httpsMode', 'sites.status', 'sites.phpSettings'])
        .where('hostings.serverId', '=', serverId)
        .where('hostings.status', '!=', 'terminated')
        .orderBy('sites.domain')
        .execute()
    : [];
  const restores = hostings.length ? await pendingRestores(db, serverId) : new Map<string, DesiredRestore[]>();
  const bounds = new Map(hostings.map((h) => [h.id, h]));
  const byHosting = new Map<string, DesiredHosting['sites']>();
  for (const { hostingId, platformLabel, phpSettings, ...s } of sites) {
    const php = effectivePhp(storedPhp(phpSettings), bounds.get(hostingId)!);
    const site = { ...s, aliases: siteNamesOf({ ...s, platformLabel }, platformDomain).slice(1), php };
    (byHosting.get(hostingId) ?? byHosting.set(hostingId, []).get(hostingId)!).push(site);
  }
  return hostings.map((h) => ({
    id: h.id,
    name: h.name,
    uid: h.uid,
    home: h.home,
    status: h.status as 'active' | 'suspended',
    php: { maxChildren: h.phpMaxChildren, memoryMb: h.phpMemoryMb },
    diskMb: h.diskMb,
    snapshots: { hourly: h.snapshotsHourly, daily: h.snapshotsDaily, weekly: h.snapshotsWeekly, monthly: h.snapshotsMonthly, requests: h.snapshotRequests, restores: restores.get(h.id) ?? [] },
    sites: byHosting.get(h.id) ?? [],
  }));
}

async function purges(db: Db, serverId: string) {
  return db
    .selectFrom('hostings')
    .select(['id', 'name', 'uid', 'home'])
    .where('serverId', '=', serverId)
    .where('status', '=', 'terminated')
    .where('purgeRequestedAt', 'is not', null)
    .where('purgedAt', 'is', null)
    .execute();
}

/** An edge's hosts and certificates, with the routes to the platform's applications on the web servers. */
async function edgeWithApps(db: Db, ctx: DesiredContext): Promise<NonNullable<DesiredState['edge']>> {
  const edge = await edgeState(db, ctx.platformDomain, ctx.apacheInstances);
  return { ...edge, dbadmin: await dbadminRoute(db, ctx.dbadmin), webmail: await webmailRoute(db, ctx.webmail?.host, edge.certificates) };
}

/** The whole desired state of one server, for its roles, at the current revision. */
export async function buildDesiredState(db: Db, ctx: DesiredContext, serverId: string): Promise<DesiredState> {
  return db.transaction().execute(async (trx) => {
    // one snapshot: the revision and the objects are read together
    await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY`.execute(trx);
    const server = await trx.selectFrom('servers').select(['id', 'name', 'roles']).where('id', '=', serverId).executeTakeFirstOrThrow();
    const revision = await currentRevision(trx);
    return {
      revision,
      server,
      ...(server.roles.includes('web') ? { web: { hostings: await webHostings(trx, serverId, ctx.platformDomain), purges: await purges(trx, serverId), apacheInstances: ctx.apacheInstances } } : {}),
      ...(server.roles.includes('web') ? { sftp: await sftpServerState(trx, serverId) } : {}),
      ...(server.roles.includes('web') ? { ftp: await ftpServerState(trx, serverId) } : {}),
      ...(server.roles.includes('web') ? { cron: await cronServerState(trx, serverId) } : {}),
      ...(server.roles.includes('edge') ? { edge: await edgeWithApps(trx, ctx) } : {}),
      ...(server.roles.includes('dns') ? { dns: await dnsState(trx, ctx) } : {}),
      ...(server.roles.includes('database') ? { database: await databaseServerState(trx, serverId) } : {}),
      ...(server.roles.includes('web') && ctx.dbadmin?.url && ctx.dbadmin.key ? { dbadmin: { path: new URL(ctx.dbadmin.url).pathname, key: ctx.dbadmin.key } } : {}),
      ...(server.roles.includes('mail') ? { mail: await mailServerState(trx, serverId, mailHost(server.name, ctx.platformDomain), ctx.secrets) } : {}),
      ...(['web', 'database', 'mail'].some((r) => server.roles.includes(r)) && ctx.backups && ctx.secrets ? { backups: await serverBackupsState(trx, serverId, server.roles, ctx.backups.port, (v) => ctx.secrets!.open(v)) } : {}),
      ...(server.roles.includes('backup') ? { backupServer: await backupServerState(trx, serverId) } : {}),
      ...(server.roles.includes('web') && ctx.webmail?.host ? { webmail: await webmailState(trx, ctx.webmail.host, ctx.mail.ports, server.roles.includes('edge')) } : {}),
      ...(server.roles.includes('status') ? { status: { page: await storedDigest(trx).then((digest) => (digest ? { digest } : null)) } } : {}),
    };
  });
}

/** Records what a server reported: its contact, mode, reached revision, error, and each object's state. */
export async function recordReport(db: Db, serverId: string, report: AgentReport, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('servers')
      .set({ lastContactAt: now, reachedRevision: report.revision, mode: report.mode, lastError: report.error ?? null })
      .where('id', '=', serverId)
      .execute();
    // only what changed is written (a node reports every object each time: 20,000 rows for 10,000
    // sites); an unchanged row stays current through the server's reached revision
    const existing = await trx.selectFrom('objectStates').select(['kind', 'objectId', 'status', 'message', 'code', 'params']).where('serverId', '=', serverId).execute();
    const before = new Map(existing.map((o) => [`${o.kind}/${o.objectId}`, o]));
    const changed = report.objects.filter((o) => {
      const b = before.get(`${o.kind}/${o.id}`);
      before.delete(`${o.kind}/${o.id}`);
      return !b || b.status !== o.status || (b.message ?? null) !== (o.message ?? null) || (b.code ?? null) !== (o.code ?? null)
        || JSON.stringify(b.params ?? null) !== JSON.stringify(o.params ?? null);
    });
    const gone = [...before.values()];
    for (let i = 0; i < gone.length; i += 1000) {
      const batch = gone.slice(i, i + 1000);
      await trx.deleteFrom('objectStates').where('serverId', '=', serverId)
        .where((eb) => eb.or(batch.map((o) => eb.and([eb('kind', '=', o.kind), eb('objectId', '=', o.objectId)]))))
        .execute();
    }
    for (let i = 0; i < changed.length; i += 1000) {
      const batch = changed.slice(i, i + 1000);
      await trx
        .insertInto('objectStates')
        .values(batch.map((o) => ({
          serverId, kind: o.kind, objectId: o.id, status: o.status, message: o.message ?? null, code: o.code ?? null,
          params: o.params ? JSON.stringify(o.params) : null, revision: report.revision,
        })))
        .onConflict((oc) => oc.columns(['serverId', 'kind', 'objectId']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'), message: eb.ref('excluded.message'), code: eb.ref('excluded.code'), params: eb.ref('excluded.params'),
          revision: eb.ref('excluded.revision'), updatedAt: new Date(),
        })))
        .execute();
    }
    // a purge the web server reports done is final
    const purged = report.objects.filter((o) => o.kind === 'purge' && o.status === 'live').map((o) => o.id);
    if (purged.length) await trx.updateTable('hostings').set({ purgedAt: new Date() }).where('id', 'in', purged).where('serverId', '=', serverId).execute();
  });
}

/** The server whose agent token hashes to `tokenHash`, or undefined. */
export async function serverByAgentToken(db: Db, tokenHash: string): Promise<{ id: string; name: string } | undefined> {
  return db.selectFrom('servers').select(['id', 'name']).where('agentTokenHash', '=', tokenHash).executeTakeFirst();
}

/** The roles of a server. */
export async function serverRoles(db: Db, serverId: string): Promise<string[]> {
  return (await db.selectFrom('servers').select('roles').where('id', '=', serverId).executeTakeFirstOrThrow()).roles;
}

/** Records that a server asked for its state (long-poll contact), without a report. */
export async function touchServer(db: Db, serverId: string, now = new Date()): Promise<void> {
  await db.updateTable('servers').set({ lastContactAt: now }).where('id', '=', serverId).execute();
}
