// Re-checks of zone data before it reaches a zone file or PowerDNS's database (defence in depth):
// the very functions the API validates with (names.ts, records.ts), so whatever the API accepted
// renders, and anything else (a newline, a quote, a name Abri never writes) is refused.
import { normaliseDomain } from '../platform/names.js';
import { renderError } from '../platform/render.js';
import { ownerName } from './names.js';
import { recordContent, recordTypes, type RecordType } from './records.js';

/** A zone name: a normalised host name. */
export function checkZoneName(what: string, v: unknown): string {
  if (typeof v !== 'string') throw renderError(what, v, 'must be a string');
  const r = normaliseDomain(v);
  if (!r.ok) throw renderError(what, v, r.reason);
  if (r.value !== v) throw renderError(what, v, `must already be normalised (${r.value})`);
  return v;
}

/** An owner name inside its zone, as the records API stores it (absolute, no final dot). */
export function checkOwnerName(what: string, v: unknown, zone: string): string {
  if (typeof v !== 'string') throw renderError(what, v, 'must be a string');
  const r = ownerName(`${v}.`, zone);
  if (!r.ok) throw renderError(what, v, r.reason);
  if (r.value !== v) throw renderError(what, v, `must already be normalised (${r.value})`);
  return v;
}

const isRecordType = (t: string): t is RecordType => (recordTypes as readonly string[]).includes(t);

/** A record's content in the canonical form the records API stores (the SOA: seven fields, no control characters). */
export function checkContent(what: string, type: string, v: unknown): string {
  if (typeof v !== 'string' || /[\u0000-\u001f\u007f]/.test(v)) throw renderError(what, v, 'contains control characters');
  if (type === 'SOA') {
    if (v.trim().split(/\s+/).length !== 7) throw renderError(what, v, 'must have 7 fields');
    return v;
  }
  if (!isRecordType(type)) throw renderError(what, type, 'is not a record type Abri writes');
  const r = recordContent(type, v);
  if (!r.ok) throw renderError(what, v, r.reason);
  if (r.value !== v) throw renderError(what, v, `must already be in canonical form (${r.value})`);
  return v;
}
