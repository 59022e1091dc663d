// Pure rules of uploaded certificates. An upload must be readable, usable by a web server today, with
// a key of current strength, and name the uploading site only: every name it covers is the site's
// domain or one of its aliases (a wildcard only below one of them), never a name under the platform's
// domain, so a certificate can never be used to answer for another customer's host.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { AppError, type ErrorParams, type FieldIssue } from '../platform/errors.js';
import { uncovered } from './coverage.js';
import { inspectCertificate, pemBlocks, type CertificateInfo, type certificateUpload } from './model.js';

/** RSA keys shorter than this are refused (NIST SP 800-57, CA/Browser Forum baseline). */
export const MIN_RSA_BITS = 2048;
/** EC curves accepted (OpenSSL names): P-256, P-384, P-521. */
export const EC_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
/** A certificate starting later than this (clock skew) is not yet valid. */
const SKEW_MS = 5 * 60_000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_USAGE = '2.5.29.37.0';

export interface CheckedUpload {
  info: CertificateInfo;
  certPem: string;
  chainPem: string;
  keyPem: string;
}

export type UploadRefusal = { ok: false; code: string; message: string; params: ErrorParams; issues: FieldIssue[] };
export type UploadCheck = { ok: true; value: CheckedUpload } | UploadRefusal;

/** The error an operation raises for a refused upload. */
export const refusal = (r: UploadRefusal) => new AppError(r.code, r.message, { params: r.params, issues: r.issues });

const bad = (code: string, path: string, message: string, params: ErrorParams = {}): UploadRefusal =>
  ({ ok: false, code, message, params, issues: [{ code, path: `body.${path}`, message, params }] });

/** Why a key is refused, or null: RSA of at least 2048 bits, or EC on P-256/P-384/P-521. */
export function keyWeakness(key: KeyObject): { code: string; message: string; params: ErrorParams } | null {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) return { code: 'certificate.weak_key', message: `the RSA key has ${bits} bits: at least ${MIN_RSA_BITS} are needed`, params: { keyType: 'rsa', bits, minimum: MIN_RSA_BITS } };
    return null;
  }
  if (type === 'ec') {
    const curve = details.namedCurve ?? 'unknown';
    if (!EC_CURVES[curve]) return { code: 'certificate.weak_key', message: `the EC key is on the curve ${curve}: use P-256, P-384 or P-521`, params: { keyType: 'ec', curve } };
    return null;
  }
  return { code: 'certificate.key_type_unsupported', message: `${type} keys are not supported: use an RSA (at least ${MIN_RSA_BITS} bits) or an EC (P-256, P-384, P-521) key`, params: { keyType: type } };
}

/**
 * The names of a certificate the site may not use: anything that is not its domain or one of its
 * aliases (a wildcard *.x only when x is one of them), and every name under the platform's domain.
 */
export function foreignNames(certNames: string[], siteNames: string[], platformDomain: string | null): string[] {
  return certNames.filter((n) => {
    const base = n.startsWith('*.') ? n.slice(2) : n;
    if (platformDomain && (base === platformDomain || base.endsWith(`.${platformDomain}`))) return true;
    return !siteNames.includes(base);
  });
}

/** The bases of the wildcards among a certificate's names (*.example.org → example.org). */
export const wildcardBases = (names: string[]) => names.filter((n) => n.startsWith('*.')).map((n) => n.slice(2));

/** Checks an uploaded certificate for a site whose names are `siteNames` (domain first). */
export function checkUpload(body: z.infer<typeof certificateUpload>, siteNames: string[], platformDomain: string | null, now: Date): UploadCheck {
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
  let key: KeyObject;
  try {
    key = createPrivateKey(body.privateKey);
  } catch (e) {
    return bad('certificate.invalid', 'privateKey', `the private key cannot be read (PEM, unencrypted): ${(e as Error).message.replace(/^error:[^:]*:/, '')}`);
  }
  const weak = keyWeakness(key) ?? keyWeakness(leaf.publicKey);
  if (weak) return bad(weak.code, 'privateKey', weak.message, weak.params);
  if (!leaf.checkPrivateKey(key)) return bad('certificate.key_mismatch', 'privateKey', 'the private key does not match the certificate');
  if (leaf.ca) return bad('certificate.ca_certificate', 'certificate', 'this is a CA certificate (basic constraints CA:TRUE), not a certificate for a site');
  const usages = leaf.keyUsage;
  if (usages && !usages.includes(SERVER_AUTH) && !usages.includes(ANY_USAGE)) {
    return bad('certificate.not_for_servers', 'certificate', 'the certificate is not meant for web servers (its extended key usage lacks serverAuth)', { usages });
  }
  if (info.notAfter.getTime() <= now.getTime()) return bad('certificate.expired', 'certificate', `the certificate expired on ${info.notAfter.toISOString()}`, { notAfter: info.notAfter.toISOString() });
  if (info.notBefore.getTime() > now.getTime() + SKEW_MS) {
    return bad('certificate.not_yet_valid', 'certificate', `the certificate is valid only from ${info.notBefore.toISOString()}`, { notBefore: info.notBefore.toISOString() });
  }
  const foreign = foreignNames(info.names, siteNames, platformDomain);
  if (foreign.length) return foreignNamesRefused(foreign, siteNames);
  const missing = uncovered(info.names, siteNames);
  if (missing.length) {
    return bad('certificate.names_mismatch', 'certificate', `the certificate does not cover ${missing.join(', ')} (it covers ${info.names.join(', ') || 'no name'})`, { missing, names: info.names });
  }
  return { ok: true, value: { info, certPem: `${blocks[0]}\n`, chainPem: chainBlocks.map((c) => `${c}\n`).join(''), keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString() } };
}

/** The refusal of names that are not the site's. */
export const foreignNamesRefused = (names: string[], siteNames: string[]): UploadRefusal =>
  bad('certificate.foreign_names', 'certificate',
    `the certificate also names ${names.join(', ')}, which are not names of this site (${siteNames.join(', ')}): a certificate may only name its site`,
    { names, siteNames });
