// The agent protocol over HTTP: long-poll for the server's desired state, report what was applied.
import { restoreReport } from '../node/protocol-snapshots.js';
import { recordRestoreReports } from '../snapshots/store-restores.js';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import type { AppContext } from '../platform/context.js';
import { AppError } from '../platform/errors.js';
import { digest } from '../platform/secrets.js';
import { agentReport, cronRunReport, desiredState } from '../node/protocol.js';
import { recordCronRuns } from '../cron/store.js';
import { KEPT_RUNS } from '../cron/rules-tasks.js';
import { buildDesiredState, recordReport, serverByAgentToken, serverRoles, touchServer } from './store.js';
import { waitForChange } from './changes.js';
import { certificateBundle } from '../certs/store.js';
import { mayFetchCertificate } from '../certs/store-mail.js';
import { paceBuild, timedBuild } from './pacing.js';
import { idParams } from '../platform/validation.js';
import { pollOpened } from '../servers/presence.js';
import { recordDatabaseUsage } from '../databases/operations-usage.js';
import { recordDiskUsage } from '../hosting/store-disk.js';
import { agentAnswer, agentQuery } from '../node/query.js';
import { recordAnswer, waitForQueries } from '../servers/queries.js';
import { recordMailboxHeld, recordMailboxUsage } from '../mail/store-mailboxes.js';
import { backupRunReport, partRestoreReport } from '../node/protocol-backups.js';
import { recordPartRestoreReports, recordServerBackupRuns } from '../backups/store-parts.js';
import { worksPageBundle } from '../node/protocol-works.js';
import { statusServerPage } from '../works/store-publish.js';

/** The server behind an agent token (Authorization: Bearer abria_…). */
export async function authenticateAgent(app: AppContext, req: FastifyRequest) {
  const m = /^Bearer\s+(abria_[A-Za-z0-9_-]{20,100})$/.exec(req.headers.authorization ?? '');
  if (!m) throw new AppError('auth.invalid_token', 'agent requests need Authorization: Bearer <agent token>');
  const server = await serverByAgentToken(app.db, digest(m[1]));
  if (!server) throw new AppError('auth.invalid_token', 'unknown agent token (rotate it with POST /api/v1/servers/{id}/token)');
  return { serverId: server.id, name: server.name };
}

export const agentRoutes = [
  route({
    method: 'GET', path: '/agent/v1/spec', summary: 'Desired state of the calling server: at once without `since`, else waiting up to `wait` s for a newer revision (204 if none)',
    tag: 'agent', access: 'agent',
    query: z.object({ since: z.coerce.number().int().min(0).optional(), wait: z.coerce.number().int().min(0).max(60).default(25) }),
    response: desiredState,
    async handler({ app, agent, query, req }) {
      const abort = new AbortController();
      req.request.raw.once('close', () => abort.abort());
      await touchServer(app.db, agent.serverId, app.clock.now());
      // while the poll is open the server counts as reachable (servers/rules.ts reachability)
      const closed = pollOpened(app, agent.serverId);
      let changed: boolean;
      try {
        changed = query.since === undefined || (await waitForChange(app.db, agent.serverId, query.since, query.wait * 1000, abort.signal));
      } finally {
        closed();
      }
      // it waited until now, and its report comes only after the apply
      if (changed && query.since !== undefined && !abort.signal.aborted) await touchServer(app.db, agent.serverId, app.clock.now());
      if (!changed) {
        req.reply.status(204);
        return undefined;
      }
      if (query.since !== undefined) await paceBuild(agent.serverId, abort.signal);
      return timedBuild(agent.serverId, () => buildDesiredState(app.db, { ...app.config, secrets: app.secrets() }, agent.serverId));
    },
  }),
  route({
    method: 'GET', path: '/agent/v1/certificates/{id}', summary: 'PEM of a certificate the calling edge serves, of the platform certificate for a web server\'s FTPS, or of a mail server\'s own certificate (certificate, chain, private key)', tag: 'agent', access: 'agent',
    params: idParams, response: z.object({ id: z.string(), fingerprint: z.string(), pem: z.string() }),
    async handler({ app, agent, params }) {
      const roles = await serverRoles(app.db, agent.serverId);
      const mayFetch = await mayFetchCertificate(app.db, params.id, { id: agent.serverId, roles });
      if (!mayFetch) throw new AppError('certificate.not_found', 'certificate not found');
      return certificateBundle(app.db, app.secrets(), params.id);
    },
  }),
  route({
    method: 'GET', path: '/agent/v1/works-page', summary: 'The public works page a status server serves: its digest and files (servers of the status role only)', tag: 'agent', access: 'agent',
    response: worksPageBundle, errors: ['work_page.not_found'],
    handler: async ({ app, agent }) => statusServerPage(app.db, agent.serverId),
  }),
  route({
    method: 'POST', path: '/agent/v1/report', summary: 'Report the revision applied and the state of each object', tag: 'agent', access: 'agent',
    body: agentReport, status: 204,
    async handler({ app, agent, body }) {
      await recordReport(app.db, agent.serverId, body, app.clock.now());
      await recordDatabaseUsage(app, agent.serverId, body.usage);
      await recordDiskUsage(app.db, agent.serverId, body.usage, app.clock.now());
      await recordMailboxUsage(app.db, agent.serverId, (body.usage ?? []).filter((u) => u.kind === 'mailbox'), app.clock.now());
      await recordMailboxHeld(app.db, agent.serverId, (body.usage ?? []).filter((u) => u.kind === 'mailbox-held'));
    },
  }),
  route({
    method: 'POST', path: '/agent/v1/cron-runs', summary: 'Report runs of scheduled tasks of the calling web server (runs of tasks not on it are ignored; the last 20 per task are kept)',
    tag: 'agent', access: 'agent', body: z.strictObject({ runs: z.array(cronRunReport).max(1000) }), status: 204,
    async handler({ app, agent, body }) {
      await recordCronRuns(app.db, agent.serverId, body.runs, KEPT_RUNS);
    },
  }),
  route({
    method: 'POST', path: '/agent/v1/backup-runs', summary: 'Report backups the calling server made: files of its hostings (web), dumps of the databases and copies of the mailboxes it holds (others are ignored)',
    tag: 'agent', access: 'agent', body: z.strictObject({ runs: z.array(backupRunReport).max(1000) }), status: 204,
    async handler({ app, agent, body }) {
      await recordServerBackupRuns(app.db, agent.serverId, body.runs);
    },
  }),
  route({
    method: 'POST', path: '/agent/v1/backup-restores', summary: 'Report restores of backed-up databases and mailboxes the calling server started or finished (others are ignored)',
    tag: 'agent', access: 'agent', body: z.strictObject({ restores: z.array(partRestoreReport).max(1000) }), status: 204,
    async handler({ app, agent, body }) {
      await recordPartRestoreReports(app.db, agent.serverId, body.restores);
    },
  }),
  route({
    method: 'POST', path: '/agent/v1/snapshot-restores', summary: 'Report restores from snapshots the calling web server started or finished (restores of hostings not on it are ignored)',
    tag: 'agent', access: 'agent', body: z.strictObject({ restores: z.array(restoreReport).max(1000) }), status: 204,
    async handler({ app, agent, body }) {
      await recordRestoreReports(app.db, agent.serverId, body.restores);
    },
  }),
  route({
    method: 'GET', path: '/agent/v1/queries', summary: 'Queries the manager asks the calling server (each handed out once), waiting up to `wait` s for one',
    tag: 'agent', access: 'agent', query: z.object({ wait: z.coerce.number().int().min(0).max(60).default(25) }),
    response: z.object({ queries: z.array(agentQuery) }),
    async handler({ app, agent, query, req }) {
      const abort = new AbortController();
      req.request.raw.once('close', () => abort.abort());
      const closed = pollOpened(app, agent.serverId); // the server is reachable while it waits here too
      try {
        return { queries: await waitForQueries(app, agent.serverId, query.wait * 1000, abort.signal) };
      } finally {
        closed();
      }
    },
  }),
  route({
    method: 'POST', path: '/agent/v1/queries/{id}/answer', summary: 'Answer a query of the calling server (an answer to a query that expired, or to another server\'s, is ignored)',
    tag: 'agent', access: 'agent', params: z.object({ id: z.string().uuid() }), body: agentAnswer, status: 204,
    async handler({ app, agent, params, body }) {
      await recordAnswer(app, agent.serverId, params.id, body);
    },
  }),
];
