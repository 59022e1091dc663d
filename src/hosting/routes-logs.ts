// A site's logs over HTTP: parse, call one operation, answer.
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { siteLogsOut, siteLogsQuery } from './model-logs.js';
import { LOG_REFUSALS, showSiteLogs } from './operations-logs.js';

export const siteLogRoutes = [
  route({
    method: 'GET', path: '/api/v1/sites/{id}/logs',
    summary: 'The last lines of a site\'s access or error log, or of its hosting\'s PHP error log, filtered (read on its web server while the request waits, 10 s at most)',
    tag: 'sites', access: 'user', tenant: true, params: idParams, query: siteLogsQuery, response: siteLogsOut,
    errors: ['site.not_found', ...LOG_REFUSALS, 'server.unreachable', 'server.query_failed'],
    handler: ({ app, caller, params, query }) => showSiteLogs(app, caller, params.id, query),
  }),
];
