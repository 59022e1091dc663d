// Pure: one SQLite transaction that applies the same kind of change to many zones at once, straight
// into the database of the node's own PowerDNS. PowerDNS's API costs one database connection and one
// transaction per zone (≈ 2.5 ms each, and several times that while secondaries transfer): a
// renumbering of 10,000 zones would take minutes. Only rrsets whose stored form is the form the API
// shows (A, AAAA, TXT) go this way; each zone's SOA serial is raised as SOA-EDIT-API DEFAULT would,
// and marked notified: the agent sends those NOTIFYs itself, paced (apply-notify.ts), since PowerDNS
// would send them all in one burst.
import { renderError } from '../platform/render.js';
import type { PdnsRrsetChange } from './powerdns-api.js';
import { checkContent, checkOwnerName, checkZoneName } from './render-checks.js';

/** Types stored by PowerDNS's SQL backends exactly as the API presents them. */
export const BULK_TYPES = new Set(['A', 'AAAA', 'TXT']);

export interface BulkZoneChange {
  zone: string;
  /** the zone's serial now */
  serial: number;
  /** the desired SOA content (API form, serial ignored) */
  soa: string;
  changes: PdnsRrsetChange[];
}

/** Whether a zone's changes can go in bulk: only A, AAAA and TXT rrsets, replaced or deleted. */
export const bulkable = (changes: PdnsRrsetChange[]) => changes.length > 0 && changes.every((c) => BULK_TYPES.has(c.type));

/** The serial SOA-EDIT-API DEFAULT gives a changed zone: YYYYMMDD01, or one more than the current one. */
export function nextSerial(current: number, now: Date): number {
  const today = Number(`${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, '0')}${String(now.getUTCDate()).padStart(2, '0')}01`);
  return current >= today ? current + 1 : today;
}

/** SOA content as the SQL backends store it (names without their final dot) with the given serial. */
export function storedSoa(content: string, serial: number): string {
  const f = content.trim().split(/\s+/);
  if (f.length !== 7) throw renderError('SOA content', content, 'must have 7 fields');
  return [f[0]!.replace(/\.$/, ''), f[1]!.replace(/\.$/, ''), String(serial), ...f.slice(3)].join(' ');
}

const literal = (what: string, v: string) => {
  if (/[\u0000-\u001f\u007f]/.test(v) || v.length > 65_000) throw renderError(what, v, 'contains control characters or is too long');
  return `'${v.replace(/'/g, "''")}'`;
};

/** The sqlite3 script (read on its standard input) applying every change in one transaction. */
export function renderBulkSql(zones: BulkZoneChange[], now: Date): { sql: string; serials: Map<string, number> } {
  const serials = new Map<string, number>();
  const lines = ['.bail on', '.timeout 30000', 'BEGIN IMMEDIATE;'];
  for (const z of zones) {
    const zone = literal('zone', checkZoneName('zone', z.zone));
    const id = `(SELECT id FROM domains WHERE name = ${zone})`;
    for (const c of z.changes) {
      if (!BULK_TYPES.has(c.type)) throw renderError(`bulk change of ${z.zone}`, c.type, 'is not a type the bulk path writes');
      const owner = literal('owner name', checkOwnerName('owner name', c.name.replace(/\.$/, ''), z.zone));
      lines.push(`DELETE FROM records WHERE domain_id = ${id} AND name = ${owner} AND type = '${c.type}';`);
      if (c.changetype !== 'REPLACE') continue;
      const ttl = Math.trunc(Number(c.ttl));
      if (!Number.isInteger(ttl) || ttl < 0 || ttl > 2_147_483_647) throw renderError(`TTL of ${c.name}`, c.ttl, 'is not a TTL');
      for (const r of c.records ?? []) {
        const content = literal('content', checkContent(`${c.type} record of ${c.name}`, c.type, r.content));
        lines.push(`INSERT INTO records (domain_id, name, type, content, ttl, prio, disabled, auth) SELECT id, ${owner}, '${c.type}', ${content}, ${ttl}, 0, 0, 1 FROM domains WHERE name = ${zone};`);
      }
    }
    const serial = nextSerial(z.serial, now);
    serials.set(z.zone, serial);
    lines.push(`UPDATE records SET content = ${literal('SOA', storedSoa(z.soa, serial))} WHERE domain_id = ${id} AND type = 'SOA';`);
    lines.push(`UPDATE domains SET notified_serial = ${serial} WHERE name = ${zone};`);
  }
  lines.push('COMMIT;', '');
  return { sql: lines.join('\n'), serials };
}

/**
 * The sqlite3 script handing zones back to PowerDNS's own notifications (their NOTIFYs went
 * unanswered, or the agent stopped before sending them): a zone whose notified serial is not its
 * serial is notified by PowerDNS within xfr-cycle-interval.
 */
export function renderRenotifySql(zones: string[]): string {
  const lines = ['.bail on', '.timeout 30000', 'BEGIN IMMEDIATE;'];
  for (const z of zones) lines.push(`UPDATE domains SET notified_serial = NULL WHERE name = ${literal('zone', checkZoneName('zone', z))};`);
  lines.push('COMMIT;', '');
  return lines.join('\n');
}
