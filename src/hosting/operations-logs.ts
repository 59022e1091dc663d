// The logs of a site: whoever may see the site sees the last lines of its logs, which its web
// server's agent reads (a `site-logs` query, src/hosting/apply-logs.ts) while the request waits.
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { customerScope } from '../platform/actor.js';
import { reader } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { findServer } from '../servers/store.js';
import { askServer } from '../servers/queries.js';
import { siteSubject } from './rules.js';
import { findSite } from './store-sites.js';
import { logFile, siteLogsAnswer, type SiteLogsArgs, type siteLogsQuery } from './model-logs.js';

/** What an agent may answer instead of the lines (declared in hosting/errors.ts). */
export const LOG_REFUSALS = ['site.logs_not_here', 'site.log_unsafe'] as const;

export async function showSiteLogs(app: AppContext, caller: Caller, ref: string, query: z.output<typeof siteLogsQuery>) {
  const site = await findSite(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(siteSubject(site));
  if (!site.serverId || site.hostingStatus === 'terminated') throw new AppError('site.logs_not_here', 'this site is not on a web server');
  const server = await findServer(app.db, site.serverId);
  const args: SiteLogsArgs = { site: site.id, hosting: site.hostingId, kind: query.kind, lines: query.lines, q: query.q?.trim() || null };
  const answer = siteLogsAnswer.parse(await askServer(app, server, 'site-logs', args, { refusals: LOG_REFUSALS }));
  return { site: site.id, domain: site.domain, kind: query.kind, file: logFile(query.kind, site.domain), ...answer };
}
