// A mailbox's out-of-office reply through the API (test/agent-mail-sieve.test.ts sends it for real):
// set, switched off and removed; its texts checked (lengths, control characters, dates in order);
// carried to the mail server in the desired state only while switched on; the readonly member reads
// it, another customer neither reads nor sets nor removes it (404).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';

const PORTS = 'smtp=25,submission=587,smtps=465,imap=143,imaps=993,pop3=110,pop3s=995,sieve=4190,replies=10026';

for (const database of testDatabases()) {
  test(`out-of-office replies of mailboxes (${database.name})`, async (t) => {
    const m = await startTestManager({ database, settings: { ABRI_MAIL_PORTS: PORTS } });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const { a, reader, asA, asB } = await alphaAndBravo(m, { a: { maxMailboxes: 2, mailMb: 100 } });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['192.0.2.25'] })).body;
    assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/sites`, { domain: 'alpha-away.test' })).status, 201);
    assert.equal((await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alpha-away.test' })).status, 201);
    const joe = (await asA('POST', '/api/v1/mail-domains/alpha-away.test/mailboxes', { localPart: 'joe', quotaMb: 10 })).body;
    const url = `/api/v1/mailboxes/${joe.id}/vacation`;
    const desired = async () => (await buildDesiredState(db, m.manager.app.config, server.id)).mail!.mailboxes.find((b) => b.id === joe.id)!.vacation;

    await t.test('none at first; set with its dates; the mail server gets it; the mailbox waits for its server', async () => {
      const none = await asA('GET', url);
      assert.deepEqual([none.status, none.body.enabled, none.body.subject, none.body.updatedAt], [200, false, '', null]);
      assert.equal(await desired(), null);
      const message = 'Back on Monday.\r\nQuotes " and \\ and "; discard; stay text.';
      const r = await asA('PUT', `/api/v1/mailboxes/${joe.address}/vacation`, { enabled: true, subject: ' Away ', message, startsOn: '2026-12-20', endsOn: '2027-01-04' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual([r.body.enabled, r.body.subject, r.body.message, r.body.startsOn, r.body.endsOn, r.body.days], [true, 'Away', message.replace('\r\n', '\n'), '2026-12-20', '2027-01-04', 7]);
      assert.deepEqual(await desired(), { subject: 'Away', message: message.replace('\r\n', '\n'), startsOn: '2026-12-20', endsOn: '2027-01-04' });
      assert.equal((await asA('GET', `/api/v1/mailboxes/${joe.id}`)).body.provisioning.status, 'pending');
      const audit = await db.selectFrom('auditLog').select(['action', 'target']).where('action', '=', 'mailbox.vacation').execute();
      assert.deepEqual(audit, [{ action: 'mailbox.vacation', target: joe.address }]);
    });

    await t.test('texts are checked: lengths, control characters, line breaks in the subject, dates in order', async () => {
      const ok = { enabled: true, subject: 'Away', message: 'Back soon.' };
      for (const body of [
        { ...ok, subject: 'two\nlines' }, { ...ok, subject: 'x'.repeat(201) }, { ...ok, subject: '' }, { ...ok, message: 'bell \u0007' },
        { ...ok, message: 'tab\there' }, { ...ok, message: 'x'.repeat(5001) }, { ...ok, message: '  ' }, { ...ok, startsOn: '20-12-2026' },
        { ...ok, enabled: 'yes' }, { ...ok, extra: 1 },
      ]) {
        const r = await asA('PUT', url, body);
        assert.equal(r.body.code, 'request.validation', JSON.stringify(body));
      }
      const reversed = await asA('PUT', url, { ...ok, startsOn: '2027-01-04', endsOn: '2026-12-20' });
      assert.deepEqual([reversed.status, reversed.body.code, reversed.body.errors?.[0]?.path], [400, 'vacation.dates_reversed', 'body.endsOn']);
      assert.equal((await asA('GET', url)).body.subject, 'Away', 'a refused change changes nothing');
    });

    await t.test('switched off it is kept but not sent; removed it is gone', async () => {
      const off = await asA('PUT', url, { enabled: false, subject: 'Away', message: 'Back soon.' });
      assert.deepEqual([off.status, off.body.enabled, off.body.message], [200, false, 'Back soon.']);
      assert.equal(await desired(), null);
      assert.equal((await asA('DELETE', url)).status, 204);
      assert.deepEqual([(await asA('GET', url)).body.enabled, (await asA('GET', url)).body.message], [false, '']);
      assert.equal((await asA('DELETE', url)).status, 204, 'nothing to remove is no error');
    });

    await t.test('the readonly member reads it; another customer cannot read, set or remove it', async () => {
      assert.equal((await asA('PUT', url, { enabled: true, subject: 'Away', message: 'Back soon.' })).status, 200);
      const asReader = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: reader.token });
      assert.equal((await asReader('GET', url)).body.subject, 'Away');
      assert.equal((await asReader('PUT', url, { enabled: false, subject: 'x', message: 'y' })).body.code, 'mailbox.forbidden');
      for (const ref of [joe.id, joe.address]) {
        for (const [method, body] of [['GET'], ['PUT', { enabled: true, subject: 'Hijacked', message: 'Send me your password' }], ['DELETE']] as const) {
          const r = await asB(method, `/api/v1/mailboxes/${ref}/vacation`, body);
          assert.deepEqual([r.status, r.body?.code], [404, 'mailbox.not_found'], `${method} ${ref}`);
        }
      }
      assert.equal((await asA('GET', url)).body.subject, 'Away', 'untouched');
    });

    await t.test('a removed mailbox takes its reply with it', async () => {
      assert.equal((await asA('DELETE', `/api/v1/mailboxes/${joe.id}`)).status, 204);
      assert.equal((await db.selectFrom('mailboxVacations').selectAll().where('mailboxId', '=', joe.id).execute()).length, 0);
    });
  });
}
