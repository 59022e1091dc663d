// FTP users through the API (no Pure-FTPd here: test/agent-ftp.test.ts applies them for real): names,
// folders, the quota shared with SFTP users, passwords shown once and never stored, another
// customer's attempts, the web server's desired state, and the renderer's refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';
import { sha512Crypt } from '../src/files/sha512-crypt.js';
import { renderFtpUserLine, renderPureFtpdArgs } from '../src/files/render-pure-ftpd.js';

const HASH = sha512Crypt('secret', 'saltsaltsaltsalt');

test('the users\' file and the command line: every user chrooted; a value that cannot be written is refused', () => {
  const u = { name: 'h12-web', passwordHash: HASH, uid: 61000, chroot: '/var/lib/abri/ftp/chroot/h12-web/files', start: 'var/www' };
  assert.equal(renderFtpUserLine(u, 1000), `h12-web:${HASH}:61000:61000::/var/lib/abri/ftp/chroot/h12-web/files/./var/www::::::::::::`);
  assert.match(renderFtpUserLine({ ...u, start: '' }, 1000), /:\/var\/lib\/abri\/ftp\/chroot\/h12-web\/files\/\.\/:/);
  for (const bad of [{ name: 'root' }, { name: 'h12-web:x' }, { name: 'h12-web\nroot' }, { passwordHash: 'x:0:0' }, { passwordHash: '' }, { uid: 0 }, { uid: 999 },
    { chroot: '/' + 'a:b' }, { chroot: '/a/./b' }, { chroot: 'relative' }, { chroot: '/a/../b' }, { start: '../..' }, { start: 'etc' }]) {
    assert.throws(() => renderFtpUserLine({ ...u, ...bad }, 1000), Error, JSON.stringify(bad));
  }
  const spec = { bind: '127.0.0.1', port: 2121, passive: { first: 30000, last: 30099 }, passiveIp: null, tls: 'required' as const, certFile: '/etc/abri/pure-ftpd/pure-ftpd.pem', puredb: '/etc/abri/pure-ftpd/pureftpd.pdb', pidFile: '/run/abri/pure-ftpd.pid', minUid: 1000 };
  const args = renderPureFtpdArgs(spec).join(' ');
  for (const part of ['--bind 127.0.0.1,2121', '--noanonymous', '--chrooteveryone', '--umask 133:022', '--passiveportrange 30000:30099', '--tls 2', '--minuid 1000', '--login puredb:/etc/abri/pure-ftpd/pureftpd.pdb']) {
    assert.ok(args.includes(part), part);
  }
  assert.match(renderPureFtpdArgs({ ...spec, tls: 'optional', passiveIp: '203.0.113.5' }).join(' '), /--forcepassiveip 203\.0\.113\.5 --tls 1/);
  assert.throws(() => renderPureFtpdArgs({ ...spec, bind: '0.0.0.0,21' }));
  assert.throws(() => renderPureFtpdArgs({ ...spec, certFile: '/x y' }));
});

for (const database of testDatabases()) {
  test(`FTP users of hostings (${database.name})`, async (t) => {
    const m = await startTestManager({ database, settings: { ABRI_FTP_PORT: '2121', ABRI_FTP_PASSIVE: '30000-30009' } });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const server = (await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.10'] })).body;
    const { a, b, reader, asA, asB } = await alphaAndBravo(m, { a: { maxFtpUsers: 3 } });
    const usersOf = (h: { id: string }) => `/api/v1/hostings/${h.id}/ftp-users`;
    let web: { id: string; name: string; newPassword: string };

    await t.test('a user with a generated password, shown once, stored as a SHA-512 crypt hash only', async () => {
      const r = await asA('POST', usersOf(a.hosting), { name: 'web' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      web = r.body;
      assert.equal(web.name, `${a.hosting.name}-web`);
      assert.match(web.newPassword, /^[A-Za-z0-9]{24}$/);
      assert.deepEqual([r.body.host, r.body.port, r.body.passivePorts, r.body.folder, r.body.startDirectory, r.body.locked], ['192.0.2.10', 2121, '30000-30009', '', '/var/www', false]);
      assert.equal(r.body.provisioning.status, 'pending');
      const row = await db.selectFrom('ftpUsers').selectAll().where('id', '=', web.id).executeTakeFirstOrThrow();
      assert.equal(row.passwordHash, sha512Crypt(web.newPassword, row.passwordHash.split('$')[2]!));
      const audit = JSON.stringify(await db.selectFrom('auditLog').selectAll().execute());
      assert.ok(!audit.includes(web.newPassword) && !audit.includes(row.passwordHash), 'neither the password nor its hash is audited');
      const shown = await asA('GET', `/api/v1/ftp-users/${web.name}`);
      assert.equal(shown.status, 200);
      assert.equal(shown.body.newPassword, undefined);
      assert.ok(!JSON.stringify(shown.body).includes(row.passwordHash));
    });

    await t.test('names and folders are checked; SFTP and FTP users share the offer\'s maxFtpUsers and their names', async () => {
      assert.equal((await asA('POST', `/api/v1/hostings/${a.hosting.id}/sftp-users`, { name: 'deploy' })).status, 201);
      for (const [body, code] of [
        [{ name: 'Web' }, 'request.validation'], [{ name: 'a:b' }, 'request.validation'], [{ name: 'x'.repeat(29) }, 'ftp_user.name_too_long'], [{ name: 'web' }, 'ftp_user.name_taken'],
        [{ name: 'deploy' }, 'ftp_user.name_taken'], [{ name: 'up', folder: '../h2' }, 'ftp_user.folder_invalid'], [{ name: 'up', folder: '/etc' }, 'ftp_user.folder_invalid'],
        [{ name: 'up', folder: 'var/log' }, 'ftp_user.folder_invalid'], [{ name: 'up', folder: 'var/www/a:b/./c' }, 'ftp_user.folder_invalid'], [{ name: 'up', folder: 'var/www/a\nb' }, 'ftp_user.folder_invalid'],
      ] as Array<[Record<string, unknown>, string]>) {
        const r = await asA('POST', usersOf(a.hosting), body);
        assert.equal(r.body.code, code, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
      }
      const blog = await asA('POST', usersOf(a.hosting), { name: 'blog', folder: 'var/www/blog/' });
      assert.equal(blog.status, 201, JSON.stringify(blog.body));
      assert.deepEqual([blog.body.folder, blog.body.startDirectory], ['var/www/blog', '/']);
      const fourth = await asA('POST', usersOf(a.hosting), { name: 'fourth' });
      assert.equal(fourth.status, 409);
      assert.equal(fourth.body.code, 'quota.ftp_users_exceeded');
      assert.deepEqual(fourth.body.params, { offer: a.offer.name, max: 3, used: 3 });
      const moved = await asA('PATCH', `/api/v1/ftp-users/${web.id}`, { folder: 'var/www/site' });
      assert.deepEqual([moved.status, moved.body.folder, moved.body.startDirectory], [200, 'var/www/site', '/']);
      assert.equal((await asA('PATCH', `/api/v1/ftp-users/${web.id}`, { folder: 'tmp' })).body.code, 'ftp_user.folder_invalid');
    });

    await t.test('a new password replaces the old', async () => {
      const before = await db.selectFrom('ftpUsers').select('passwordHash').where('id', '=', web.id).executeTakeFirstOrThrow();
      const reset = await asA('POST', `/api/v1/ftp-users/${web.id}/password`);
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.notEqual(reset.body.newPassword, web.newPassword);
      const after = await db.selectFrom('ftpUsers').select('passwordHash').where('id', '=', web.id).executeTakeFirstOrThrow();
      assert.notEqual(after.passwordHash, before.passwordHash);
    });

    await t.test('another customer sees, changes and takes none of it; a readonly user only reads', async () => {
      for (const [method, path, body] of [
        ['GET', usersOf(a.hosting)], ['POST', usersOf(a.hosting), { name: 'stolen' }], ['GET', `/api/v1/ftp-users/${web.id}`], ['GET', `/api/v1/ftp-users/${web.name}`],
        ['PATCH', `/api/v1/ftp-users/${web.id}`, { enabled: false }], ['PATCH', `/api/v1/ftp-users/${web.name}`, { folder: '' }], ['POST', `/api/v1/ftp-users/${web.id}/password`],
        ['DELETE', `/api/v1/ftp-users/${web.id}`], ['DELETE', `/api/v1/ftp-users/${web.name}`],
      ] as Array<[string, string, unknown?]>) {
        const r = await asB(method, path, body);
        assert.equal(r.status, 404, `${method} ${path}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.code, /^(hosting|ftp_user)\.not_found$/);
      }
      assert.equal((await asA('GET', `/api/v1/ftp-users/${web.id}`)).body.enabled, true, 'untouched');
      const mine = await asB('POST', usersOf(b.hosting), { name: 'web' });
      assert.equal(mine.status, 201);
      assert.equal(mine.body.name, `${b.hosting.name}-web`);
      const list = await asB('GET', usersOf(b.hosting));
      assert.deepEqual(list.body.items.map((u: { name: string }) => u.name), [`${b.hosting.name}-web`]);
      const asReader = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: reader.token });
      assert.equal((await asReader('GET', `/api/v1/ftp-users/${web.id}`)).status, 200);
      assert.equal((await asReader('POST', `/api/v1/ftp-users/${web.id}/password`)).body.code, 'ftp_user.forbidden');
      assert.equal((await asReader('DELETE', `/api/v1/ftp-users/${web.id}`)).body.code, 'ftp_user.forbidden');
    });

    await t.test('the web server\'s desired state: users with their hash, inactive when disabled or the hosting suspended', async () => {
      const ctx = { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] } } as never;
      const stateOf = async () => (await buildDesiredState(db, ctx, server.id)).ftp!;
      const state = await stateOf();
      assert.equal(state.certificate, null, 'no platform certificate issued: the server makes a self-signed one');
      assert.deepEqual(state.users.map((u) => [u.name, u.active]), [[`${a.hosting.name}-blog`, true], [`${a.hosting.name}-web`, true], [`${b.hosting.name}-web`, true]]);
      const blog = state.users.find((u) => u.name.endsWith('-blog'))!;
      assert.deepEqual([blog.folder, blog.uid, blog.home], ['var/www/blog', a.hosting.uid, a.hosting.home]);
      assert.equal((await asA('PATCH', `/api/v1/ftp-users/${web.id}`, { enabled: false })).status, 200);
      assert.equal((await stateOf()).users.find((u) => u.id === web.id)!.active, false);
      assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/suspend`, {})).status, 200);
      assert.deepEqual((await stateOf()).users.map((u) => u.active), [false, false, true]);
      assert.equal((await asA('GET', `/api/v1/ftp-users/${blog.id}`)).body.locked, true);
      assert.equal((await asA('POST', `/api/v1/ftp-users/${blog.id}/password`)).body.code, 'hosting.suspended');
      assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/reactivate`)).status, 200);
      assert.equal((await asA('DELETE', `/api/v1/ftp-users/${blog.id}`)).status, 204);
      assert.equal((await asA('GET', `/api/v1/ftp-users/${blog.id}`)).status, 404);
      assert.equal((await stateOf()).users.length, 2);
      const log = await db.selectFrom('auditLog').select('action').where('targetType', '=', 'ftp_user').execute();
      for (const action of ['ftp_user.create', 'ftp_user.update', 'ftp_user.password', 'ftp_user.delete']) assert.ok(log.some((l) => l.action === action), action);
    });

    await t.test('FTPS presents the platform certificate once issued: a web server may fetch that one, no other', async () => {
      const ctx = { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] } } as never;
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
      const { id } = await db.insertInto('certificates').values({
        kind: 'platform', siteId: null, names: ['x.test', '*.x.test'], problems: '[]', issuer: 'test', serial: '1', fingerprint: 'ab12', notBefore: new Date(Date.now() - 3_600_000),
        notAfter: new Date(Date.now() + 30 * 86_400_000), certPem: pem, chainPem: null, keySealed: m.manager.app.secrets().seal('-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----'),
        renewAt: null, lastError: null, lastAttemptAt: null,
      }).returning('id').executeTakeFirstOrThrow();
      assert.deepEqual((await buildDesiredState(db, ctx, server.id)).ftp!.certificate, { id, fingerprint: 'ab12' });
      const asWeb = (ref: string) => m.api('GET', `/agent/v1/certificates/${ref}`, undefined, { token: server.agentToken, unchecked: true });
      const got = await asWeb(id);
      assert.equal(got.status, 200, JSON.stringify(got.body));
      assert.match(got.body.pem, /BEGIN CERTIFICATE[\s\S]*BEGIN PRIVATE KEY/);
      // a site's certificate (another customer's, even): never to a web server
      const site = (await m.api('POST', `/api/v1/hostings/${b.hosting.id}/sites`, { domain: 'bravo-ftp.test' })).body;
      const other = (await m.api('GET', `/api/v1/sites/${site.id}/certificate`)).body;
      assert.match(other.id, /^[0-9a-f-]{36}$/);
      await db.updateTable('certificates').set({ certPem: pem, keySealed: m.manager.app.secrets().seal('k'), fingerprint: 'cd34', notAfter: new Date(Date.now() + 86_400_000) }).where('id', '=', other.id).execute();
      assert.equal((await asWeb(other.id)).status, 404, 'not a site\'s certificate');
      assert.equal((await asWeb('00000000-0000-4000-8000-000000000000')).status, 404);
    });
  });
}
