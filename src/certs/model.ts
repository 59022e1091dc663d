// Certificates: API shapes and the pure rules (when to renew, how long to wait after a failure,
// what an uploaded certificate must satisfy). No assumption on lifetimes: everything is relative to
// the certificate's own notBefore/notAfter (Let's Encrypt goes from 90 to 64 to 45 days).
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { provisioningOut } from '../servers/model.js';
import type { FieldIssue } from '../platform/errors.js';
import { uncovered } from './coverage.js';

export const certificateStatus = z.enum(['none', 'pending', 'valid', 'failing', 'expired']).describe(
  'none: the site is HTTP only · pending: being obtained · valid: served · failing: repeated failures, see lastError (a still valid certificate keeps being served) · expired',
);

export const certificateOut = z.object({
  id: z.string().nullable(),
  siteId: z.string().nullable(),
  kind: z.enum(['site', 'platform']),
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

export interface CheckedUpload {
  info: CertificateInfo;
  certPem: string;
  chainPem: string;
  keyPem: string;
}

/** Checks an uploaded certificate for a site: parses, key matches, not expired, covers every name. */
export function checkUpload(body: z.infer<typeof certificateUpload>, siteNames: string[], now: Date): { ok: true; value: CheckedUpload } | { ok: false; code: string; message: string; issues: FieldIssue[] } {
  const bad = (code: string, path: string, message: string) => ({ ok: false as const, code, message, issues: [{ code, path: `body.${path}`, message }] });
  const blocks = pemBlocks(body.certificate);
  if (!blocks.length) return bad('certificate.invalid', 'certificate', 'no PEM certificate (-----BEGIN CERTIFICATE-----) found');
  let info: CertificateInfo;
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(blocks[0]!);
    info = inspectCertificate(blocks[0]!);
  } catch (e) {
    return bad('certificate.invalid', 'certificate', `the certificate cannot be read: ${(e as Error).message}`);
  }
  const chainBlocks = [...blocks.slice(1), ...pemBlocks(body.chain ?? '')];
  if (body.chain && !pemBlocks(body.chain).length) return bad('certificate.invalid', 'chain', 'no PEM certificate found in the chain');
  for (const c of chainBlocks) {
    try {
      new X509Certificate(c);
    } catch (e) {
      return bad('certificate.invalid', 'chain', `a chain certificate cannot be read: ${(e as Error).message}`);
    }
  }
  let keyPem: string;
  try {
    const key = createPrivateKey(body.privateKey);
    keyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    if (!leaf.checkPrivateKey(key)) return bad('certificate.key_mismatch', 'privateKey', 'the private key does not match the certificate');
    createPublicKey(key);
  } catch (e) {
    return bad('certificate.invalid', 'privateKey', `the private key cannot be read (PEM, unencrypted): ${(e as Error).message.replace(/^error:[^:]*:/, '')}`);
  }
  if (info.notAfter.getTime() <= now.getTime()) return bad('certificate.expired', 'certificate', `the certificate expired on ${info.notAfter.toISOString()}`);
  if (info.notBefore.getTime() > now.getTime() + 86_400_000) return bad('certificate.not_yet_valid', 'certificate', `the certificate is valid only from ${info.notBefore.toISOString()}`);
  const missing = uncovered(info.names, siteNames);
  if (missing.length) return bad('certificate.names_mismatch', 'certificate', `the certificate does not cover ${missing.join(', ')} (it covers ${info.names.join(', ') || 'no name'})`);
  return { ok: true, value: { info, certPem: `${blocks[0]}\n`, chainPem: chainBlocks.map((c) => `${c}\n`).join(''), keyPem } };
}
