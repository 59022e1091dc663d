// Mail limits through the API (no Postfix here: test/agent-mail-limits.test.ts applies them for real):
// the offer's sending limits (defaults, changes reaching the mail server's desired state), the held
// counts a mail server reports (only its own mailboxes), the staff-only held mail routes (another
// customer sees nothing), and the catch-all alias (one per domain, nothing else than "*").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';

for (const database of testDatabases()) {
  test(`mail limits (${database.name})`, async (t) => {
    const m = await startTestManager({ database });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const { a, asA, asB } = await alphaAndBravo(m, { a: { maxMailboxes: 3, mailMb: 100 } });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['192.0.2.25'] })).body;
    const other = (await m.api('POST', '/api/v1/servers', { name: 'mail-2', roles: ['mail'], addresses: ['192.0.2.26'] })).body;
    assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/sites`, { domain: 'alpha-limits.test' })).status, 201);
    assert.equal((await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alpha-limits.test' })).status, 201);
    const joe = (await asA('POST', '/api/v1/mail-domains/alpha-limits.test/mailboxes', { localPart: 'joe', quotaMb: 10 })).body;
    const sent = async () => (await buildDesiredState(db, m.manager.app.config, server.id)).mail!.mailboxes.find((x) => x.id === joe.id)!;

    await t.test('an offer has sending limits (100 an hour, 1,000 a day by default); a change reaches the mail server', async () => {
      const offer = (await m.api('GET', `/api/v1/offers/${a.offer.id}`)).body;
      assert.deepEqual([offer.mailSendPerHour, offer.mailSendPerDay], [100, 1000]);
      assert.deepEqual([(await sent()).sendPerHour, (await sent()).sendPerDay], [100, 1000]);
      const before = (await buildDesiredState(db, m.manager.app.config, server.id)).revision;
      const r = await m.api('PATCH', `/api/v1/offers/${a.offer.id}`, { mailSendPerHour: 3, mailSendPerDay: 20 });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const after = await buildDesiredState(db, m.manager.app.config, server.id);
      assert.ok(after.revision > before, 'the mail server has a new revision');
      assert.deepEqual([(await sent()).sendPerHour, (await sent()).sendPerDay], [3, 20]);
      for (const bad of [{ mailSendPerHour: 0 }, { mailSendPerDay: -1 }, { mailSendPerHour: 1.5 }]) {
        assert.equal((await m.api('PATCH', `/api/v1/offers/${a.offer.id}`, bad)).body.code, 'request.validation', JSON.stringify(bad));
      }
      assert.equal((await asA('PATCH', `/api/v1/offers/${a.offer.id}`, { mailSendPerHour: 100000 })).status, 403);
    });

    await t.test('held mail: the mail server reports it, the customer sees "sending held", only staff list and act on it', async () => {
      assert.equal(joe.sendingHeld, 0);
      const report = async (token: string, usage: unknown[]) => {
        const r = await fetch(`${m.url}/agent/v1/report`, {
          method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ revision: 0, mode: 'apply', objects: [], usage }),
        });
        assert.equal(r.status, 204, await r.text());
      };
      // another mail server cannot speak for joe
      await report(other.agentToken, [{ kind: 'mailbox-held', id: joe.id, bytes: 9 }]);
      assert.equal((await asA('GET', `/api/v1/mailboxes/${joe.id}`)).body.sendingHeld, 0);
      await report(server.agentToken, [{ kind: 'mailbox-held', id: joe.id, bytes: 2 }]);
      assert.equal((await asA('GET', `/api/v1/mailboxes/${joe.id}`)).body.sendingHeld, 2);
      const list = await m.api('GET', '/api/v1/mail-held');
      assert.deepEqual(list.body.items.map((x: { address: string; sendingHeld: number }) => [x.address, x.sendingHeld]), [['joe@alpha-limits.test', 2]]);
      for (const ask of [asA, asB]) {
        assert.equal((await ask('GET', '/api/v1/mail-held')).status, 403);
        for (const path of ['held/release', 'held/delete']) assert.equal((await ask('POST', `/api/v1/mailboxes/${joe.id}/${path}`)).status, 403);
        assert.equal((await ask('GET', `/api/v1/mailboxes/${joe.id}/held`)).status, 403);
      }
      assert.equal((await asB('GET', `/api/v1/mailboxes/${joe.id}`)).status, 404);
      // no agent answers here: staff are told the server is unreachable, nothing changes
      const r = await m.api('POST', `/api/v1/mailboxes/${joe.id}/held/release`);
      assert.equal(r.body.code, 'server.unreachable', JSON.stringify(r.body));
      assert.equal((await m.api('GET', `/api/v1/mailboxes/${joe.id}`)).body.sendingHeld, 2);
      assert.equal((await m.api('POST', '/api/v1/mailboxes/nobody@alpha-limits.test/held/release')).status, 404);
      await report(server.agentToken, [{ kind: 'mailbox-held', id: joe.id, bytes: 0 }]);
      assert.deepEqual((await m.api('GET', '/api/v1/mail-held')).body.items, []);
    });

    await t.test('the catch-all: "*" is an alias of its own (one per domain), sent to the mail server as *@domain; nothing else than "*"', async () => {
      const r = await asA('POST', '/api/v1/mail-domains/alpha-limits.test/aliases', { localPart: '*', destinations: ['joe@alpha-limits.test'] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.address, '*@alpha-limits.test');
      assert.equal((await asA('POST', '/api/v1/mail-domains/alpha-limits.test/aliases', { localPart: '*', destinations: ['x@y.example'] })).body.code, 'mail_address.taken');
      for (const localPart of ['**', 'a*', '*.x', '%']) {
        assert.equal((await asA('POST', '/api/v1/mail-domains/alpha-limits.test/aliases', { localPart, destinations: ['x@y.example'] })).body.code, 'request.validation', localPart);
      }
      assert.equal((await asA('POST', '/api/v1/mail-domains/alpha-limits.test/mailboxes', { localPart: '*', quotaMb: 1 })).body.code, 'request.validation', 'no mailbox "*"');
      const state = await buildDesiredState(db, m.manager.app.config, server.id);
      assert.deepEqual(state.mail!.aliases.map((x) => x.address), ['*@alpha-limits.test']);
      assert.equal((await asA('GET', '/api/v1/mail-aliases/*@alpha-limits.test')).body.id, r.body.id);
      assert.equal((await asB('GET', `/api/v1/mail-aliases/${r.body.id}`)).status, 404);
      assert.equal((await asB('POST', '/api/v1/mail-domains/alpha-limits.test/aliases', { localPart: '*', destinations: ['x@y.example'] })).status, 404);
      assert.equal((await asA('DELETE', `/api/v1/mail-aliases/${r.body.id}`)).status, 204);
    });
  });
}
