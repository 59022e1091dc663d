// DKIM keys of mail domains through the API (no mail server here: test/agent-mail-dkim.test.ts signs
// and verifies for real): a key made with each mail domain (sealed at rest), its public key in the
// domain's answer and as a managed TXT record of its zone, its private key given to its own mail
// server only; a rotation (not by another customer, not by a readonly member) publishes the new
// selector next to the old one, and the old record goes when its 7 days are over (by the Clock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import pino from 'pino';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { rsaKeyPairsHandedOut } from './helpers/rsa-keys.js';
import { testDatabases } from './helpers/databases.js';
import { allRecords } from './helpers/dns.js';
import { buildDesiredState } from '../src/agent/store.js';
import { ManualClock } from '../src/platform/clock.js';
import { expireDkimKeys } from '../src/mail/operations-dkim.js';

type Key = { selector: string; signing: boolean; name: string; content: string; createdAt: string; publishedUntil: string | null };
const DAY = 86_400_000;
const unquoted = (txt: string) => txt.replace(/^"|"$/g, '').replace(/" "/g, '');

for (const database of testDatabases()) {
  test(`DKIM keys of mail domains (${database.name})`, async (t) => {
    const clock = new ManualClock('2026-12-15T10:00:00Z');
    const m = await startTestManager({ database, clock, settings: { ABRI_PLATFORM_DOMAIN: 'abri-dkim-api.test' } });
    t.after(() => m.close());
    const app = m.manager.app;
    const { a, b, reader, asA, asB } = await alphaAndBravo(m);
    assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/sites`, { domain: 'alpha-dkim.test' })).status, 201);
    assert.equal((await m.api('POST', `/api/v1/hostings/${b.hosting.id}/sites`, { domain: 'bravo-dkim.test' })).status, 201);
    const mail1 = (await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['192.0.2.25'] })).body;
    const alpha = await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alpha-dkim.test' });
    assert.equal(alpha.status, 201, JSON.stringify(alpha.body));
    const mail2 = (await m.api('POST', '/api/v1/servers', { name: 'mail-2', roles: ['mail'], addresses: ['192.0.2.26'] })).body;
    const bravo = await asB('POST', `/api/v1/hostings/${b.hosting.id}/mail-domains`, { name: 'bravo-dkim.test' });
    assert.equal(bravo.status, 201, JSON.stringify(bravo.body));
    const id = alpha.body.id as string;
    const dkimOf = async (): Promise<{ selector: string; keys: Key[] }> => (await asA('GET', `/api/v1/mail-domains/${id}`)).body.dkim;
    const published = async (zone: string) => (await allRecords(m, zone)).filter((r) => r.name.includes('._domainkey.')).map((r) => ({ name: r.name, content: unquoted(r.content), managed: r.managed }));

    await t.test('a key is made with the domain, its public key published in its managed zone, its private key sealed', async () => {
      const { selector, keys } = alpha.body.dkim;
      assert.equal(selector, 'abri202612');
      assert.equal(keys.length, 1);
      assert.deepEqual([keys[0].name, keys[0].signing, keys[0].publishedUntil], ['abri202612._domainkey.alpha-dkim.test', true, null]);
      assert.match(keys[0].content, /^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]{300,}=*$/);
      assert.ok(alpha.body.dns.records.some((r: { name: string; type: string; content: string }) => r.name === keys[0].name && r.type === 'TXT' && r.content === keys[0].content));
      assert.deepEqual(await published('alpha-dkim.test'), [{ name: keys[0].name, content: keys[0].content, managed: true }]);
      assert.notEqual(bravo.body.dkim.keys[0].content, keys[0].content, 'one key per domain');
      for (const row of await app.db.selectFrom('mailDkimKeys').select('privateKey').execute()) {
        assert.match(row.privateKey, /^v1:/);
        assert.doesNotMatch(row.privateKey, /PRIVATE KEY/);
      }
    });

    await t.test('a refused request makes no key: another customer\'s hosting, a readonly member, a name not the hosting\'s, a domain taken', async () => {
      const before = rsaKeyPairsHandedOut();
      assert.equal((await asB('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alpha-dkim.test' })).status, 404);
      assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alpha-dkim.test' }, { token: reader.token })).status, 403);
      assert.equal((await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'bravo-dkim.test' })).body.code, 'mail_domain.not_in_hosting');
      assert.equal((await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alpha-dkim.test' })).body.code, 'mail_domain.taken');
      assert.equal((await asB('POST', `/api/v1/mail-domains/${id}/dkim/rotate`)).status, 404);
      assert.equal(rsaKeyPairsHandedOut(), before, 'no key pair was asked for');
    });

    await t.test('the private key goes to the domain\'s own mail server only', async () => {
      const state = async (serverId: string) => (await buildDesiredState(app.db, { ...app.config, secrets: app.secrets() }, serverId)).mail!.domains;
      const [on1, on2] = [await state(mail1.id), await state(mail2.id)];
      assert.deepEqual(on1.map((d) => d.name), ['alpha-dkim.test']);
      assert.deepEqual(on2.map((d) => d.name), ['bravo-dkim.test']);
      const key = on1[0]!.dkim!;
      assert.equal(key.selector, 'abri202612');
      assert.match(key.privateKey, /^-----BEGIN PRIVATE KEY-----\n/);
      const pub = createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
      assert.equal(`v=DKIM1; k=rsa; p=${pub}`, alpha.body.dkim.keys[0].content, 'the private key is the published one\'s');
      assert.equal((await buildDesiredState(app.db, app.config, mail1.id)).mail!.domains[0]!.dkim, null, 'no secrets, no key');
    });

    await t.test('another customer cannot rotate the key (not found), a readonly member may not', async () => {
      const other = await asB('POST', `/api/v1/mail-domains/${id}/dkim/rotate`);
      assert.deepEqual([other.status, other.body.code], [404, 'mail_domain.not_found']);
      const ro = await m.api('POST', `/api/v1/mail-domains/${id}/dkim/rotate`, undefined, { token: reader.token });
      assert.deepEqual([ro.status, ro.body.code], [403, 'mail_domain.forbidden']);
      assert.equal((await dkimOf()).selector, 'abri202612', 'unchanged');
    });

    const old = alpha.body.dkim.keys[0] as Key;
    await t.test('a rotation signs with a new selector and keeps the old record published for 7 days', async () => {
      clock.advance(DAY);
      const r = await asA('POST', `/api/v1/mail-domains/${id}/dkim/rotate`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const { selector, keys } = r.body.dkim as { selector: string; keys: Key[] };
      assert.equal(selector, 'abri202612-2');
      assert.deepEqual(keys.map((k) => [k.selector, k.signing, k.publishedUntil]), [['abri202612-2', true, null], ['abri202612', false, '2026-12-23T10:00:00.000Z']]);
      assert.deepEqual((await published('alpha-dkim.test')).map((p) => p.name).sort(), ['abri202612-2._domainkey.alpha-dkim.test', 'abri202612._domainkey.alpha-dkim.test']);
      const on1 = (await buildDesiredState(app.db, { ...app.config, secrets: app.secrets() }, mail1.id)).mail!.domains;
      assert.equal(on1[0]!.dkim!.selector, 'abri202612-2');
      const audit = await app.db.selectFrom('auditLog').select(['action', 'target']).where('action', '=', 'mail_domain.dkim_rotate').execute();
      assert.deepEqual(audit, [{ action: 'mail_domain.dkim_rotate', target: 'alpha-dkim.test' }]);
    });

    await t.test('the old record goes once its delay is over; the others stay', async () => {
      const job = () => expireDkimKeys({ app, now: clock.now(), log: pino({ level: 'silent' }) });
      clock.advance(6 * DAY);
      await job();
      assert.equal((await dkimOf()).keys.length, 2, 'still within its 7 days');
      clock.advance(DAY);
      await job();
      const { keys } = await dkimOf();
      assert.deepEqual(keys.map((k) => k.selector), ['abri202612-2']);
      assert.deepEqual((await published('alpha-dkim.test')).map((p) => p.name), ['abri202612-2._domainkey.alpha-dkim.test']);
      assert.ok(!(await published('alpha-dkim.test')).some((p) => p.content === old.content));
      assert.equal((await published('bravo-dkim.test')).length, 1, 'Bravo\'s key is untouched');
    });
  });
}
