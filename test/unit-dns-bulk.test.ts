// The bulk path's SQL (many zones changed in one transaction): only A/AAAA/TXT, quoted safely,
// SOA serials raised as SOA-EDIT-API DEFAULT does, zones marked notified; run on PowerDNS's own
// SQLite schema here, and through PowerDNS in test/dns-certs-zones.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bulkable, nextSerial, renderBulkSql, storedSoa } from '../src/dns/render-bulk.js';
import { LocalExecutor } from '../src/platform/executor.js';

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

const SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';

test('one transaction: each rrset replaced or deleted, each serial raised and marked notified; quotes doubled; bad input refused', async () => {
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
  assert.ok(lines.includes(`INSERT INTO abri_records VALUES ('example.org', 'example.org', 'A', '192.0.2.2', 300), ('example.org', 'www.example.org', 'A', '192.0.2.2', 300), ('example.org', 'www.example.org', 'A', '192.0.2.3', 300), ('other.org', 'other.org', 'TXT', '"it''s"', 3600);`));
  assert.ok(lines.includes(`INSERT INTO abri_rrsets VALUES ('example.org', 'example.org', 'A'), ('example.org', 'www.example.org', 'A'), ('other.org', 'other.org', 'TXT'), ('other.org', 'old.other.org', 'A');`));
  assert.ok(lines.includes(`INSERT INTO abri_soas VALUES ('example.org', 'ns1.abri.test hostmaster.abri.test 2026112606 10800 3600 604800 300', 2026112606), ('other.org', 'ns1.abri.test hostmaster.abri.test 2026112601 10800 3600 604800 300', 2026112601);`));
  assert.throws(() => renderBulkSql([{ zone: "x.org'; DROP TABLE records; --", serial: 1, soa: 'a. b. 0 1 1 1 1', changes: [A('x.org', '192.0.2.1')] }], now), /zone/);
  assert.throws(() => renderBulkSql([{ zone: 'x.org', serial: 1, soa: 'a. b. 0 1 1 1 1', changes: [{ ...A('x.org', '192.0.2.1'), records: [{ content: 'a\nb', disabled: false }] }] }], now), /control characters/);
  assert.throws(() => renderBulkSql([{ zone: 'x.org', serial: 1, soa: 'a. b. 0 1 1 1 1', changes: [{ name: 'x.org.', type: 'MX', changetype: 'DELETE' }] }], now), /not a type the bulk path writes/);
  // what it does to PowerDNS's own schema (as PowerDNS's API would leave it)
  if (!existsSync(SCHEMA) && !process.env.CI) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'abri-bulk-'));
  const exec = new LocalExecutor();
  const db = path.join(dir, 'pdns.sqlite3');
  try {
    await exec.run('sqlite3', [db, `.read ${SCHEMA}`]);
    await exec.run('sqlite3', [db], { input: `INSERT INTO domains (id, name, type, notified_serial) VALUES (1, 'example.org', 'MASTER', 2026112605), (2, 'other.org', 'MASTER', 7), (3, 'third.org', 'MASTER', 5);
      INSERT INTO records (domain_id, name, type, content, ttl, prio, disabled, auth) VALUES
      (1, 'example.org', 'SOA', 'ns1.abri.test hostmaster.abri.test 2026112605 10800 3600 604800 300', 300, 0, 0, 1), (1, 'example.org', 'A', '192.0.2.1', 300, 0, 0, 1),
      (1, 'www.example.org', 'A', '192.0.2.1', 300, 0, 0, 1), (1, 'example.org', 'MX', 'mx.example.org', 300, 10, 0, 1),
      (2, 'other.org', 'SOA', 'ns1.abri.test hostmaster.abri.test 7 10800 3600 604800 300', 300, 0, 0, 1), (2, 'old.other.org', 'A', '192.0.2.9', 300, 0, 0, 1),
      (2, 'old.other.org', 'AAAA', '2001:db8::9', 300, 0, 0, 1), (3, 'third.org', 'SOA', 'ns1.abri.test hostmaster.abri.test 5 10800 3600 604800 300', 300, 0, 0, 1),
      (3, 'third.org', 'A', '192.0.2.1', 300, 0, 0, 1);` });
    await exec.run('sqlite3', [db], { input: sql });
    const rows = (await exec.run('sqlite3', [db, 'SELECT d.name, d.notified_serial, r.name, r.type, r.content, r.ttl, r.prio FROM records r JOIN domains d ON d.id = r.domain_id ORDER BY 1, 3, 4, 5'])).stdout.trim().split('\n');
    assert.deepEqual(rows, [
      'example.org|2026112606|example.org|A|192.0.2.2|300|0',
      'example.org|2026112606|example.org|MX|mx.example.org|300|10',
      'example.org|2026112606|example.org|SOA|ns1.abri.test hostmaster.abri.test 2026112606 10800 3600 604800 300|300|0',
      'example.org|2026112606|www.example.org|A|192.0.2.2|300|0',
      'example.org|2026112606|www.example.org|A|192.0.2.3|300|0',
      'other.org|2026112601|old.other.org|AAAA|2001:db8::9|300|0',
      'other.org|2026112601|other.org|SOA|ns1.abri.test hostmaster.abri.test 2026112601 10800 3600 604800 300|300|0',
      'other.org|2026112601|other.org|TXT|"it\'s"|3600|0',
      'third.org|5|third.org|A|192.0.2.1|300|0',
      'third.org|5|third.org|SOA|ns1.abri.test hostmaster.abri.test 5 10800 3600 604800 300|300|0',
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
