// Pure rules for the names a site is reached by and the directory it is served from.
import { domainToASCII, domainToUnicode } from 'node:url';

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** IDNA-normalises a domain: lower-case ASCII (punycode), no trailing dot, at least two labels, no IP literal. */
export function normaliseDomain(input: string): Checked<string> {
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(input)) return { ok: false, reason: 'must not contain control characters or line breaks' };
  const trimmed = input.replace(/^ +| +$/g, '');
  if (!trimmed) return { ok: false, reason: 'must not be empty' };
  if (trimmed.length > 300) return { ok: false, reason: 'is too long' };
  if (/[\s/\\:@?#[\]*%]/.test(trimmed) || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    return { ok: false, reason: 'must be a domain name like example.org (no spaces, slashes, ports or wildcards)' };
  }
  const withoutDot = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  const ascii = domainToASCII(withoutDot);
  if (!ascii) return { ok: false, reason: 'is not a valid domain name' };
  if (ascii.length > 253) return { ok: false, reason: 'must be at most 253 characters' };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, reason: 'must have at least two labels (like example.org)' };
  const bad = labels.find((l) => !label.test(l));
  if (bad !== undefined) return { ok: false, reason: `has an invalid label "${bad}" (letters, digits and inner hyphens, 1–63 characters)` };
  if (/^\d+$/.test(labels.at(-1)!)) return { ok: false, reason: 'must be a domain name, not an IP address' };
  return { ok: true, value: ascii };
}

export const displayDomain = (ascii: string) => domainToUnicode(ascii) || ascii;

const segment = /^[A-Za-z0-9_~+@-][A-Za-z0-9._~+@-]*$/;

/** A document root relative to the hosting's var/www/: no absolute path, no `.`/`..`, safe characters. */
export function normaliseDocumentRoot(input: string): Checked<string> {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(input)) return { ok: false, reason: 'must not contain control characters or line breaks' };
  const s = input.replace(/^ +| +$/g, '').replace(/\/+$/, '');
  if (s.length > 200) return { ok: false, reason: 'must be at most 200 characters' };
  if (s.startsWith('/')) return { ok: false, reason: 'must be relative to the hosting\'s var/www/ (no leading /)' };
  if (s === '') return { ok: true, value: '' };
  for (const part of s.split('/')) {
    if (part === '' || part === '.' || part === '..') return { ok: false, reason: 'must not contain empty, "." or ".." segments' };
    if (!segment.test(part)) return { ok: false, reason: `segment "${part}" may only use letters, digits and . _ ~ + @ -` };
  }
  return { ok: true, value: s };
}

/** Every public name of a site: domain, aliases, and its platform name (<label>.<platform domain>). */
export const siteNamesOf = (s: { domain: string; aliases: string[]; platformLabel: string | null }, platformDomain: string | null) =>
  [s.domain, ...s.aliases, ...(s.platformLabel && platformDomain ? [`${s.platformLabel}.${platformDomain}`] : [])];
