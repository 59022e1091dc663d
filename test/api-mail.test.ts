// Mail through the API (no Postfix or Dovecot here: test/agent-mail.test.ts applies it for real):
// mail domains only for the hosting's own site names, mailboxes within the offer's maxMailboxes and
// mailMb, passwords given or generated and kept only as SHA-512 crypt strings, aliases, another
// customer's attempts, the mail server's desired state, and the renderers' refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';
import { sha512Crypt } from '../src/files/sha512-crypt.js';
import { renderPostfix, type MailNodeSpec } from '../src/mail/render-postfix.js';
import { renderDovecot } from '../src/mail/render-dovecot.js';

const spec: MailNodeSpec = {
  paths: {
    postfixDir: '/etc/abri/postfix', queueDir: '/var/spool/abri/postfix', dataDir: '/var/lib/abri/postfix', dovecotDir: '/etc/abri/dovecot', baseDir: '/run/abri/dovecot',
    vmailDir: '/var/lib/abri/vmail', certFile: '/etc/abri/mail/mail.pem', postfixLog: '/var/log/abri/postfix.log', dovecotLog: '/var/log/abri/dovecot.log', sieveDir: '/var/lib/abri/sieve',
  },
  hostname: 'mail.example.net', bind: '0.0.0.0', ports: { smtp: 25, submission: 587, smtps: 465, imap: 143, imaps: 993, pop3: 110, pop3s: 995, sieve: 4190, replies: 10026 }, relayhost: '',
  domains: ['example.org'],
  mailboxes: [{ id: '11111111-2222-3333-4444-555555555555', address: 'joe@example.org', hosting: 'h12', uid: 61012, passwordHash: sha512Crypt('secret', 'saltsaltsaltsalt'), quotaMb: 500, active: true }],
  aliases: [{ address: 'contact@example.org', destinations: ['joe@example.org', 'someone@elsewhere.example'] }],
  quotaWarning: { dir: '/etc/abri/mail-warn', user: 'abri-mailwarn' },
};

test('the renderers: no open relay, tables of checked values; a value that cannot be written is refused', () => {
  const postfix = Object.fromEntries(renderPostfix(spec).map((f) => [f.path, f.content]));
  assert.match(postfix['main.cf']!, /^smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination$/m);
  assert.match(postfix['main.cf']!, /^mynetworks =$/m);
  assert.match(postfix['master.cf']!, /^0\.0\.0\.0:587 inet n - n - - smtpd\n {2}-o smtpd_tls_security_level=encrypt$/m);
  assert.match(postfix.aliases!, /^contact@example\.org joe@example\.org, someone@elsewhere\.example$/m);
  const dovecot = Object.fromEntries(renderDovecot(spec).map((f) => [f.path, f]));
  assert.equal(dovecot.userdb!.content, 'joe@example.org::61012:61012::/var/lib/abri/vmail/h12/11111111-2222-3333-4444-555555555555::userdb_quota_rule=*:storage=500M\n');
  assert.equal(dovecot.passdb!.mode, 0o640);
  assert.equal(renderDovecot({ ...spec, mailboxes: [{ ...spec.mailboxes[0]!, active: false }] }).find((f) => f.path === 'passdb')!.content, '', 'an inactive mailbox cannot sign in');
  const box = spec.mailboxes[0]!;
  for (const bad of [{ address: 'joe\nroot@example.org' }, { address: 'joe:x@example.org' }, { address: 'Joe@example.org' }, { passwordHash: 'x:0:0' }, { uid: 0 }, { uid: 999 }, { hosting: '../h1' }, { id: '../../etc' }, { quotaMb: 0 }]) {
    assert.throws(() => renderDovecot({ ...spec, mailboxes: [{ ...box, ...bad }] }), /cannot render/, JSON.stringify(bad));
  }
  for (const bad of [{ domains: ['example.org\nrelay'] }, { domains: ['EXAMPLE.org'] }, { aliases: [{ address: 'a@example.org', destinations: ['x y@z.org'] }] }, { relayhost: 'evil\nhost' }, { hostname: 'a b' }]) {
    assert.throws(() => renderPostfix({ ...spec, ...bad }), /cannot render/, JSON.stringify(bad));
  }
});

for (const database of testDatabases()) {
  test(`mail of hostings (${database.name})`, async (t) => {
    const m = await startTestManager({ database, settings: { ABRI_MAIL_PORTS: 'smtp=25,submission=587,smtps=465,imap=143,imaps=993,pop3=110,pop3s=995,sieve=4190,replies=10026' } });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const { a, b, reader, asA, asB } = await alphaAndBravo(m, { a: { maxMailboxes: 2, mailMb: 100 } });
    assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/sites`, { domain: 'alpha-mail.test', aliases: ['alias.alpha-mail.test'] })).status, 201);
    assert.equal((await m.api('POST', `/api/v1/hostings/${b.hosting.id}/sites`, { domain: 'bravo-mail.test' })).status, 201);

    await t.test('no mail server yet: a clear refusal', async () => {
      const r = await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alpha-mail.test' });
      assert.equal(r.body.code, 'mail_domain.no_server');
    });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['192.0.2.25'] })).body;
    let domain: { id: string; name: string };
    let joe: { id: string; address: string; newPassword?: string };

    await t.test('a site domain or alias of the hosting becomes a mail domain; nobody else\'s', async () => {
      const r = await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'ALPHA-mail.test' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      domain = r.body;
      assert.deepEqual([r.body.name, r.body.server.host, r.body.server.ports.submission, r.body.provisioning.status], ['alpha-mail.test', '192.0.2.25', 587, 'pending']);
      assert.equal((await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alias.alpha-mail.test' })).status, 201);
      for (const [body, code] of [[{ name: 'alpha-mail.test' }, 'mail_domain.taken'], [{ name: 'bravo-mail.test' }, 'mail_domain.not_in_hosting'], [{ name: 'other.test' }, 'mail_domain.not_in_hosting'], [{ name: 'a b' }, 'request.validation']] as const) {
        assert.equal((await asA('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, body)).body.code, code, JSON.stringify(body));
      }
      // B cannot take A's domain, nor see that it exists
      for (const name of ['alpha-mail.test', 'alias.alpha-mail.test']) {
        const r2 = await asB('POST', `/api/v1/hostings/${b.hosting.id}/mail-domains`, { name });
        assert.equal(r2.body.code, 'mail_domain.not_in_hosting', JSON.stringify(r2.body));
      }
      assert.equal((await asB('POST', `/api/v1/hostings/${a.hosting.id}/mail-domains`, { name: 'alpha-mail.test' })).status, 404);
    });

    await t.test('mailboxes: a generated password shown once, or a given one; only SHA-512 crypt strings are kept', async () => {
      const r = await asA('POST', `/api/v1/mail-domains/${domain.name}/mailboxes`, { localPart: 'Joe', quotaMb: 60 });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      joe = r.body;
      assert.equal(joe.address, 'joe@alpha-mail.test');
      assert.match(joe.newPassword!, /^[A-Za-z0-9]{24}$/);
      const row = await db.selectFrom('mailboxes').selectAll().where('id', '=', joe.id).executeTakeFirstOrThrow();
      assert.equal(row.passwordHash, sha512Crypt(joe.newPassword!, row.passwordHash.split('$')[2]!));
      const given = await asA('POST', `/api/v1/mailboxes/${joe.address}/password`, { password: 'my own long password' });
      assert.equal(given.status, 200);
      assert.equal(given.body.newPassword, undefined, 'a given password is not echoed');
      const after = await db.selectFrom('mailboxes').select('passwordHash').where('id', '=', joe.id).executeTakeFirstOrThrow();
      assert.equal(after.passwordHash, sha512Crypt('my own long password', after.passwordHash.split('$')[2]!));
      const audit = JSON.stringify(await db.selectFrom('auditLog').selectAll().execute());
      assert.ok(!audit.includes(joe.newPassword!) && !audit.includes('my own long password') && !audit.includes(after.passwordHash));
      assert.equal((await asA('POST', `/api/v1/mailboxes/${joe.id}/password`, { password: 'short' })).body.code, 'request.validation');
    });

    await t.test('the offer\'s maxMailboxes and mailMb; one address is one mailbox or alias', async () => {
      assert.equal((await asA('POST', `/api/v1/mail-domains/${domain.id}/mailboxes`, { localPart: 'big', quotaMb: 41 })).body.code, 'quota.mail_space_exceeded');
      assert.equal((await asA('POST', `/api/v1/mail-domains/${domain.id}/mailboxes`, { localPart: 'joe', quotaMb: 1 })).body.code, 'mail_address.taken');
      assert.equal((await asA('POST', `/api/v1/mail-domains/${domain.id}/mailboxes`, { localPart: 'ann', quotaMb: 40 })).status, 201);
      assert.equal((await asA('POST', `/api/v1/mail-domains/${domain.id}/mailboxes`, { localPart: 'three', quotaMb: 1 })).body.code, 'quota.mailboxes_exceeded');
      assert.equal((await asA('PATCH', `/api/v1/mailboxes/${joe.id}`, { quotaMb: 61 })).body.code, 'quota.mail_space_exceeded');
      assert.equal((await asA('PATCH', `/api/v1/mailboxes/${joe.id}`, { quotaMb: 50, enabled: false })).body.quotaMb, 50);
      for (const localPart of ['a..b', '.a', 'a+b', 'a b', 'é']) assert.equal((await asA('POST', `/api/v1/mail-domains/${domain.id}/aliases`, { localPart, destinations: ['x@y.test'] })).body.code, 'request.validation', localPart);
      assert.equal((await asA('POST', `/api/v1/mail-domains/${domain.id}/aliases`, { localPart: 'ann', destinations: ['x@y.test'] })).body.code, 'mail_address.taken');
      assert.equal((await asA('POST', `/api/v1/mail-domains/${domain.id}/aliases`, { localPart: 'info', destinations: ['x y@z.test'] })).body.code, 'request.validation');
      const alias = await asA('POST', `/api/v1/mail-domains/${domain.id}/aliases`, { localPart: 'info', destinations: ['joe@alpha-mail.test', 'Friend@Elsewhere.test'] });
      assert.equal(alias.status, 201, JSON.stringify(alias.body));
      assert.deepEqual(alias.body.destinations, ['joe@alpha-mail.test', 'friend@elsewhere.test']);
    });

    await t.test('another customer can neither read nor change A\'s mail; a readonly member reads only', async () => {
      for (const path of [`/api/v1/mail-domains/${domain.id}`, `/api/v1/mail-domains/${domain.name}/mailboxes`, `/api/v1/mailboxes/${joe.id}`, `/api/v1/mailboxes/${joe.address}`, '/api/v1/mail-aliases/info@alpha-mail.test']) {
        assert.equal((await asB('GET', path)).status, 404, path);
      }
      assert.equal((await asB('POST', `/api/v1/mailboxes/${joe.id}/password`, { password: 'taken over by bravo' })).status, 404);
      assert.equal((await asB('PATCH', `/api/v1/mailboxes/${joe.id}`, { enabled: true })).status, 404);
      assert.equal((await asB('DELETE', `/api/v1/mailboxes/${joe.id}`)).status, 404);
      assert.equal((await asB('POST', `/api/v1/mail-domains/${domain.id}/aliases`, { localPart: 'steal', destinations: ['bravo@bravo-mail.test'] })).status, 404);
      assert.equal((await asB('DELETE', `/api/v1/mail-domains/${domain.id}`)).status, 404);
      const asReader = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: reader.token });
      assert.equal((await asReader('GET', `/api/v1/mailboxes/${joe.id}`)).status, 200);
      assert.equal((await asReader('POST', `/api/v1/mailboxes/${joe.id}/password`, {})).body.code, 'mailbox.forbidden');
    });

    await t.test('the mail server\'s desired state: hashes and quotas, inactive mailboxes kept for delivery', async () => {
      const state = await buildDesiredState(db, m.manager.app.config, server.id);
      assert.deepEqual(state.mail!.domains.map((d) => d.name), ['alias.alpha-mail.test', 'alpha-mail.test']);
      const j = state.mail!.mailboxes.find((x) => x.address === joe.address)!;
      assert.deepEqual([j.active, j.quotaMb, j.uid, j.hosting], [false, 50, a.hosting.uid, a.hosting.name]);
      assert.match(j.passwordHash, /^\$6\$/);
      assert.deepEqual(state.mail!.aliases.map((x) => x.address), ['info@alpha-mail.test']);
      assert.equal((await asA('DELETE', `/api/v1/mail-domains/${domain.id}`)).status, 204);
      const later = await buildDesiredState(db, m.manager.app.config, server.id);
      assert.deepEqual([later.mail!.domains.length, later.mail!.mailboxes.length, later.mail!.aliases.length], [1, 0, 0]);
    });
  });
}
