// The agent protocol's parts about the platform's applications on web servers (the web database
// admin, the webmail): what web servers serve and how the edge routes them.
import { z } from 'zod';

/** The edge's route to the web database admin: `path` of the platform's own `host` goes to `servers` (web servers); the rest of `host` to the manager. */
export const desiredDbadminRoute = z.object({ host: z.string(), path: z.string(), servers: z.array(z.object({ name: z.string(), address: z.string() })) });

/** The edge's route to the webmail: its whole `host` goes to `servers` (web servers), over HTTPS when `tls` (a certificate covers it; HTTP then redirects). */
export const desiredWebmailRoute = desiredDbadminRoute.omit({ path: true }).extend({ tls: z.boolean() });

/**
 * What a web server's webmail signs in to: each mail domain's mail server (its name and the address
 * Roundcube reaches it at) and the mail servers' ports. Only names and addresses, nothing secret.
 */
export const desiredWebmail = z.object({
  host: z.string(),
  domains: z.array(z.object({ name: z.string(), server: z.string(), address: z.string() })),
  ports: z.object({ imaps: z.number().int(), submission: z.number().int() }),
  /** the addresses the edge reaches the web servers from (its servers' addresses; loopback when this server is an edge too): Roundcube trusts their X-Forwarded-For and X-Forwarded-Proto, nobody else's */
  proxies: z.array(z.string()).optional(),
});
