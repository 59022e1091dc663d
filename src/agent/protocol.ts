// The agent protocol: what the manager sends a server (its desired state) and what the agent reports.
// Node-local facts (paths, ports, service commands) are not here: each agent adds them from its own config.
import { z } from 'zod';

export const objectStatus = z.enum(['rendered', 'live', 'error']).describe(
  'rendered: written on a render-only node, not applied · live: applied and serving · error: see message',
);

export const desiredSite = z.object({
  id: z.string(),
  domain: z.string(),
  aliases: z.array(z.string()),
  documentRoot: z.string(),
  phpVersion: z.string(),
  httpsMode: z.enum(['http-only', 'both', 'https-only', 'redirect']),
  status: z.enum(['active', 'disabled']),
});

export const desiredHosting = z.object({
  id: z.string(),
  name: z.string(),
  uid: z.number().int(),
  home: z.string(),
  status: z.enum(['active', 'suspended']),
  php: z.object({ maxChildren: z.number().int(), memoryMb: z.number().int() }),
  sites: z.array(desiredSite),
});

/** A web server; it runs `instances` Apache instances, on its web port and the next ones. */
export const desiredBackend = z.object({ name: z.string(), address: z.string(), instances: z.number().int().min(1).max(64).default(1) });

export const desiredHost = z.object({
  host: z.string(),
  siteId: z.string(),
  backend: z.string(),
  /** the backend's Apache instance that serves this host (port + instance) */
  instance: z.number().int().min(0).max(63).default(0),
  httpsMode: desiredSite.shape.httpsMode,
  suspended: z.boolean(),
  /** a certificate covering this host is deployed (a redirect to HTTPS only happens then) */
  tls: z.boolean().default(false),
});

/** A certificate the edge serves: its PEM (certificate, chain, key) is fetched from the manager by id. */
export const desiredCertificate = z.object({
  id: z.string(),
  /** SHA-256 of the leaf certificate (DER, hex): the edge fetches and swaps when it differs */
  fingerprint: z.string(),
  names: z.array(z.string()),
});

export const desiredRrset = z.object({ name: z.string(), type: z.string(), ttl: z.number().int(), records: z.array(z.string()) });
export const desiredZone = z.object({ id: z.string(), name: z.string(), rrsets: z.array(desiredRrset) });
export const dnsAddress = z.object({ address: z.string(), port: z.number().int() });

export const desiredState = z.object({
  revision: z.number().int(),
  server: z.object({ id: z.string(), name: z.string(), roles: z.array(z.string()) }),
  /** present when the server has the web role: the hostings placed on it */
  web: z.object({
    hostings: z.array(desiredHosting),
    /** Apache instances on the node: a hosting's sites go to instance (uid mod this) */
    apacheInstances: z.number().int().min(1).max(64).default(1),
    /** terminated hostings whose files and account must now be deleted */
    purges: z.array(z.object({ id: z.string(), name: z.string(), uid: z.number().int(), home: z.string() })).default([]),
  }).optional(),
  /** present when the server has the edge role: every public host name and its web server */
  edge: z.object({ backends: z.array(desiredBackend), hosts: z.array(desiredHost), certificates: z.array(desiredCertificate).default([]) }).optional(),
  /** present when the server has the dns role: every zone the platform publishes */
  dns: z.object({ zones: z.array(desiredZone), secondaries: z.array(dnsAddress) }).optional(),
});

export const objectReport = z.object({
  kind: z.string().min(1).max(32),
  id: z.string().min(1).max(255),
  status: objectStatus,
  message: z.string().max(4000).nullable().optional(),
});

export const agentReport = z.strictObject({
  revision: z.number().int().min(0),
  mode: z.enum(['render-only', 'apply']),
  /** a server-wide error (e.g. a config that failed validation), null when the apply succeeded */
  error: z.string().max(8000).nullable().optional(),
  objects: z.array(objectReport).max(200_000),
});

export type DesiredState = z.infer<typeof desiredState>;
export type DesiredHosting = z.infer<typeof desiredHosting>;
export type DesiredSite = z.infer<typeof desiredSite>;
export type AgentReport = z.infer<typeof agentReport>;
export type ObjectReport = z.infer<typeof objectReport>;
export type DesiredZone = z.infer<typeof desiredZone>;
export type DesiredCertificate = z.infer<typeof desiredCertificate>;
export type CertificateBundle = { id: string; fingerprint: string; pem: string };
