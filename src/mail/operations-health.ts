// The sending addresses' health of mail servers, for staff: checked through the DNS by a recurring
// job (every 6 hours; a measure: no revision, no audit) and on demand by staff (audited), stored, shown by server.
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { JobContext, JobOutcome, JobRegistry } from '../jobs/registry.js';
import { mailHost } from '../dns/mail-records.js';
import { findServer } from '../servers/store.js';
import type { ServerRow } from '../servers/model.js';
import { checkAddresses } from './check-health.js';
import { serverProblems } from './rules-health.js';
import { findMailHealth, mailServersToCheck, saveMailHealth, type MailHealthRow } from './store-health.js';
import { mailHealthView, type MailHealthView } from './model-health.js';

export const MAIL_HEALTH_JOB = 'mail.health';

async function mailServer(app: AppContext, ref: string): Promise<ServerRow> {
  const server = await findServer(app.db, ref);
  if (!server.roles.includes('mail')) throw new AppError('mail_health.not_mail_server', `${server.name} is not a mail server`, { params: { server: server.name } });
  return server;
}

/** Looks a mail server's sending addresses up in the DNS (outside any transaction: it waits on the network). */
async function lookUp(app: AppContext, server: ServerRow): Promise<MailHealthRow> {
  const helo = mailHost(server.name, app.config.platformDomain);
  const addresses = [...new Set(server.publicAddresses.length ? server.publicAddresses : server.addresses)];
  const problems = serverProblems(server.name, helo, addresses);
  const checked = helo && addresses.length ? await checkAddresses(app.config.dns.resolver, helo, addresses, app.config.mail.dnsbl) : [];
  problems.push(...checked.flatMap((a) => a.problems));
  return { serverId: server.id, helo, ok: !problems.length, addresses: checked, problems, checkedAt: app.clock.now() };
}

/** The job's check of a mail server: a measure, kept without an audit entry. */
export async function checkMailServer(app: AppContext, server: ServerRow): Promise<MailHealthView> {
  const row = await lookUp(app, server);
  await saveMailHealth(app.db, row);
  return mailHealthView(server, app.config.mail.dnsbl, row);
}

export async function mailHealthOf(app: AppContext, caller: Caller, ref: string): Promise<MailHealthView> {
  assertStaff(caller.actor);
  const server = await mailServer(app, ref);
  return mailHealthView(server, app.config.mail.dnsbl, await findMailHealth(app.db, server.id));
}

/** A check asked by staff, audited (who asked, what it found). */
export async function checkMailHealthOf(app: AppContext, caller: Caller, ref: string): Promise<MailHealthView> {
  assertStaff(caller.actor);
  const server = await mailServer(app, ref);
  const row = await lookUp(app, server);
  return change(app, caller, async (c) => {
    c.staffOnly();
    await saveMailHealth(c.db, { ...row, checkedAt: c.now });
    await c.audit({ action: 'server.mail_health_check', targetType: 'server', targetId: server.id, target: server.name, after: { ok: row.ok, problems: row.problems.map((p) => p.code) } });
    return mailHealthView(server, app.config.mail.dnsbl, { ...row, checkedAt: c.now });
  });
}

/** Every mail server, one after the other; a server removed meanwhile is skipped. */
export async function checkAllMailServers(ctx: JobContext): Promise<JobOutcome> {
  for (const { id } of await mailServersToCheck(ctx.app.db)) {
    const server = await findServer(ctx.app.db, id).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'server.not_found') return null;
      throw e;
    });
    if (!server) continue;
    const view = await checkMailServer(ctx.app, server);
    if (view.status !== 'ok') ctx.log.warn({ server: server.name, problems: view.problems.map((p) => p.message) }, 'mail server health');
  }
}

export function registerMailHealthJob(registry: JobRegistry): void {
  registry.register({ kind: MAIL_HEALTH_JOB, retryDelaysMs: [600_000, 3_600_000], maxAttempts: null, recurring: 'every 6h', run: checkAllMailServers });
}
