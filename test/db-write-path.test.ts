// The write path made of fewer statements (issue 10 §4): what each folded statement still decides.
// Hosting uids and web servers are chosen by the statement that inserts the hosting; statements
// compiled once (prepared()) take their parameters at each run; zones around a name are found
// through the index of reversed names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testDatabases } from './helpers/databases.js';
import { expectProblem, expectStatus } from './helpers/dns.js';
import { offerBody, startTestManager } from './helpers/manager.js';
import { prepared } from '../src/platform/db/prepared.js';

for (const database of testDatabases()) {
  test(`hosting uids: the next free one of the range, past uids taken by hand; none left is an error (${database.name})`, async () => {
    const m = await startTestManager({ database, settings: { ABRI_UID_MIN: '70000', ABRI_UID_MAX: '70004' } });
    try {
      const db = m.manager.app.db;
      const customer = (await m.api('POST', '/api/v1/customers', { name: 'Uids', contactEmail: 'uids@asso.test' })).body;
      const offer = (await m.api('POST', '/api/v1/offers', offerBody({ name: 'Uids' }))).body;
      const create = () => m.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: offer.id });
      const first = expectStatus(await create(), 201);
      assert.equal(first.uid, 70000);
      assert.equal(first.name, `h70000`);
      assert.match(first.home, /\/h70000$/);
      // 70001 taken by hand (the sequence does not know it): the next creation takes 70002
      await sql`UPDATE hostings SET uid = 70001, name = 'h70001x' WHERE id = ${first.id}`.execute(db);
      await sql`INSERT INTO hostings (customer_id, offer_id, name, uid, home, php_version) VALUES (${customer.id}, ${offer.id}, 'byhand', 70000, '/tmp/byhand', '8.2')`.execute(db);
      const second = expectStatus(await create(), 201);
      assert.equal(second.uid, 70002, 'the uids taken are skipped');
      assert.equal(expectStatus(await create(), 201).uid, 70003);
      assert.equal(expectStatus(await create(), 201).uid, 70004);
      expectProblem(await create(), 409, 'hosting.uids_exhausted');
    } finally {
      await m.close();
    }
  });

  test(`a new hosting goes to the web server with the fewest live hostings, unless one is given (${database.name})`, async () => {
    const m = await startTestManager({ database });
    try {
      const customer = (await m.api('POST', '/api/v1/customers', { name: 'Placed', contactEmail: 'placed@asso.test' })).body;
      const offer = (await m.api('POST', '/api/v1/offers', offerBody({ name: 'Placed' }))).body;
      const create = (serverId?: string) => m.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: offer.id, ...(serverId ? { serverId } : {}) });
      const none = expectStatus(await create(), 201);
      assert.equal(none.serverId, null, 'no web server: no placement');
      const a = expectStatus(await m.api('POST', '/api/v1/servers', { name: 'web-a', roles: ['web'], addresses: ['192.0.2.10'] }), 201);
      const b = expectStatus(await m.api('POST', '/api/v1/servers', { name: 'web-b', roles: ['web'], addresses: ['192.0.2.11'] }), 201);
      assert.equal(expectStatus(await create(), 201).serverId, a.id, 'equal counts: by name');
      assert.equal(expectStatus(await create(), 201).serverId, b.id, 'the least used');
      assert.equal(expectStatus(await create(b.id), 201).serverId, b.id, 'the one given');
      assert.equal(expectStatus(await create(), 201).serverId, a.id);
      expectProblem(await create('00000000-0000-4000-8000-000000000000'), 404, 'server.not_found');
    } finally {
      await m.close();
    }
  });

  test(`zones around a name: a zone above the platform's is refused, names that only end alike are not (${database.name})`, async () => {
    const m = await startTestManager({ database, settings: { ABRI_PLATFORM_DOMAIN: 'hosting.velo.org' } });
    try {
      const one = (await m.api('POST', '/api/v1/customers', { name: 'One', contactEmail: 'one@asso.test' })).body;
      // velo.org would hold the delegation of the platform's zone hosting.velo.org (found below it)
      expectProblem(await m.api('POST', '/api/v1/zones', { name: 'velo.org', customerId: one.id }), 409, 'zone.taken', 'body.name');
      expectProblem(await m.api('POST', '/api/v1/zones', { name: 'VELO.org.', customerId: one.id }), 409, 'zone.taken');
      // names that end the same way without being above it
      expectStatus(await m.api('POST', '/api/v1/zones', { name: 'xvelo.org', customerId: one.id }), 201);
      expectStatus(await m.api('POST', '/api/v1/zones', { name: 'elo.org', customerId: one.id }), 201);
      expectStatus(await m.api('POST', '/api/v1/zones', { name: 'velo.net', customerId: one.id }), 201);
    } finally {
      await m.close();
    }
  });

  test(`prepared(): built once, run with each call's parameters; a parameter the builder read but did not send is refused (${database.name})`, async () => {
    const handle = await database.open();
    try {
      let built = 0;
      const q = prepared((db, p: { a: number; b: string[] }) => {
        built++;
        return sql<{ a: number; n: number }>`SELECT ${p.a}::int AS a, cardinality(${p.b}::text[]) AS n, ${'constant'}::text AS c`;
      });
      assert.deepEqual(await q.first(handle.db, { a: 1, b: ['x'] }), { a: 1, n: 1, c: 'constant' });
      assert.deepEqual(await handle.db.transaction().execute((trx) => q.all(trx, { a: 2, b: ['x', 'y'] })), [{ a: 2, n: 2, c: 'constant' }]);
      assert.equal(built, 1, 'compiled once for the database and its transactions');
      // the builder looked at a parameter's value instead of sending it
      const wrong = prepared((db, p: { flag: boolean }) => sql<{ one: number }>`SELECT ${p.flag ? 1 : 2}::int AS one`);
      await assert.rejects(wrong.first(handle.db, { flag: true }), /parameter\(s\) flag read by the builder but not sent/);
    } finally {
      await handle.close();
    }
  });
}
