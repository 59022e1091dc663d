// The bulk path's SQL (many zones changed in one transaction): only A/AAAA/TXT, quoted safely,
// SOA serials raised as SOA-EDIT-API DEFAULT does. Run for real in test/dns-certs.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bulkable, nextSerial, renderBulkSql, storedSoa } from '../src/dns/render-bulk.js';

const A = (name: string, ...ips: string[]) => ({ name: `${name}.`, type: 'A', changetype: 'REPLACE' as const, ttl: 300, records: ips.map((content) => ({ content, disabled: false })) });

test('serials go to YYYYMMDD01, or one more when already there or beyond', () => {
  const now = new Date('2026-11-26T10:00:00Z');
  assert.equal(nextSerial(2026112503, now), 2026112601);
  assert.equal(nextSerial(2026112601, now), 2026112602);
  assert.equal(nextSerial(2026112699, now), 2026112700);
  assert.equal(nextSerial(1, now), 2026112601);
});

test('the SOA is stored without final dots, with the new serial', () => {
  assert.equal(storedSoa('ns1.abri.test. hostmaster.abri.test. 0 10800 3600 604800 300', 2026112601), 'ns1.abri.test hostmaster.abri.test 2026112601 10800 3600 604800 300');
  assert.throws(() => storedSoa('ns1.abri.test. 0', 1), /7 fields/);
});

test('only A, AAAA and TXT rrsets go in bulk', () => {
  assert.ok(bulkable([A('example.org', '192.0.2.1'), { name: 'x.example.org.', type: 'TXT', changetype: 'DELETE' }]));
  assert.ok(!bulkable([A('example.org', '192.0.2.1'), { name: 'example.org.', type: 'MX', changetype: 'REPLACE', ttl: 60, records: [{ content: '10 mx.example.net.', disabled: false }] }]));
  assert.ok(!bulkable([]));
});

test('one transaction: delete and insert each rrset, raise each serial; quotes doubled; bad input refused', () => {
  const now = new Date('2026-11-26T10:00:00Z');
  const { sql, serials } = renderBulkSql([
    { zone: 'example.org', serial: 2026112605, soa: 'ns1.abri.test. hostmaster.abri.test. 0 10800 3600 604800 300', changes: [A('example.org', '192.0.2.2'), A('www.example.org', '192.0.2.2', '192.0.2.3')] },
    { zone: 'other.org', serial: 7, soa: 'ns1.abri.test. hostmaster.abri.test. 0 10800 3600 604800 300', changes: [
      { name: 'other.org.', type: 'TXT', changetype: 'REPLACE', ttl: 3600, records: [{ content: `"it's"`, disabled: false }] },
      { name: 'old.other.org.', type: 'A', changetype: 'DELETE' },
    ] },
  ], now);
  assert.deepEqual([...serials], [['example.org', 2026112606], ['other.org', 2026112601]]);
  const lines = sql.trim().split('\n');
  assert.deepEqual(lines.slice(0, 3), ['.bail on', '.timeout 30000', 'BEGIN IMMEDIATE;']);
  assert.equal(lines.at(-1), 'COMMIT;');
  assert.equal(lines.filter((l) => l.startsWith('INSERT')).length, 4);
  assert.equal(lines.filter((l) => l.startsWith('DELETE')).length, 4);
  assert.ok(lines.includes(`INSERT INTO records (domain_id, name, type, content, ttl, prio, disabled, auth) SELECT id, 'other.org', 'TXT', '"it''s"', 3600, 0, 0, 1 FROM domains WHERE name = 'other.org';`));
  assert.ok(lines.includes(`UPDATE records SET content = 'ns1.abri.test hostmaster.abri.test 2026112606 10800 3600 604800 300' WHERE domain_id = (SELECT id FROM domains WHERE name = 'example.org') AND type = 'SOA';`));
  // marked notified: the agent sends the NOTIFYs itself, paced (PowerDNS would send them in one burst)
  assert.ok(lines.includes(`UPDATE domains SET notified_serial = 2026112606 WHERE name = 'example.org';`));
  assert.throws(() => renderBulkSql([{ zone: "x.org'; DROP TABLE records; --", serial: 1, soa: 'a. b. 0 1 1 1 1', changes: [A('x.org', '192.0.2.1')] }], now), /zone/);
  assert.throws(() => renderBulkSql([{ zone: 'x.org', serial: 1, soa: 'a. b. 0 1 1 1 1', changes: [{ ...A('x.org', '192.0.2.1'), records: [{ content: 'a\nb', disabled: false }] }] }], now), /control characters/);
  assert.throws(() => renderBulkSql([{ zone: 'x.org', serial: 1, soa: 'a. b. 0 1 1 1 1', changes: [{ name: 'x.org.', type: 'MX', changetype: 'DELETE' }] }], now), /not a type the bulk path writes/);
});
