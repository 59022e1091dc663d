// Pure rules for the names a site is reached by and the directory it is served from: ONE function
// per kind of name, used by the API's schemas and by every renderer (a renderer re-checks with the
// same function, so whatever the API accepts renders). Kinds: a host name (domain, alias, the
// platform name of a site, a zone), the names a customer may take (registrable, not reserved), one
// label (a site's label under the platform domain), a document root. Record owner names and
// contents are DNS's (dns/names.ts, dns/records.ts), built on the same host name rule.
import { domainToASCII, domainToUnicode } from 'node:url';
import { getPublicSuffix } from 'tldts';
import { mixedScripts } from './scripts.js';

const asciiLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
// what a label may hold once decoded (IDNA 2008: letters, marks, digits, hyphens; the middle dots
// and geresh of the few scripts that need them); no symbols, emoji, joiners or bidi controls
const unicodeLabel = /^[\p{L}\p{M}\p{N}\u00b7\u0375\u05f3\u05f4\u30fb-]+$/u;
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string; code?: string; params?: Record<string, string | number> };

const fail = (code: string, reason: string, params?: Record<string, string | number>): { ok: false; reason: string; code: string; params?: Record<string, string | number> } =>
  ({ ok: false, reason, code, ...(params ? { params } : {}) });

/** Why one ASCII label (of a host name already converted by IDNA) is refused, or null. */
function labelProblem(label: string) {
  if (!asciiLabel.test(label)) return fail('domain.label_invalid', `has an invalid label "${label}" (letters, digits and inner hyphens, 1–63 characters)`, { label });
  if (!label.startsWith('xn--')) return null;
  const unicode = domainToUnicode(label);
  if (!unicode || domainToASCII(unicode) !== label) return fail('domain.label_invalid', `has an invalid label "${label}" (not a valid internationalised label)`, { label });
  if (!unicodeLabel.test(unicode)) return fail('domain.label_invalid', `has a label "${unicode}" with characters other than letters, digits and hyphens`, { label: unicode });
  const scripts = mixedScripts(unicode);
  if (scripts) return fail('domain.mixed_scripts', `has a label "${unicode}" that mixes scripts (${scripts.join(', ')}): each label is written in one script`, { label: unicode, scripts: scripts.join(', ') });
  return null;
}

/**
 * A host name, IDNA-normalised: lower-case ASCII (punycode), no trailing dot, at least two labels,
 * no IP literal, every label valid once decoded (letters, digits, hyphens; one script per label).
 */
export function normaliseDomain(input: string): Checked<string> {
  if (typeof input !== 'string') return fail('domain.invalid', 'must be text');
  if (controls.test(input)) return fail('domain.invalid', 'must not contain control characters or line breaks');
  const trimmed = input.replace(/^ +| +$/g, '');
  if (!trimmed) return fail('domain.invalid', 'must not be empty');
  if (trimmed.length > 300) return fail('domain.too_long', 'is too long');
  if (/[\s/\\:@?#[\]*%]/.test(trimmed)) return fail('domain.invalid', 'must be a domain name like example.org (no spaces, slashes, ports or wildcards)');
  const withoutDot = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  const ascii = domainToASCII(withoutDot);
  if (!ascii) return fail('domain.invalid', 'is not a valid domain name');
  if (ascii.length > 253) return fail('domain.too_long', 'must be at most 253 characters');
  const labels = ascii.split('.');
  if (labels.length < 2) return fail('domain.one_label', 'must have at least two labels (like example.org)');
  for (const l of labels) {
    const problem = labelProblem(l);
    if (problem) return problem;
  }
  if (/^\d+$/.test(labels.at(-1)!)) return fail('domain.ip_address', 'must be a domain name, not an IP address');
  return { ok: true, value: ascii };
}

/** A host name as people read it (Unicode); the ASCII form when it cannot be decoded. */
export const displayDomain = (ascii: string) => domainToUnicode(ascii) || ascii;

/** Text for accent- and case-insensitive search and sorting: Unicode, lower case, accents dropped. */
export const foldText = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().normalize('NFC');

/** A host name folded for search and sorting (élan.fr, xn--lan-bma.fr → elan.fr). */
export const foldDomain = (ascii: string) => foldText(displayDomain(ascii));

/** What a site list searches besides its ASCII columns: its names and document root, folded. */
export const siteNamesFolded = (domain: string, aliases: string[], documentRoot: string) =>
  [foldDomain(domain), ...aliases.map(foldDomain), foldText(documentRoot)].join('\n');

/** Top-level names reserved for special use (RFC 6761, 6762, 7686, 9476…): never a customer's. */
const RESERVED_TLDS = ['invalid', 'localhost', 'local', 'onion', 'arpa', 'internal', 'alt', 'localdomain', 'home', 'corp', 'lan', 'intranet', 'private'];

/**
 * A name a customer may take (a site's domain or alias, a zone): not a public suffix (co.uk,
 * github.io: those belong to everyone registered under them), not a reserved name (default.invalid,
 * localhost, *.local, *.onion…). The .test and .example names stay usable (documentation, tests).
 */
export function checkRegistrable(ascii: string): Checked<string> {
  const tld = ascii.split('.').at(-1)!;
  if (RESERVED_TLDS.includes(tld)) return fail('domain.reserved', `${displayDomain(ascii)} is a reserved name (.${tld} is never published on the Internet)`, { tld });
  if (getPublicSuffix(ascii, { allowPrivateDomains: true }) === ascii) {
    return fail('domain.public_suffix', `${displayDomain(ascii)} is a public suffix (like co.uk or github.io): use a name registered under it`, { suffix: displayDomain(ascii) });
  }
  return { ok: true, value: ascii };
}

/**
 * One label of the platform domain (a site's <label>.<platform domain>): one DNS label, IDNA-
 * normalised like the labels of a host name (so <label>.<anything valid> is a valid host name).
 */
export function normaliseLabel(input: string): Checked<string> {
  if (typeof input !== 'string') return fail('label.invalid', 'must be text');
  const s = input.trim().toLowerCase();
  if (!s || s.includes('.') || s.length > 63) return fail('label.invalid', 'must be one DNS label: letters, digits and inner hyphens, 1–63 characters');
  const r = normaliseDomain(`${s}.invalid`);
  if (!r.ok) return { ...r, code: r.code === 'domain.mixed_scripts' ? 'label.mixed_scripts' : 'label.invalid' };
  const label = r.value.slice(0, -'.invalid'.length);
  if (label.length > 63 || label.includes('.')) return fail('label.invalid', 'must be one DNS label of at most 63 characters');
  return { ok: true, value: label };
}

// A path segment: letters (any script), marks, digits, and . _ ~ + @ - (not first: the dot).
// Nothing else reaches a config file: no quote, backslash, space, $, %, control or format character.
const segment = /^[\p{L}\p{M}\p{N}_~+@-][\p{L}\p{M}\p{N}._~+@-]*$/u;

/**
 * A document root relative to the hosting's var/www/: no absolute path, no `.`/`..`, letters of any
 * script (NFC), digits and . _ ~ + @ -; each segment at most 255 bytes (what a file system holds).
 */
export function normaliseDocumentRoot(input: string): Checked<string> {
  if (typeof input !== 'string') return fail('document_root.invalid', 'must be text');
  if (controls.test(input)) return fail('document_root.invalid', 'must not contain control characters or line breaks');
  const s = input.normalize('NFC').replace(/^ +| +$/g, '').replace(/\/+$/, '');
  if (s.length > 200) return fail('document_root.too_long', 'must be at most 200 characters');
  if (s.startsWith('/')) return fail('document_root.absolute', 'must be relative to the hosting\'s var/www/ (no leading /)');
  if (s === '') return { ok: true, value: '' };
  for (const part of s.split('/')) {
    if (part === '' || part === '.' || part === '..') return fail('document_root.invalid', 'must not contain empty, "." or ".." segments');
    if (!segment.test(part)) return fail('document_root.invalid', `segment "${part}" may only use letters, digits and . _ ~ + @ -`, { segment: part });
    if (Buffer.byteLength(part, 'utf8') > 255) return fail('document_root.too_long', 'each segment must be at most 255 bytes');
  }
  return { ok: true, value: s };
}

/** A new site's document root: the domain as people read it (var/www/café-exemple.fr), else its ASCII form. */
export function defaultDocumentRoot(ascii: string): string {
  const unicode = normaliseDocumentRoot(displayDomain(ascii));
  return unicode.ok && unicode.value ? unicode.value : ascii;
}

/** Every public name of a site: domain, aliases, and its platform name (<label>.<platform domain>). */
export const siteNamesOf = (s: { domain: string; aliases: string[]; platformLabel: string | null }, platformDomain: string | null) =>
  [s.domain, ...s.aliases, ...(s.platformLabel && platformDomain ? [`${s.platformLabel}.${platformDomain}`] : [])];

/** The reserved pattern (ABRI_RESERVED_LABELS, * = any characters) a label matches, or null. */
export function reservedPattern(label: string, patterns: string[]): string | null {
  return patterns.find((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*')}$`).test(label)) ?? null;
}
