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

/** Rows per INSERT … VALUES statement (sqlite3 parses one statement for all of them). */
const ROWS_PER_INSERT = 500;

/**
 * The sqlite3 script (read on its standard input) applying every change in one transaction: the
 * changes go into temporary tables a few hundred rows per statement, then four statements apply
 * them all (a statement per record cost 4 s for a renumbering of 10,000 zones, mostly parsing).
 */
export function renderBulkSql(zones: BulkZoneChange[], now: Date): { sql: string; serials: Map<string, number> } {
  const serials = new Map<string, number>();
  const rrsets: string[] = [];
  const records: string[] = [];
  const soas: string[] = [];
  for (const z of zones) {
    const zone = literal('zone', checkZoneName('zone', z.zone));
    for (const c of z.changes) {
      if (!BULK_TYPES.has(c.type)) throw renderError(`bulk change of ${z.zone}`, c.type, 'is not a type the bulk path writes');
      const owner = literal('owner name', checkOwnerName('owner name', c.name.replace(/\.$/, ''), z.zone));
      rrsets.push(`(${zone}, ${owner}, '${c.type}')`);
      if (c.changetype !== 'REPLACE') continue;
      const ttl = Math.trunc(Number(c.ttl));
      if (!Number.isInteger(ttl) || ttl < 0 || ttl > 2_147_483_647) throw renderError(`TTL of ${c.name}`, c.ttl, 'is not a TTL');
      for (const r of c.records ?? []) records.push(`(${zone}, ${owner}, '${c.type}', ${literal('content', checkContent(`${c.type} record of ${c.name}`, c.type, r.content))}, ${ttl})`);
    }
    const serial = nextSerial(z.serial, now);
    serials.set(z.zone, serial);
    soas.push(`(${zone}, ${literal('SOA', storedSoa(z.soa, serial))}, ${serial})`);
  }
  const inserts = (table: string, rows: string[]) => {
    const out: string[] = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) out.push(`INSERT INTO ${table} VALUES ${rows.slice(i, i + ROWS_PER_INSERT).join(', ')};`);
    return out;
  };
  const lines = [
    '.bail on', '.timeout 30000', 'BEGIN IMMEDIATE;',
    'CREATE TEMP TABLE abri_rrsets (zone TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL);',
    'CREATE TEMP TABLE abri_records (zone TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, content TEXT NOT NULL, ttl INTEGER NOT NULL);',
    'CREATE TEMP TABLE abri_soas (zone TEXT PRIMARY KEY, content TEXT NOT NULL, serial INTEGER NOT NULL);',
    ...inserts('abri_rrsets', rrsets), ...inserts('abri_records', records), ...inserts('abri_soas', soas),
    // each rrset replaced: its records deleted, the new ones inserted
    'DELETE FROM records WHERE id IN (SELECT r.id FROM abri_rrsets c JOIN domains d ON d.name = c.zone JOIN records r ON r.domain_id = d.id AND r.name = c.name AND r.type = c.type);',
    'INSERT INTO records (domain_id, name, type, content, ttl, prio, disabled, auth) SELECT d.id, c.name, c.type, c.content, c.ttl, 0, 0, 1 FROM abri_records c JOIN domains d ON d.name = c.zone;',
    // each zone's serial raised, and marked notified (the agent notifies the secondaries itself)
    "UPDATE records SET content = s.content FROM abri_soas s JOIN domains d ON d.name = s.zone WHERE records.domain_id = d.id AND records.type = 'SOA';",
    'UPDATE domains SET notified_serial = s.serial FROM abri_soas s WHERE domains.name = s.zone;',
    'DROP TABLE abri_rrsets;', 'DROP TABLE abri_records;', 'DROP TABLE abri_soas;',
    'COMMIT;', '',
  ];
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
