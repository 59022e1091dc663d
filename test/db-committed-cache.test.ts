// What the write path reads without asking the database each time (src/platform/committed-cache.ts):
// API tokens used again within a second (src/accounts/token-cache.ts): what changes who a token acts
// as takes effect at the next request all the same — a token revoked, a user disabled or made
// customer, an access granted, changed or withdrawn — and a lookup made while such a change is not
// committed yet does not keep what it read. The servers' names and roles in the view of an object
// just created: a server added, renamed, given a role or removed shows at the next creation. A
// customer closed or an offer archived or removed just after a hosting's creation read it. Two
// managers in one process (tests) keep their entries apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases } from './helpers/databases.js';
import { expectProblem, expectStatus } from './helpers/dns.js';
import { offerBody, seedHosting, startTestManager } from './helpers/manager.js';
import { change } from '../src/platform/change.js';
import { systemCaller } from '../src/platform/actor.js';
import { actorFromToken, deleteApiToken } from '../src/accounts/store-auth.js';
import { updateUser } from '../src/accounts/store-users.js';
import { tokenCache, tokensChanged } from '../src/accounts/token-cache.js';
import { digest } from '../src/platform/secrets.js';
import { sql } from 'kysely';

for (const database of testDatabases()) {
  test(`a token's changes take effect at its next request, however recently it was used (${database.name})`, async () => {
    const m = await startTestManager({ database });
    try {
      const me = (token: string) => m.api('GET', '/api/v1/me', undefined, { token });
      // revoked by its owner
      const owner = await m.user('owner@cache.test', 'staff');
      expectStatus(await me(owner.token), 200);
      const listed = expectStatus(await m.api('GET', '/api/v1/tokens', undefined, { token: owner.token }), 200);
      expectStatus(await m.api('DELETE', `/api/v1/tokens/${listed.items[0].id}`, undefined, { token: owner.token }), 204);
      assert.equal((await me(owner.token)).status, 401, 'revoked');

      // its user disabled, then enabled again; its role lowered
      const staff = await m.user('staff@cache.test', 'staff');
      expectStatus(await m.api('GET', '/api/v1/customers', undefined, { token: staff.token }), 200);
      expectStatus(await m.api('PATCH', `/api/v1/users/${staff.id}`, { disabled: true }), 200);
      assert.equal((await me(staff.token)).status, 401, 'disabled');
      expectStatus(await m.api('PATCH', `/api/v1/users/${staff.id}`, { disabled: false }), 200);
      expectStatus(await me(staff.token), 200);
      expectStatus(await m.api('PATCH', `/api/v1/users/${staff.id}`, { role: 'customer' }), 200);
      assert.equal(expectStatus(await me(staff.token), 200).user.role, 'customer');
      assert.equal((await m.api('GET', '/api/v1/users', undefined, { token: staff.token })).status, 403, 'no longer staff');

      // an access granted, changed, withdrawn; a customer deleted
      const c = expectStatus(await m.api('POST', '/api/v1/customers', { name: 'Cache', contactEmail: 'c@cache.test' }), 201);
      const u = await m.user('user@cache.test');
      const seen = async () => (await m.api('GET', `/api/v1/customers/${c.id}`, undefined, { token: u.token })).status;
      assert.equal(await seen(), 404);
      const d = expectStatus(await m.join(c.id, 'user@cache.test', 'readonly'), 201);
      assert.equal(await seen(), 200, 'granted');
      const patch = () => m.api('PATCH', `/api/v1/customers/${c.id}`, { name: 'Renamed' }, { token: u.token });
      assert.equal((await patch()).status, 403, 'read-only');
      expectStatus(await m.join(c.id, 'owner2@cache.test', 'owner'), 201);
      expectStatus(await m.api('PATCH', `/api/v1/customers/${c.id}/delegations/${d.id}`, { role: 'owner' }), 200);
      assert.equal((await patch()).status, 200, 'made owner');
      expectStatus(await m.api('DELETE', `/api/v1/customers/${c.id}/delegations/${d.id}`), 204);
      assert.equal(await seen(), 404, 'withdrawn');

      // expiry is checked at each request against the request's time, cached or not
      const app = m.manager.app;
      const expiring = await m.user('exp@cache.test', 'staff');
      const now = app.clock.now();
      const actor = await actorFromToken(app.db, expiring.token, now, '127.0.0.1');
      assert.equal(actor.email, 'exp@cache.test');
      await sql`UPDATE api_tokens SET expires_at = ${new Date(now.getTime() + 60_000)} WHERE user_id = ${expiring.id}`.execute(app.db);
      tokensChanged(app.db); // as the store that would write it does
      await actorFromToken(app.db, expiring.token, now, '127.0.0.1');
      await assert.rejects(actorFromToken(app.db, expiring.token, new Date(now.getTime() + 61_000), '127.0.0.1'), /unknown, expired or revoked/);

      // a lookup that started before a change of tokens does not keep what it read
      const entry = { actor, expiresAt: null, lastUsedAt: null, lastUsedAddress: null };
      const mark = tokenCache.mark();
      tokensChanged(app.db);
      tokenCache.keep(app.db, 'some hash', mark, entry);
      assert.equal(tokenCache.get(app.db, 'some hash'), null);
      tokenCache.keep(app.db, 'some hash', tokenCache.mark(), entry);
      assert.notEqual(tokenCache.get(app.db, 'some hash'), null);
    } finally {
      await m.close();
    }
  });
}

for (const database of testDatabases()) {
  test(`a created site names the servers as they are now, however recently one was created (${database.name})`, async () => {
    const m = await startTestManager({ database });
    try {
      const { hosting } = await seedHosting(m, { offer: { maxSites: 20 } });
      let n = 0;
      const servers = async () => {
        const site = expectStatus(await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: `s${n++}.cache.test` }), 201);
        return site.provisioning.servers.map((s: { name: string }) => s.name).sort().join(',');
      };
      const before = await servers();
      const plus = (name: string) => [...before.split(',').filter(Boolean), name].sort().join(',');
      const edge = expectStatus(await m.api('POST', '/api/v1/servers', { name: 'edge-cache', roles: ['edge'], addresses: ['192.0.2.50'] }), 201);
      assert.equal(await servers(), plus('edge-cache'), 'a new edge');
      expectStatus(await m.api('PATCH', `/api/v1/servers/${edge.id}`, { name: 'edge-renamed' }), 200);
      assert.equal(await servers(), plus('edge-renamed'), 'renamed');
      expectStatus(await m.api('PATCH', `/api/v1/servers/${edge.id}`, { roles: ['dns'] }), 200);
      assert.equal(await servers(), before, 'no longer an edge');
      expectStatus(await m.api('PATCH', `/api/v1/servers/${edge.id}`, { roles: ['edge'] }), 200);
      assert.equal(await servers(), plus('edge-renamed'), 'an edge again');
      expectStatus(await m.api('DELETE', `/api/v1/servers/${edge.id}`), 204);
      assert.equal(await servers(), before, 'removed');
    } finally {
      await m.close();
    }
  });
}

for (const database of testDatabases()) {
  test(`a hosting created just after its customer or offer changed sees the change (${database.name})`, async () => {
    const m = await startTestManager({ database });
    try {
      const { customer, offer } = await seedHosting(m); // both just read by the hosting's creation
      const create = (customerId = customer.id, offerId = offer.id) => m.api('POST', '/api/v1/hostings', { customerId, offerId });
      expectStatus(await m.api('PATCH', `/api/v1/offers/${offer.id}`, { archived: true }), 200);
      expectProblem(await create(), 409, 'offer.archived');
      expectStatus(await m.api('PATCH', `/api/v1/offers/${offer.id}`, { archived: false }), 200);
      expectStatus(await create(), 201);
      expectStatus(await m.api('PATCH', `/api/v1/customers/${customer.id}`, { status: 'closed' }), 200);
      expectProblem(await create(), 409, 'customer.closed');
      expectStatus(await m.api('PATCH', `/api/v1/customers/${customer.id}`, { status: 'active' }), 200);
      expectStatus(await create(), 201);
      // removed just after it was read: not found at once
      const lone = expectStatus(await m.api('POST', '/api/v1/offers', offerBody({ name: 'Lone' })), 201);
      const nowhere = '00000000-0000-4000-8000-000000000000';
      expectProblem(await m.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: lone.id, serverId: nowhere }), 404, 'server.not_found');
      expectStatus(await m.api('DELETE', `/api/v1/offers/${lone.id}`), 204);
      const gone = await create(customer.id, lone.id);
      assert.equal(gone.body.code, 'offer.not_found', JSON.stringify(gone.body));
    } finally {
      await m.close();
    }
  });
}

test('two managers in one process keep their own entries (each database its own)', async () => {
  const [a, b] = [await startTestManager(), await startTestManager()];
  try {
    const site = async (m: typeof a, domain: string) => {
      const { hosting } = await seedHosting(m);
      const s = expectStatus(await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain }), 201);
      return s.provisioning.servers.map((x: { name: string }) => x.name).join(',');
    };
    expectStatus(await a.api('POST', '/api/v1/servers', { name: 'edge-of-a', roles: ['edge'], addresses: ['192.0.2.60'] }), 201);
    assert.equal(await site(a, 'one.cache.test'), 'edge-of-a');
    assert.equal(await site(b, 'two.cache.test'), '', "b has no server: a's are not b's");
  } finally {
    await a.close();
    await b.close();
  }
});

// PostgreSQL only: a lookup from another connection while the revoking transaction is open (PGlite has one connection)
for (const database of testDatabases().filter((d) => d.name === 'postgres')) {
  test(`a lookup while a revocation is not committed yet is forgotten at the commit (${database.name})`, async () => {
    const m = await startTestManager({ database });
    try {
      const app = m.manager.app;
      const u = await m.user('race@cache.test', 'staff');
      const tokenId = expectStatus(await m.api('GET', '/api/v1/tokens', undefined, { token: u.token }), 200).items[0].id;
      const at = () => actorFromToken(app.db, u.token, app.clock.now(), '127.0.0.1');
      await change(app, systemCaller('test'), async (c) => {
        c.anyone();
        c.nothingToAudit();
        await deleteApiToken(c.db, u.id, tokenId);
        // not committed: another connection still sees the token, and may keep it…
        assert.equal((await at()).email, 'race@cache.test');
        assert.notEqual(tokenCache.get(app.db, digest(u.token)), null, 'kept while the revocation is not committed');
      });
      // …until the commit
      await assert.rejects(at(), /unknown, expired or revoked/);
      assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: u.token })).status, 401);

      // the same for a user disabled in a transaction
      const v = await m.user('race2@cache.test', 'staff');
      await m.api('GET', '/api/v1/me', undefined, { token: v.token });
      await change(app, systemCaller('test'), async (c) => {
        c.anyone();
        c.nothingToAudit();
        await updateUser(c.db, v.id, { disabled: true }, c.now);
        await actorFromToken(app.db, v.token, app.clock.now(), '127.0.0.1');
      });
      assert.equal((await m.api('GET', '/api/v1/me', undefined, { token: v.token })).status, 401);
    } finally {
      await m.close();
    }
  });
}
