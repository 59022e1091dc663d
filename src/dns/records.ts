// Pure rules for DNS records: per-type content checks that turn what a user types into the canonical
// presentation form PowerDNS stores (so desired and actual content compare equal), and the rules of
// a name (CNAME exclusivity, no CNAME at the apex, NS only to delegate a sub-domain).
import { isIPv4, isIPv6 } from 'node:net';
import type { Checked } from '../platform/names.js';
import { inZone, targetName } from './names.js';

export const recordTypes = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'CAA', 'NS'] as const;
export type RecordType = (typeof recordTypes)[number];

export const TTL_MIN = 60;
export const TTL_MAX = 604_800;
/** A TXT record's text may span several 255-byte strings; this bounds the whole record. */
export const TXT_MAX_BYTES = 2048;

const u16 = (s: string) => /^\d{1,5}$/.test(s) && Number(s) <= 65535;
const fail = (reason: string): Checked<string> => ({ ok: false, reason });

/** An IPv6 address as PowerDNS prints it (lower case, longest run of zeros compressed). */
export function ipv6Canonical(v: string): string {
  return new URL(`http://[${v}]/`).hostname.slice(1, -1);
}

/**
 * IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses: PowerDNS prints them back
 * in dotted form but refuses that form as input, so no content would ever compare equal (and they
 * are no use on the public Internet: an IPv4 address belongs in an A record).
 */
function embedsIPv4(canonical: string): boolean {
  const words = (x: string | undefined) => (x ? x.split(':').map((w) => parseInt(w, 16)) : []);
  const [head, tail] = canonical.split('::');
  const h = words(head);
  const t = words(tail);
  const n = tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  return n.slice(0, 5).every((w) => w === 0) && (n[5] === 0xffff || (n[5] === 0 && n[6] !== 0));
}

/** One DNS character-string (at most 255 bytes), quoted: `"` and `\\` escaped, other non-printables as \\DDD. */
function quoteBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${String(b).padStart(3, '0')}`;
  }
  return `"${out}"`;
}

/** Splits a TXT text into DNS character-strings of at most 255 bytes, quoted and escaped. */
export function quoteTxt(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  const parts: string[] = [];
  for (let i = 0; i < bytes.length || parts.length === 0; i += 255) parts.push(quoteBytes(bytes.subarray(i, i + 255)));
  return parts.join(' ');
}

/** Parses quoted character-strings ("a" "b\"c"); returns the raw bytes of each, or a reason. */
export function parseQuoted(input: string): { ok: true; parts: Buffer[] } | { ok: false; reason: string } {
  const parts: Buffer[] = [];
  let i = 0;
  const s = input.trim();
  while (i < s.length) {
    if (s[i] === ' ' || s[i] === '\t') {
      i++;
      continue;
    }
    if (s[i] !== '"') return { ok: false, reason: 'text in quotes must be a list of "quoted strings" separated by spaces' };
    i++;
    const bytes: number[] = [];
    let closed = false;
    while (i < s.length) {
      const c = s[i];
      if (c === '"') {
        closed = true;
        i++;
        break;
      }
      if (c === '\\') {
        const d = /^\d{3}/.exec(s.slice(i + 1, i + 4));
        if (d) {
          if (Number(d[0]) > 255) return { ok: false, reason: `\\${d[0]} is not a byte` };
          bytes.push(Number(d[0]));
          i += 4;
        } else if (i + 1 < s.length) {
          // a whole code point (an emoji is two UTF-16 units: encoding one alone gives U+FFFD)
          const escaped = String.fromCodePoint(s.codePointAt(i + 1)!);
          bytes.push(...Buffer.from(escaped, 'utf8'));
          i += 1 + escaped.length;
        } else return { ok: false, reason: 'ends with a lone backslash' };
        continue;
      }
      const char = String.fromCodePoint(s.codePointAt(i)!);
      bytes.push(...Buffer.from(char, 'utf8'));
      i += char.length;
    }
    if (!closed) return { ok: false, reason: 'has an unclosed quote' };
    if (bytes.length > 255) return { ok: false, reason: 'has a quoted string longer than 255 bytes (split it into several "…" "…")' };
    parts.push(Buffer.from(bytes));
  }
  if (!parts.length) return { ok: false, reason: 'must not be empty' };
  return { ok: true, parts };
}

function txtContent(input: string): Checked<string> {
  // a tab is kept (as \009); C1 controls include NEL (U+0085), a line break
  if (/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/.test(input)) return fail('must not contain line breaks or control characters');
  const trimmed = input.trim();
  if (!trimmed) return fail('must not be empty');
  if (trimmed.startsWith('"')) {
    const q = parseQuoted(trimmed);
    if (!q.ok) return fail(q.reason);
    const total = q.parts.reduce((n, p) => n + p.length, 0);
    if (total > TXT_MAX_BYTES) return fail(`must be at most ${TXT_MAX_BYTES} bytes`);
    return { ok: true, value: q.parts.map(quoteBytes).join(' ') };
  }
  if (Buffer.byteLength(trimmed, 'utf8') > TXT_MAX_BYTES) return fail(`must be at most ${TXT_MAX_BYTES} bytes`);
  return { ok: true, value: quoteTxt(trimmed) };
}

function caaContent(input: string): Checked<string> {
  const m = /^(\d{1,3})\s+([A-Za-z0-9]{1,15})\s+(.+)$/.exec(input.trim());
  if (!m || Number(m[1]) > 255) return fail('must be "FLAGS TAG VALUE", e.g. 0 issue "letsencrypt.org"');
  const tag = m[2].toLowerCase();
  if (!['issue', 'issuewild', 'iodef'].includes(tag)) return fail('tag must be issue, issuewild or iodef');
  let value = m[3].trim();
  if (value.startsWith('"')) {
    const q = parseQuoted(value);
    if (!q.ok || q.parts.length !== 1) return fail('value must be one "quoted string"');
    value = q.parts[0].toString('utf8');
  }
  if (!/^[\x21-\x7e ]*$/.test(value) || value.includes('"') || value.includes('\\')) return fail('value must be printable ASCII without quotes or backslashes');
  if (tag === 'iodef' && !/^(mailto:|https?:\/\/)\S+$/.test(value)) return fail('an iodef value must be a mailto: or http(s):// URL');
  if (tag !== 'iodef' && value !== ';' && !/^[a-z0-9.-]*[a-z0-9](\s*;.*)?$/i.test(value)) return fail('an issue value must be a CA domain like letsencrypt.org (or ";" to forbid every CA)');
  return { ok: true, value: `${Number(m[1])} ${tag} "${value}"` };
}

/** Canonical content of a record of this type, or the reason it is not valid. */
export function recordContent(type: RecordType, input: string): Checked<string> {
  if (typeof input !== 'string') return fail('must be text');
  if (input.length > 4000) return fail('is too long');
  const s = input.trim();
  switch (type) {
    case 'A':
      return isIPv4(s) ? { ok: true, value: s } : fail('must be an IPv4 address like 192.0.2.10');
    case 'AAAA': {
      if (!isIPv6(s) || s.includes('%')) return fail('must be an IPv6 address like 2001:db8::10');
      const v6 = ipv6Canonical(s);
      return embedsIPv4(v6) ? fail('must be a native IPv6 address, not an IPv4-mapped or IPv4-compatible one (put IPv4 addresses in an A record)') : { ok: true, value: v6 };
    }
    case 'CNAME':
    case 'NS':
      return targetName(s);
    case 'MX': {
      const m = /^(\d{1,5})\s+(\S+)$/.exec(s);
      if (!m || !u16(m[1])) return fail('must be "PRIORITY HOST", e.g. 10 mx1.example.net (priority 0–65535)');
      const host = targetName(m[2], true);
      if (!host.ok) return fail(`host ${host.reason}`);
      // RFC 7505: "." (no mail accepted) is the null MX, whose priority is 0
      if (host.value === '.' && Number(m[1]) !== 0) return fail('the null MX "." (this domain accepts no mail) must have priority 0: 0 .');
      return { ok: true, value: `${Number(m[1])} ${host.value}` };
    }
    case 'SRV': {
      const m = /^(\d{1,5})\s+(\d{1,5})\s+(\d{1,5})\s+(\S+)$/.exec(s);
      if (!m || ![m[1], m[2], m[3]].every(u16)) return fail('must be "PRIORITY WEIGHT PORT TARGET", e.g. 10 5 5060 sip.example.net (numbers 0–65535)');
      const host = targetName(m[4], true);
      if (!host.ok) return fail(`target ${host.reason}`);
      return { ok: true, value: `${Number(m[1])} ${Number(m[2])} ${Number(m[3])} ${host.value}` };
    }
    case 'TXT':
      return txtContent(input);
    case 'CAA':
      return caaContent(s);
  }
}

/** What an owner name may hold, given its type (SRV needs _service._proto, NS only below the apex). */
export function checkOwner(type: RecordType, name: string, zone: string): string | null {
  const first = name.split('.')[0];
  if (type === 'CNAME' && name === zone) return 'a CNAME cannot be at the apex of the zone (it would hide its SOA and NS)';
  if (type === 'NS' && name === zone) return 'the name servers of the zone itself are managed by the platform; NS records here delegate a sub-domain';
  if (type === 'NS' && first === '*') return 'a sub-domain cannot be delegated to a wildcard';
  if (type === 'SRV' && !/^_[a-z0-9-]+\._(tcp|udp|tls|sctp)\./.test(`${name}.`)) return 'an SRV name must start with _service._protocol, e.g. _sip._tcp';
  if (!inZone(name, zone)) return `must be in the zone ${zone}`;
  return null;
}

export interface RecordLike {
  name: string;
  type: string;
  content: string;
}

/**
 * The conflicts a set of records would have at one name (the records of the whole zone, new ones
 * included): a CNAME must be alone at its name, and a name holds at most one CNAME.
 */
export function nameConflicts(records: RecordLike[]): Array<{ name: string; reason: string }> {
  const byName = new Map<string, RecordLike[]>();
  for (const r of records) (byName.get(r.name) ?? byName.set(r.name, []).get(r.name)!).push(r);
  const out: Array<{ name: string; reason: string }> = [];
  for (const [name, rs] of byName) {
    const cnames = rs.filter((r) => r.type === 'CNAME');
    if (cnames.length > 1) out.push({ name, reason: `${name} has more than one CNAME` });
    else if (cnames.length === 1 && rs.length > 1) {
      const other = rs.find((r) => r.type !== 'CNAME')!;
      out.push({ name, reason: `${name} has a CNAME, which must be alone at its name (there is also a ${other.type} record)` });
    }
  }
  return out;
}
