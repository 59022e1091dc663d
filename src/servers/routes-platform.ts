// What the platform tells every logged-in user about itself: its domain (for platform names of
// sites), its name servers (to set at a registrar), whether it obtains certificates by itself.
import { z } from 'zod';
import { route } from '../platform/http/route.js';

const platformOut = z.object({
  platformDomain: z.string().nullable().describe('sites may also be served at <label>.<this domain> (null: none)'),
  nameservers: z.array(z.string()).describe('the name servers to give a registrar for a domain whose DNS the platform publishes'),
  edgeHostname: z.string().nullable().describe('the CNAME target for names whose DNS is elsewhere (null: point A/AAAA records at the edge)'),
  certificates: z.object({ automatic: z.boolean().describe('the platform obtains and renews certificates by itself (ACME)') }),
  webmailUrl: z.string().nullable().describe('where mailboxes read their mail in a browser (Roundcube, signing in with the full address and the mailbox password); null: no webmail'),
  databaseAdmin: z.boolean().describe('a web database admin (Adminer) opens as a database user without its password (POST /database-users/{id}/dbadmin-ticket)'),
});

export const platformRoutes = [
  route({
    method: 'GET', path: '/api/v1/platform', summary: 'What the platform offers: its domain, its name servers, automatic certificates', tag: 'platform', access: 'user',
    response: platformOut,
    async handler({ app }) {
      const { config } = app;
      return {
        platformDomain: config.platformDomain,
        nameservers: config.dns.nameservers,
        edgeHostname: config.dns.edgeHostname,
        certificates: { automatic: !!config.acme.directory },
        webmailUrl: config.webmail.host ? `https://${config.webmail.host}/` : null,
        databaseAdmin: !!(config.dbadmin.url && config.dbadmin.key),
      };
    },
  }),
];
