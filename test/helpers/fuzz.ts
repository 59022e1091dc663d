// What the fuzz tests (fuzz-bodies, fuzz-lists) send and the objects they send it about: hostile
// values (huge strings, control characters, line breaks, separators, RTL marks, emoji, wrong types,
// numbers out of range, nested objects), raw bodies, a seeded platform with one object of each kind
// for the path parameters, and a digest of every table (a refused request must change none).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { offerBody, type TestManager } from './manager.js';
import type { Kind } from './api-walk.js';
import { TEST_HOST_KEY } from './isolation.js';
import { insertNotices } from '../../src/notices/store.js';

// claims are verified against this resolver: nothing answers there, no packet leaves the machine
export const settings = { ABRI_DNS_RESOLVER: '127.0.0.1:9', ABRI_PLATFORM_DOMAIN: 'abri-fuzz.test' };

export const SEED = 0x0ab51;
export const show = (v: unknown) => (v === undefined ? 'undefined' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * A string too big to keep thousands of in memory: built when first sent, then kept with its JSON
 * text (one of each per Huge, a few MB: they are measured and sent hundreds of times a run).
 */
export class Huge {
  #text: string | undefined;
  #json: string | undefined;
  constructor(readonly length: number, readonly unit: string) {}
  build = () => (this.#text ??= this.unit.repeat(Math.ceil(this.length / this.unit.length)));
  json = () => (this.#json ??= JSON.stringify(this.build()));
}

export const hostileStrings = [
  '', ' ', '   ', 'a\u0000b', '\u0000', 'line\nbreak', '\n', 'carriage\rreturn', 'crlf\r\n', 'tab\there', '\u000b\u000c',
  '\u001b[31mred', '\u007f', '\u0085next line', 'sep\u2028line', 'sep\u2029para', '\u200e\u200f rtl marks', '\u202eevil\u202c',
  'zero\u200bwidth', '\ufeffbom', '😀 emoji 👩‍👩‍👧', '\ud800 lone surrogate', '\udfff', 'é', 'Ünïcödé', 'ᚠᛇᚻ', '中文名字',
  '1', '-1', '0', '1e309', 'NaN', 'Infinity', 'true', 'null', '[]', '{}', '12:00', '2024-02-30T00:00:00Z', '0000-01-01T00:00:00Z',
  "' OR 1=1 --", '"; DROP TABLE users; --', '%', '_', '\\', '%00', '../../etc/passwd', '/etc/passwd', '..', '.', '<script>alert(1)</script>',
  '${jndi:ldap://x}', '{{7*7}}', 'a@b', '@example.org', 'x@-bad-.org', 'UPPER@EXAMPLE.ORG', 'xn--', 'xn--nxasmq6b.example', '*.example.org',
  '127.0.0.1', '::1', '999.1.1.1', 'example.org:8080', 'a'.repeat(64), 'a'.repeat(101), 'a'.repeat(201), 'a'.repeat(255), 'a'.repeat(256),
  'a'.repeat(1025), 'é'.repeat(600), '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString',
];
export const hostileOthers: unknown[] = [
  null, true, false, 0, -1, 1.5, -0.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 1e-300,
  [], [null], [''], ['8.2', '8.2'], Array.from({ length: 150 }, (_, i) => `a${i}.example.org`), [[[]]], [{}],
  {}, { a: 1 }, { toString: 'x' }, { __proto__: null, valueOf: 1 }, { nested: { deeper: { deepest: ['x'] } } },
];
export const hugeValues = [new Huge(5_000, 'a'), new Huge(70_000, 'é'), new Huge(300_000, '😀'), new Huge(1_100_000, 'a'), new Huge(2_000_000, 'x\n')];
export const sweepValues: unknown[] = [
  'a\u0000b', 'two\nlines', 'sep\u2028line', '\ud800 lone surrogate', '\u202eevil', '😀', 'a'.repeat(1025), new Huge(1_100_000, 'a'),
  null, 1.5, -1, 2 ** 31, [], {}, true,
];
export const protoKeys = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty'];

export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 4, arbitrary: fc.constantFrom(...hostileOthers) },
  { weight: 1, arbitrary: fc.constantFrom(...hugeValues) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

export const rawBodies: Array<{ body?: string | Buffer; contentType?: string; mustReject: boolean }> = [
  { body: undefined, contentType: undefined, mustReject: true },
  { body: '', contentType: 'application/json', mustReject: true },
  { body: '   ', contentType: 'application/json', mustReject: true },
  { body: '{', contentType: 'application/json', mustReject: true },
  { body: '{"a":', contentType: 'application/json', mustReject: true },
  { body: '{"a":1,}', contentType: 'application/json', mustReject: true },
  { body: "{'a':1}", contentType: 'application/json', mustReject: true },
  { body: 'undefined', contentType: 'application/json', mustReject: true },
  { body: 'NaN', contentType: 'application/json', mustReject: true },
  { body: '\u0000', contentType: 'application/json', mustReject: true },
  { body: '{"a":"\u0000"}', contentType: 'application/json', mustReject: true },
  { body: 'null', contentType: 'application/json', mustReject: true },
  { body: '[]', contentType: 'application/json', mustReject: true },
  { body: '"a string"', contentType: 'application/json', mustReject: true },
  { body: '42', contentType: 'application/json', mustReject: true },
  { body: 'true', contentType: 'application/json', mustReject: true },
  { body: '{"__proto__":{"role":"admin","isAdmin":true}}', contentType: 'application/json', mustReject: true },
  { body: '{"constructor":{"prototype":{"isAdmin":true}}}', contentType: 'application/json', mustReject: true },
  { body: '['.repeat(50_000) + ']'.repeat(50_000), contentType: 'application/json', mustReject: true },
  { body: '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000), contentType: 'application/json', mustReject: true },
  { body: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]), contentType: 'application/json', mustReject: true },
  { body: '{"a":1}', contentType: 'text/plain', mustReject: true },
  { body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded', mustReject: true },
  { body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--', contentType: 'multipart/form-data; boundary=x', mustReject: true },
  { body: '<a>1</a>', contentType: 'application/xml', mustReject: true },
  { body: '{}', contentType: 'application/json; charset=utf-16', mustReject: false },
  { body: '{}', contentType: 'application/jsonx', mustReject: true },
  { body: '\ufeff{}', contentType: 'application/json', mustReject: false },
  { body: '{}', contentType: 'APPLICATION/JSON', mustReject: false },
];

/** The digest query of every table, built once per manager (the schema does not change during a run). */
const digestQueries = new WeakMap<TestManager, Promise<string>>();
async function digestQuery(m: TestManager): Promise<string> {
  const columns = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and table_name not like 'kysely%' and column_name not in ('last_used_at', 'last_seen_at')
    order by table_name, ordinal_position`.execute(m.manager.app.db);
  const byTable = new Map<string, string[]>();
  for (const c of columns.rows as Array<Record<string, string>>) {
    const table = c.table_name ?? c.tableName;
    const column = c.column_name ?? c.columnName;
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  }
  const parts = [...byTable].map(([t, cols]) =>
    `select '${t}' as t, count(*)::int as n, md5(coalesce(string_agg(row(${cols.map((c) => `x."${c}"`).join(', ')})::text, '|' order by row(${cols.map((c) => `x."${c}"`).join(', ')})::text), '')) as h from ${t} x`);
  return parts.join(' union all ');
}

/** The last digest of each manager's database, with the WAL position it was taken at. */
const lastDigests = new WeakMap<TestManager, { lsn: string; digest: Record<string, { n: number; h: string }> }>();

/**
 * Per table: row count and a digest of every row (columns that reads touch left out). When the
 * database's WAL has not moved since the last digest, nothing was written (every write, committed or
 * not, is logged first): the last digest is the same one and is not made again. The position is read
 * before the digest, so a write during it makes the next one a new digest. (On the PostgreSQL server
 * other test files move the WAL: there, every digest is made.)
 */
export async function fingerprint(m: TestManager): Promise<Record<string, { n: number; h: string }>> {
  let query = digestQueries.get(m);
  if (!query) digestQueries.set(m, (query = digestQuery(m)));
  const db = m.manager.app.db;
  const lsn = (await sql<{ lsn: string }>`select pg_current_wal_insert_lsn()::text as lsn`.execute(db)).rows[0]!.lsn;
  const last = lastDigests.get(m);
  if (last?.lsn === lsn) return last.digest;
  const rows = await sql.raw<{ t: string; n: number; h: string }>(await query).execute(db);
  const digest = Object.fromEntries(rows.rows.map((r) => [r.t, { n: Number(r.n), h: r.h }]));
  lastDigests.set(m, { lsn, digest });
  return digest;
}

/** Objects for the paths, chosen so a PATCH that resets unnamed fields shows it. */
export async function seed(m: TestManager) {
  const post = async (path: string, body: unknown) => {
    const a = await m.api('POST', path, body);
    assert.equal(a.status, 201, `POST ${path}: ${JSON.stringify(a.body)}`);
    return a.body;
  };
  const offer = await post('/api/v1/offers', offerBody({ name: 'Fuzz offer', maxSites: 40, maxDatabases: 40, maxFtpUsers: 40, phpVersions: ['8.2'] }));
  const patchedOffer = await post('/api/v1/offers', offerBody({ name: 'Fuzz archived offer', currency: 'CHF', archived: true }));
  const server = await post('/api/v1/servers', { name: 'fuzz-web', roles: ['web'], addresses: ['192.0.2.1', '2001:db8::1'] });
  await post('/api/v1/servers', { name: 'fuzz-db', roles: ['database'], addresses: ['192.0.2.3'] });
  await post('/api/v1/servers', { name: 'fuzz-mail', roles: ['mail'], addresses: ['192.0.2.4'] });
  const customer = await post('/api/v1/customers', { name: 'Fuzz Customer', contactEmail: 'contact@fuzz.test', postalAddress: '1 rue du Fuzz\n75000 Paris', status: 'suspended' });
  const hosting = await post('/api/v1/hostings', { customerId: customer.id, offerId: offer.id });
  const site = await post(`/api/v1/hostings/${hosting.id}/sites`, { domain: 'fuzz-site.test', aliases: ['www.fuzz-site.test'], httpsMode: 'redirect' });
  await m.user('member@fuzz.test');
  const joined = await m.join(customer.id, 'member@fuzz.test', 'owner');
  assert.equal(joined.status, 201, JSON.stringify(joined.body));
  const delegation = joined.body;
  const invitation = await post(`/api/v1/customers/${customer.id}/invitations`, { email: 'someone@fuzz.test', role: 'manager' });
  const invitee = await post('/api/v1/users', { email: 'invitee@fuzz.test', role: 'customer', locale: 'fr' });
  const zone = (await m.api('GET', '/api/v1/zones/fuzz-site.test')).body; // made with the site
  const record = await post(`/api/v1/zones/${zone.id}/records`, { name: 'mail', type: 'MX', content: '10 mx.fuzz.test', ttl: 7200 });
  const job = (await m.api('GET', '/api/v1/jobs?kind=certificate')).body.items[0]; // the site's certificate job
  const claim = await post('/api/v1/zone-claims', { name: 'fuzz-claim.test', customerId: customer.id });
  await insertNotices(m.manager.app.db, [{ customerId: customer.id, kind: 'zone.lost', message: 'a fuzz notice' }], new Date());
  const notice = (await m.api('GET', `/api/v1/notices?customerId=${customer.id}`)).body.items[0];
  const database = await post(`/api/v1/hostings/${hosting.id}/databases`, { name: 'fuzz', user: true });
  const sftp = await post(`/api/v1/hostings/${hosting.id}/sftp-users`, { name: 'fuzz', keys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAID0QT+0emWvDI0mychwQ8nFBIRtKIcT81KL+nx2hrJTH me@laptop'] });
  const ftp = await post(`/api/v1/hostings/${hosting.id}/ftp-users`, { name: 'fuzzftp' });
  const cron = await post(`/api/v1/hostings/${hosting.id}/cron-tasks`, { command: 'php var/www/cron.php', schedule: '@daily' });
  const mailDomain = await post(`/api/v1/hostings/${hosting.id}/mail-domains`, { name: 'fuzz-site.test' });
  const mailbox = await post(`/api/v1/mail-domains/${mailDomain.id}/mailboxes`, { localPart: 'fuzz', quotaMb: 10 });
  const mailAlias = await post(`/api/v1/mail-domains/${mailDomain.id}/aliases`, { localPart: 'fuzzalias', destinations: ['someone@fuzz.test'] });
  const outbox = (await m.api('GET', '/api/v1/outbox')).body.items[0]; // the invitation's message
  const appPassword = await post(`/api/v1/mailboxes/${mailbox.id}/app-passwords`, { name: 'fuzz phone' });
  const channel = await post('/api/v1/work-channels', { kind: 'webhook', name: 'fuzz-hook', url: 'http://127.0.0.1:9/hook', secret: 'fuzz-secret-0123456789' });
  const work = await post('/api/v1/works', { kind: 'incident', title: { fr: 'Panne', en: 'Outage' }, affects: { platform: true } });
  assert.equal((await m.api('PATCH', '/api/v1/billing/seller', { name: 'Fuzz Host', address: '1 rue de l\'Hôte' })).status, 200);
  const invoice = await post('/api/v1/invoices', { hostingId: hosting.id });
  const order = await post('/api/v1/orders', { customerId: customer.id, offerId: offer.id });
  await m.manager.jobs.runDue(); // the work's delivery to the channel (a closed port: it waits)
  const delivery = (await m.api('GET', '/api/v1/work-deliveries')).body.items[0];
  const target = await post('/api/v1/work-targets', { name: 'fuzz-mirror', host: '127.0.0.1', port: 9, username: 'abri', path: '/srv/works', hostKey: TEST_HOST_KEY });
  const paths: Partial<Record<Kind, string>> = {
    customers: customer.id, hostings: hosting.id, sites: site.id, delegations: delegation.id, invitations: invitation.id,
    users: delegation.userId, offers: patchedOffer.id, servers: server.id, zones: zone.id, records: record.id, jobs: job.id, 'zone-claims': claim.id, notices: notice.id,
    databases: database.id, 'database-users': database.user.id, 'sftp-users': sftp.id, keys: sftp.keys[0].id, 'ftp-users': ftp.id, 'cron-tasks': cron.id,
    'mail-domains': mailDomain.id, mailboxes: mailbox.id, 'mail-aliases': mailAlias.id, outbox: outbox.id, 'app-passwords': appPassword.id, works: work.id,
    invoices: invoice.id, orders: order.id, 'work-channels': channel.id, 'work-deliveries': delivery.id, 'work-targets': target.id,
    backups: 'f0'.repeat(32), // a restic snapshot id: the hosting has no repository here (no agent), so none is found
  };
  return { offer, customer, paths, invitationToken: String(invitee.invitationUrl).split('#')[1] };
}
