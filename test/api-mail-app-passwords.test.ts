// App passwords through the API (test/agent-mail-app-passwords.test.ts signs in with them on a real
// Dovecot and Postfix): generated and shown once, kept only as SHA-512 crypt strings, named, at most
// MAX_APP_PASSWORDS per mailbox, revocable alone; another customer can neither list, add nor revoke
// them; a readonly member only lists; the mail server's desired state carries them with the mailbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';
import { sha512Crypt } from '../src/files/sha512-crypt.js';
import { MAX_APP_PASSWORDS } from '../src/mail/model-app-passwords.js';

for (const database of testDatabases()) {
  test(`app passwords of mailboxes (${database.name})`, async (t) => {
    const m = await startTestManager({ database });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const { a, b, reader, asA, asB } = await alphaAndBravo(m, { a: { maxMailboxes: 2, mailMb: 100 }, b: { maxMailboxes: 1, mailMb: 10 } });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['192.0.2.25'] })).body;
    assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/sites`, { domain: 'alpha-app.test' })).status, 201);
    assert.equal((await m.api('POST', `/api/v1/hostings/${b.hosting.id}/sites`, { domain: 'bravo-app.test' })).status, 201);
    assert.equal((await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alpha-app.test' })).status, 201);
    assert.equal((await asB('POST', `/api/v1/hostings/${b.hosting.id}/mail-domains`, { name: 'bravo-app.test' })).status, 201);
    const joe = (await asA('POST', '/api/v1/mail-domains/alpha-app.test/mailboxes', { localPart: 'joe', quotaMb: 10 })).body;
    const bob = (await asB('POST', '/api/v1/mail-domains/bravo-app.test/mailboxes', { localPart: 'bob', quotaMb: 10 })).body;
    const made: Array<{ id: string; name: string; password: string }> = [];

    await t.test('added with a name, generated and shown once; only its SHA-512 crypt string is kept', async () => {
      const r = await asA('POST', `/api/v1/mailboxes/${joe.address}/app-passwords`, { name: '  Phone ' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.deepEqual([r.body.name, r.body.mailboxId, r.body.address], ['Phone', joe.id, 'joe@alpha-app.test']);
      assert.match(r.body.password, /^[A-Za-z0-9]{24}$/);
      made.push(r.body);
      const row = await db.selectFrom('mailAppPasswords').selectAll().where('id', '=', r.body.id).executeTakeFirstOrThrow();
      assert.equal(row.passwordHash, sha512Crypt(r.body.password, row.passwordHash.split('$')[2]!));
      const list = await asA('GET', `/api/v1/mailboxes/${joe.id}/app-passwords`);
      assert.deepEqual(list.body.items.map((i: { name: string }) => i.name), ['Phone']);
      assert.ok(!JSON.stringify(list.body).includes(r.body.password) && !JSON.stringify(list.body).includes(row.passwordHash), 'never shown again');
      const audit = JSON.stringify(await db.selectFrom('auditLog').selectAll().execute());
      assert.ok(!audit.includes(r.body.password) && !audit.includes(row.passwordHash));
      assert.ok(audit.includes('mailbox.app_password.create'));
    });

    await t.test('names: one per mailbox (whatever the case), in a readable form', async () => {
      assert.equal((await asA('POST', `/api/v1/mailboxes/${joe.id}/app-passwords`, { name: 'phone' })).body.code, 'app_password.taken');
      for (const name of ['', ' ', 'a:b', 'x\ny', '-lead', 'x'.repeat(65)]) {
        assert.equal((await asA('POST', `/api/v1/mailboxes/${joe.id}/app-passwords`, { name })).body.code, 'request.validation', JSON.stringify(name));
      }
      assert.equal((await asA('POST', `/api/v1/mailboxes/${joe.id}/app-passwords`, { name: 'Téléphone de Zoé (2)' })).status, 201);
    });

    await t.test(`at most ${MAX_APP_PASSWORDS} per mailbox`, async () => {
      for (let i = 3; i <= MAX_APP_PASSWORDS; i++) {
        const r = await asA('POST', `/api/v1/mailboxes/${joe.id}/app-passwords`, { name: `Device ${i}` });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        made.push(r.body);
      }
      const over = await asA('POST', `/api/v1/mailboxes/${joe.id}/app-passwords`, { name: 'One too many' });
      assert.equal(over.status, 409);
      assert.deepEqual([over.body.code, over.body.params.max], ['app_password.limit_reached', MAX_APP_PASSWORDS]);
    });

    await t.test('the mail server\'s desired state carries them with the mailbox, oldest first', async () => {
      const state = await buildDesiredState(db, m.manager.app.config, server.id);
      const j = state.mail!.mailboxes.find((x) => x.address === joe.address)!;
      assert.equal(j.appPasswords!.length, MAX_APP_PASSWORDS);
      assert.equal(j.appPasswords![0], sha512Crypt(made[0]!.password, j.appPasswords![0]!.split('$')[2]!));
      assert.deepEqual(state.mail!.mailboxes.find((x) => x.address === bob.address)!.appPasswords, []);
    });

    await t.test('another customer can neither list, add nor revoke A\'s; a readonly member only lists', async () => {
      assert.equal((await asB('GET', `/api/v1/mailboxes/${joe.id}/app-passwords`)).status, 404);
      assert.equal((await asB('GET', `/api/v1/mailboxes/${joe.address}/app-passwords`)).status, 404);
      assert.equal((await asB('POST', `/api/v1/mailboxes/${joe.id}/app-passwords`, { name: 'Bravo was here' })).status, 404);
      const revoke = await asB('DELETE', `/api/v1/app-passwords/${made[0]!.id}`);
      assert.deepEqual([revoke.status, revoke.body.code], [404, 'app_password.not_found']);
      assert.equal((await asB('DELETE', '/api/v1/app-passwords/not-an-id')).status, 404);
      const asReader = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: reader.token });
      assert.equal((await asReader('GET', `/api/v1/mailboxes/${joe.id}/app-passwords`)).body.items.length, MAX_APP_PASSWORDS);
      assert.equal((await asReader('POST', `/api/v1/mailboxes/${joe.id}/app-passwords`, { name: 'Reader' })).body.code, 'mailbox.forbidden');
      assert.equal((await asReader('DELETE', `/api/v1/app-passwords/${made[0]!.id}`)).body.code, 'mailbox.forbidden');
      // B's own work normally
      assert.equal((await asB('POST', `/api/v1/mailboxes/${bob.id}/app-passwords`, { name: 'Phone' })).status, 201);
      assert.equal((await db.selectFrom('mailAppPasswords').select('id').where('mailboxId', '=', joe.id).execute()).length, MAX_APP_PASSWORDS);
    });

    await t.test('revoked alone; removing the mailbox removes its app passwords', async () => {
      assert.equal((await asA('DELETE', `/api/v1/app-passwords/${made[0]!.id}`)).status, 204);
      assert.equal((await asA('DELETE', `/api/v1/app-passwords/${made[0]!.id}`)).status, 404);
      const list = (await asA('GET', `/api/v1/mailboxes/${joe.id}/app-passwords`)).body.items.map((i: { id: string }) => i.id);
      assert.equal(list.length, MAX_APP_PASSWORDS - 1);
      assert.ok(!list.includes(made[0]!.id) && list.includes(made[1]!.id));
      assert.equal((await asA('POST', `/api/v1/mailboxes/${joe.id}/app-passwords`, { name: 'Phone' })).status, 201, 'the name is free again');
      assert.equal((await asA('DELETE', `/api/v1/mailboxes/${joe.id}`)).status, 204);
      assert.equal((await db.selectFrom('mailAppPasswords').select('id').where('mailboxId', '=', joe.id).execute()).length, 0);
    });
  });
}
