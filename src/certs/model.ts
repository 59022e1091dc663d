// Certificates: API shapes and the pure rules (when to renew, how long to wait after a failure,
// what an uploaded certificate must satisfy). No assumption on lifetimes: everything is relative to
// the certificate's own notBefore/notAfter (Let's Encrypt goes from 90 to 64 to 45 days).
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { provisioningOut, type Provisioning } from '../servers/model.js';
import { listQuery } from '../platform/http/list.js';

/** The job of each certificate (key: the certificate's id): its next attempt or renewal is the job's runAt. */
export const CERTIFICATE_JOB = 'certificate';
/** The recurring job removing challenges past their expiry. */
export const CHALLENGE_CLEANUP_JOB = 'acme.challenges.expire';

export const certificateStatus = z.enum(['none', 'pending', 'valid', 'failing', 'expired']).describe(
  'none: the site is HTTP only · pending: being obtained · valid: served · failing: repeated failures, see lastError (a still valid certificate keeps being served) · expired',
);

export const certificateOut = z.object({
  id: z.string().nullable(),
  siteId: z.string().nullable(),
  kind: z.enum(['site', 'platform', 'mail']).describe('site · platform: the wildcard of the platform domain · mail: a mail server\'s (staff only)'),
  server: z.string().nullable().describe('the mail server a mail certificate is for (its name)'),
  source: z.enum(['acme', 'custom']).nullable().describe('acme: obtained and renewed by the platform · custom: uploaded'),
  status: certificateStatus,
  names: z.array(z.string()).describe('names the current certificate covers'),
  wanted: z.array(z.string()).describe('names it should cover (the site\'s domain and aliases)'),
  issuer: z.string().nullable(),
  serial: z.string().nullable(),
  fingerprint: z.string().nullable().describe('SHA-256 of the certificate'),
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
  renewAt: z.string().nullable().describe('next renewal (acme)'),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  failures: z.number(),
  problems: z.array(z.object({ name: z.string(), reason: z.string() })).describe('names not sent to the CA, and why'),
  provisioning: provisioningOut.nullable().describe('deployment on the edges'),
});

const pem = (what: string, max: number) => z.string().min(1, `${what} must not be empty`).max(max, `${what} is too large`);

export const certificateUpload = z.strictObject({
  certificate: pem('the certificate', 32_000).describe('PEM certificate of the site (the chain may follow it)'),
  privateKey: pem('the private key', 16_000).describe('PEM private key; stored encrypted, never shown again'),
  chain: pem('the chain', 64_000).optional().describe('PEM intermediate certificates'),
});

export const certificateListQuery = listQuery.extend({ status: z.enum(['pending', 'valid', 'failing', 'expired']).optional() });
export const certificateListItem = certificateOut.extend({ domain: z.string().nullable(), domainUnicode: z.string().nullable() });

export type CertificateView = z.infer<typeof certificateOut>;

/** Retries after a failure: 1 min, 10 min, 100 min, then daily. */
export const RETRY_DELAYS_MS = [60_000, 600_000, 6_000_000, 86_400_000];
/** After this many failures in a row a certificate is marked failing. */
export const FAILING_AFTER = 4;

export const retryDelayMs = (failures: number) => RETRY_DELAYS_MS[Math.min(Math.max(failures, 1), RETRY_DELAYS_MS.length) - 1];

/**
 * When to renew: once a third of the lifetime remains, drawn at random inside a window of a
 * twelfth of the lifetime before that point, so certificates issued together do not renew together.
 */
export function renewalTime(notBefore: Date, notAfter: Date, random: number): Date {
  const life = notAfter.getTime() - notBefore.getTime();
  const third = notAfter.getTime() - life / 3;
  return new Date(Math.round(third - random * (life / 12)));
}

export interface CertificateInfo {
  names: string[];
  notBefore: Date;
  notAfter: Date;
  issuer: string;
  serial: string;
  fingerprint: string;
}

/** The PEM blocks of certificates in a text, in order. */
export const pemBlocks = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

export function inspectCertificate(certPem: string): CertificateInfo {
  const x = new X509Certificate(certPem);
  const names = (x.subjectAltName ?? '')
    .split(', ')
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4).toLowerCase());
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(x.subject)?.[1];
  const issuerName = /(?:^|\n)O=([^\n]+)/.exec(x.issuer)?.[1] ?? /(?:^|\n)CN=([^\n]+)/.exec(x.issuer)?.[1] ?? x.issuer;
  return {
    names: names.length ? names : cn ? [cn.toLowerCase()] : [],
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    issuer: issuerName,
    serial: x.serialNumber.toLowerCase(),
    fingerprint: x.fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

/** What the view of a certificate is built from, besides its row. */
export interface ViewContext {
  now: Date;
  /** ABRI_ACME_DIRECTORY is set: certificates are ordered */
  automatic: boolean;
  platformDomain: string | null;
  provisioning: Provisioning | null;
  /** a mail certificate's server: its name, and the name its mail records point to (null: it has none) */
  mail?: { server: string; host: string | null } | null;
  /** its job: the next attempt is its runAt while it is scheduled or running */
  job: { status: string; runAt: Date | string } | null;
}

interface ViewedRow {
  id: string;
  source: 'acme' | 'custom';
  status: 'pending' | 'valid' | 'failing';
  names: string[];
  problems: Array<{ name: string; reason: string }>;
  issuer: string | null;
  serial: string | null;
  fingerprint: string | null;
  notBefore: Date | string | null;
  notAfter: Date | string | null;
  certPem: string | null;
  renewAt: Date | string | null;
  failures: number;
  lastError: string | null;
  lastAttemptAt: Date | string | null;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** A certificate as the API shows it (a site's, a mail server's when `x.mail` is given, or the platform's). */
export function certificateView(c: ViewedRow | null, site: { id: string; domain: string; aliases: string[]; httpsMode: string } | null, x: ViewContext): CertificateView {
  const wanted = site ? [site.domain, ...site.aliases] : x.mail ? (x.mail.host ? [x.mail.host] : []) : x.platformDomain ? [x.platformDomain, `*.${x.platformDomain}`] : [];
  const expired = !!c?.notAfter && new Date(c.notAfter).getTime() <= x.now.getTime();
  const status: CertificateView['status'] = !c || (site?.httpsMode === 'http-only' && !c.certPem) ? 'none' : expired ? 'expired' : c.status;
  const disabled = !x.automatic && c?.source !== 'custom' && status !== 'none' ? 'certificates are not ordered on this platform (ABRI_ACME_DIRECTORY is empty)' : null;
  const planned = x.job && (x.job.status === 'scheduled' || x.job.status === 'running') && c?.source !== 'custom' ? x.job.runAt : null;
  return {
    id: c?.id ?? null,
    siteId: site?.id ?? null,
    kind: site ? 'site' : x.mail ? 'mail' : 'platform',
    server: x.mail?.server ?? null,
    source: c?.source ?? null,
    status,
    names: c?.names ?? [],
    wanted,
    issuer: c?.issuer ?? null,
    serial: c?.serial ?? null,
    fingerprint: c?.fingerprint ?? null,
    notBefore: iso(c?.notBefore),
    notAfter: iso(c?.notAfter),
    renewAt: c?.source === 'acme' ? iso(c.renewAt) : null,
    nextAttemptAt: disabled || status === 'none' ? null : iso(planned),
    lastAttemptAt: iso(c?.lastAttemptAt),
    lastError: status === 'none' ? null : c?.lastError ?? disabled,
    failures: c?.failures ?? 0,
    problems: c?.problems ?? [],
    provisioning: c?.certPem ? x.provisioning : null,
  };
}
