// Pure rules for DNS names: which zone a host name belongs to, and record owner names inside a zone.
import { domainToASCII, domainToUnicode } from 'node:url';
import { getDomain } from 'tldts';
import type { Checked } from '../platform/names.js';

/** The registered domain of a host name (www.example.org → example.org, a.example.co.uk → example.co.uk), or null. */
export function registeredDomain(host: string): string | null {
  return getDomain(host, { allowPrivateDomains: true });
}

/** The zone a name falls in: the longest of `zones` that is the name or one of its parents. */
export function zoneFor(name: string, zones: { has(zone: string): boolean }): string | null {
  const labels = name.split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const candidate = labels.slice(i).join('.');
    if (zones.has(candidate)) return candidate;
  }
  return null;
}

/** True when `name` is `zone` or below it. */
export const inZone = (name: string, zone: string) => name === zone || name.endsWith(`.${zone}`);

/** The owner name as written in a zone file: "@" for the apex, else relative to the zone (absolute, with the final dot, when outside it). */
export const relativeName = (name: string, zone: string) =>
  name === zone ? '@' : inZone(name, zone) ? name.slice(0, -(zone.length + 1)) : `${name}.`;

export const displayName = (ascii: string) =>
  ascii
    .split('.')
    .map((l) => (l.startsWith('xn--') ? domainToUnicode(l) || l : l))
    .join('.');

const hostLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
// owner names may also hold service labels (_dmarc, _sip._tcp) and a leading wildcard
const ownerLabel = /^(?=.{1,63}$)(?:_?[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?|_[a-z0-9])$/;
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function toAsciiLabels(input: string): string[] | null {
  const labels: string[] = [];
  for (const raw of input.split('.')) {
    if (raw === '') return null;
    // domainToASCII rejects underscores: convert only labels that are not plain ASCII
    const label = /^[\x20-\x7e]*$/.test(raw) ? raw.toLowerCase() : domainToASCII(raw);
    if (!label) return null;
    labels.push(label);
  }
  return labels;
}

/**
 * The absolute owner name of a record typed in a zone: "@" or "" is the apex, "www" is relative,
 * "www.example.org" and "www.example.org." are absolute; "*" may lead (wildcard). ASCII, no dot.
 */
export function ownerName(input: string, zone: string): Checked<string> {
  if (controls.test(input)) return { ok: false, reason: 'must not contain control characters or line breaks' };
  let s = input.trim().toLowerCase();
  if (s === '' || s === '@') return { ok: true, value: zone };
  // 253 characters, plus the final dot of an absolute name
  if (s.replace(/\.$/, '').length > 253) return { ok: false, reason: 'is too long' };
  if (/[\s/\\:@?#[\]%"'`$;()]/.test(s)) return { ok: false, reason: 'may only use letters, digits, hyphens, underscores, dots and a leading *' };
  let absolute = false;
  if (s.endsWith('.')) {
    s = s.slice(0, -1);
    absolute = true;
  }
  const labels = toAsciiLabels(s);
  if (!labels) return { ok: false, reason: 'has an empty or invalid label' };
  let name = labels.join('.');
  if (absolute || inZone(name, zone)) {
    if (!inZone(name, zone)) return { ok: false, reason: `is not in the zone ${zone}` };
  } else name = `${name}.${zone}`;
  if (name.length > 253) return { ok: false, reason: 'must be at most 253 characters in all' };
  const own = name.slice(0, name.length - zone.length).replace(/\.$/, '').split('.').filter(Boolean);
  for (const [i, l] of own.entries()) {
    if (l === '*') {
      if (i !== 0) return { ok: false, reason: 'may only have * as its first label' };
      continue;
    }
    if (!ownerLabel.test(l)) return { ok: false, reason: `has an invalid label "${l}" (letters, digits, inner hyphens, a leading underscore; 1–63 characters)` };
  }
  return { ok: true, value: name };
}

/**
 * A host name inside record data (CNAME, MX, NS, SRV targets): absolute, with or without the final
 * dot, IDN to punycode; returned with the final dot as zone data writes it. "." alone is the root.
 */
export function targetName(input: string, allowRoot = false): Checked<string> {
  if (controls.test(input)) return { ok: false, reason: 'must not contain control characters or line breaks' };
  const s = input.trim().toLowerCase().replace(/\.$/, '');
  if (s === '') return allowRoot ? { ok: true, value: '.' } : { ok: false, reason: 'must be a host name' };
  if (/[\s/\\:@?#[\]%"'`$;()*]/.test(s)) return { ok: false, reason: 'must be a host name like host.example.org' };
  const labels = toAsciiLabels(s);
  if (!labels || labels.length < 2) return { ok: false, reason: 'must be a full host name with at least two labels, like host.example.org' };
  const bad = labels.find((l) => !hostLabel.test(l) && !/^_[a-z0-9-]{1,62}$/.test(l));
  if (bad !== undefined) return { ok: false, reason: `has an invalid label "${bad}"` };
  // no top-level domain is all digits: 192.0.2.1 is an address typed where a host name goes
  if (/^\d+$/.test(labels[labels.length - 1]!)) return { ok: false, reason: 'must be a host name, not an IP address (a CNAME, MX, NS or SRV target names a host)' };
  const name = labels.join('.');
  if (name.length > 253) return { ok: false, reason: 'must be at most 253 characters' };
  return { ok: true, value: `${name}.` };
}
