// NOTIFY sent by the agent after a bulk change (src/dns/apply-notify.ts, render-notify.ts): the wire
// format, a bounded number unanswered at a time, retries, refusals, a silent secondary; and the zones
// an interrupted bulk change left unnotified handed back to PowerDNS (apply-dns-bulk.ts). Real UDP
// sockets on 127.0.0.1 play the secondary; the full path runs against PowerDNS in dns-certs-zones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { notifyMessage, readNotifyAnswer } from '../src/dns/render-notify.js';
import { notifySecondary } from '../src/dns/apply-notify.js';
import { DnsBulk } from '../src/dns/apply-dns-bulk.js';
import { renderRenotifySql } from '../src/dns/render-bulk.js';
import { LocalExecutor } from '../src/platform/executor.js';

/** An answer to a NOTIFY as a secondary sends it: the query with QR set and an rcode. */
const answer = (query: Buffer, rcode = 0, id = query.readUInt16BE(0)) => {
  const a = Buffer.from(query);
  a.writeUInt16BE(id, 0);
  a.writeUInt16BE(query.readUInt16BE(2) | 0x8000 | rcode, 2);
  return a;
};

/** A UDP "secondary" on 127.0.0.1 whose behaviour the test decides per message. */
async function fakeSecondary(onMessage: (msg: Buffer, reply: (b: Buffer) => void) => void) {
  const s = dgram.createSocket('udp4');
  s.on('message', (msg, from) => onMessage(msg, (b) => s.send(b, from.port, from.address)));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  return { target: { address: '127.0.0.1', port: s.address().port }, close: () => new Promise<void>((r) => s.close(() => r())) };
}

const zoneOf = (msg: Buffer) => readNotifyAnswer(answer(msg))!.zone;

test('a NOTIFY is one SOA question with opcode 4 and AA; answers are read back, anything else is not', () => {
  const m = notifyMessage('xn--caf-dma.example', 0x1234);
  assert.equal(m.toString('hex'), '1234' + '2400' + '0001000000000000' + '0b786e2d2d6361662d646d61076578616d706c6500' + '00060001');
  assert.deepEqual(readNotifyAnswer(answer(m, 5)), { id: 0x1234, zone: 'xn--caf-dma.example', rcode: 5 });
  assert.equal(readNotifyAnswer(m), null, 'a query is not an answer');
  assert.equal(readNotifyAnswer(m.subarray(0, 20)), null, 'truncated');
  const standard = Buffer.from(answer(m));
  standard.writeUInt16BE(0x8400, 2); // opcode QUERY
  assert.equal(readNotifyAnswer(standard), null);
  for (const bad of ['', 'Example.org', 'a..b', `${'a'.repeat(64)}.org`, "x.org'"]) assert.throws(() => notifyMessage(bad, 1), /zone/, bad);
  assert.throws(() => notifyMessage('example.org', 70_000), /message id/);
});

test('never more than `window` NOTIFYs unanswered; refusals reported; late and stray answers ignored', async () => {
  const zones = Array.from({ length: 24 }, (_, i) => `z${i}.example`);
  let held: Buffer[] = [];
  let most = 0;
  const sec = await fakeSecondary((msg, reply) => {
    held.push(msg);
    most = Math.max(most, held.length);
    if (held.length < 4) return;
    // answers the four at once: a stray id and a wrong zone first (ignored), then the real ones
    reply(answer(held[0]!, 0, (held[0]!.readUInt16BE(0) + 7) & 0xffff));
    reply(answer(notifyMessage('other.example', held[1]!.readUInt16BE(0))));
    for (const h of held) reply(answer(h, zoneOf(h) === 'z5.example' ? 5 : 0));
    held = [];
  });
  try {
    const r = await notifySecondary(zones, sec.target, { source: '127.0.0.1', window: 4, retryMs: 60_000 });
    assert.equal(most, 4);
    assert.equal(r.acknowledged, 23);
    assert.deepEqual(r.refused, [{ zone: 'z5.example', rcode: 5 }]);
    assert.deepEqual(r.unanswered, []);
    assert.equal(r.error, null);
  } finally {
    await sec.close();
  }
});

test('an unanswered NOTIFY is sent again, up to `attempts` times; a zone never answered is reported', async () => {
  const seen = new Map<string, number>();
  const sec = await fakeSecondary((msg, reply) => {
    const zone = zoneOf(msg);
    seen.set(zone, (seen.get(zone) ?? 0) + 1);
    if (zone === 'never.example' || seen.get(zone)! < 2) return; // the first of each is lost
    reply(answer(msg));
  });
  try {
    const r = await notifySecondary(['a.example', 'never.example', 'b.example'], sec.target, { source: null, retryMs: 20, attempts: 3, silenceMs: 60_000 });
    assert.equal(r.acknowledged, 2);
    assert.deepEqual(r.unanswered, ['never.example']);
    assert.deepEqual(Object.fromEntries(seen), { 'a.example': 2, 'never.example': 3, 'b.example': 2 });
  } finally {
    await sec.close();
  }
});

test('a silent secondary is given up on: every zone left is reported unanswered', async () => {
  const silent = await fakeSecondary(() => undefined);
  const zones = Array.from({ length: 50 }, (_, i) => `s${i}.example`);
  try {
    const r = await notifySecondary(zones, silent.target, { source: '127.0.0.1', window: 8, retryMs: 10, attempts: 1000, silenceMs: 100 });
    assert.equal(r.acknowledged, 0);
    assert.deepEqual([...r.unanswered].sort(), [...zones].sort());
  } finally {
    await silent.close();
  }
  // nothing listens at all: same outcome
  const r = await notifySecondary(['x.example'], silent.target, { source: null, retryMs: 10, attempts: 1000, silenceMs: 100 });
  assert.deepEqual(r.unanswered, ['x.example']);
});

const SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';

test('zones an interrupted bulk change left unnotified are handed to PowerDNS once', { skip: !existsSync(SCHEMA) && !process.env.CI }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'abri-notify-'));
  const exec = new LocalExecutor();
  const database = path.join(dir, 'pdns.sqlite3');
  const spec = { database, socketDir: dir, user: null, secondaries: [{ address: '127.0.0.1', port: 53 }], listen: { host: '127.0.0.1', port: 53 } };
  const serials = async () => (await exec.run('sqlite3', [database, 'SELECT name, ifnull(notified_serial, \'-\') FROM domains ORDER BY name'])).stdout.trim().split('\n');
  try {
    await exec.run('sqlite3', [database, `.read ${SCHEMA}`]);
    await exec.run('sqlite3', [database, "INSERT INTO domains (name, type, notified_serial) VALUES ('a.example', 'MASTER', 7), ('b.example', 'MASTER', 7), ('c.example', 'MASTER', 7)"]);
    await writeFile(DnsBulk.pendingFile(spec), JSON.stringify({ zones: ['a.example', 'c.example'] }));
    const bulk = new DnsBulk(exec, pino({ level: 'silent' }));
    await bulk.recover(spec);
    assert.deepEqual(await serials(), ['a.example|-', 'b.example|7', 'c.example|-']);
    assert.equal(existsSync(DnsBulk.pendingFile(spec)), false);
    // once per start: a file written later is the current bulk change's own
    await writeFile(DnsBulk.pendingFile(spec), JSON.stringify({ zones: ['b.example'] }));
    await bulk.recover(spec);
    assert.deepEqual(await serials(), ['a.example|-', 'b.example|7', 'c.example|-']);
    assert.match(await readFile(DnsBulk.pendingFile(spec), 'utf8'), /b\.example/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assert.throws(() => renderRenotifySql(["x.org'; DROP TABLE domains; --"]), /zone/);
});
