// SFTP users through the API (no sshd here: test/agent-sftp.test.ts applies them for real): names,
// folders, keys, quotas, passwords shown once and never stored, another customer's attempts, and the
// desired state of the hosting's web server (inactive when disabled or when the hosting is suspended).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';
import { sha512Crypt } from '../src/files/sha512-crypt.js';
import { authorizedKeyLine, parsePublicKey } from '../src/files/rules.js';
import { renderSshdConfig, renderUserBlock } from '../src/files/render-sshd.js';

// ssh-keygen -t ed25519 / -t rsa -b 1024 (refused: too short) / -t ecdsa
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAID0QT+0emWvDI0mychwQ8nFBIRtKIcT81KL+nx2hrJTH me@laptop';
const ECDSA = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFRvYRv587HBRS7ovgEbG4HwJKyx6p8MdX+6gv7SaC4yVCDl782DARRCJxg0homIAHRUk/0UQ3+0DPvOkReBBj8=';
const RSA_1024 = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDU3NgCQYR3RRw9dGovKUV9PrUjgQaZsklyCCBbcLH64PG1B6CJPStmffjA+0ClnzKxLlrRw3cM028Sb31x9i4w4W+56dQcoLw+E7eQC5lNwTWTEWxEix7iA0Y1AC5hptRjE/rfNZIHexRZ2IbLmRxWkdgZX1HuOB+eeACG3iPRfw==';

test('the key parser agrees with ssh-keygen -l and refuses what sshd should not get', () => {
  assert.equal(parsePublicKey(ED25519).fingerprint, 'SHA256:Vsurzi/I6L8qsYlCEgfkHJfCf7SAwv+aMs0FB2gtl6U');
  assert.throws(() => parsePublicKey(RSA_1024), /2048 bits/);
  for (const bad of ['', 'ssh-ed25519', 'ssh-dss AAAAB3NzaC1kc3M=', 'ssh-ed25519 AAAAC3NzaC1yc2EAAAAB', 'command="sh" ssh-ed25519 AAAA', `${ED25519}\nssh-ed25519 AAAA`]) {
    assert.throws(() => parsePublicKey(bad), Error, bad);
  }
  assert.equal(sha512Crypt('hello world', 'saltsaltsaltsalt'), '$6$saltsaltsaltsalt$YD4K4wfgQT2/SXJKQCJtSViXy9zOd9s5HrZ7VDjcivkBA7C1KyLvnOcdbJrjoR2CO.vbUNb9cRKLAedR0mR/G0', 'openssl passwd -6');
});

test('the sshd config: nobody signs in outside a Match block; a value that cannot be written is refused', () => {
  const spec = { bind: '127.0.0.1', port: 2222, hostKey: '/etc/ssh/abri/key', pidFile: '/run/abri/sshd.pid', keysDir: '/etc/ssh/abri/keys', chrootDir: '/var/lib/abri/sftp/chroot', users: [] };
  const block = renderUserBlock(spec, { name: 'h12-web', password: true, keys: false, start: '/files/var/www' });
  assert.equal(block, 'Match User h12-web\n\tPasswordAuthentication yes\n\tChrootDirectory /var/lib/abri/sftp/chroot/h12-web\n\tForceCommand internal-sftp -u 0022 -d /files/var/www\n');
  const keysOnly = renderUserBlock(spec, { name: 'h12-blog', password: false, keys: true, start: '/files' });
  assert.match(keysOnly, /AuthorizedKeysFile \/etc\/ssh\/abri\/keys\/h12-blog/);
  assert.doesNotMatch(keysOnly, /PasswordAuthentication/);
  const config = renderSshdConfig(spec, [block]);
  for (const line of ['PasswordAuthentication no', 'AuthorizedKeysFile none', 'PermitRootLogin no', 'DisableForwarding yes', 'PermitTTY no', 'UsePAM no', 'ForceCommand internal-sftp -u 0022']) {
    assert.ok(config.split('\n').includes(line), line);
  }
  assert.ok(config.indexOf('PasswordAuthentication no') < config.indexOf('Match User'), 'the global settings come before every Match block');
  for (const name of ['h12-web\nPort 22', 'root', 'h12-*', 'h12-a,root', '!h12-a', 'www-data']) {
    assert.throws(() => renderUserBlock(spec, { name, password: true, keys: false, start: '/files' }), Error, name);
  }
  assert.throws(() => renderUserBlock(spec, { name: 'h12-web', password: false, keys: false, start: '/files' }));
  assert.throws(() => renderUserBlock(spec, { name: 'h12-web', password: true, keys: false, start: '/files x' }));
  assert.throws(() => renderSshdConfig({ ...spec, bind: '0.0.0.0\nPermitRootLogin yes' }, []));
  assert.equal(authorizedKeyLine(parsePublicKey(ED25519)), `restrict ${ED25519.split(' ').slice(0, 2).join(' ')}`, 'no comment, restricted');
});

for (const database of testDatabases()) {
  test(`SFTP users of hostings (${database.name})`, async (t) => {
    const m = await startTestManager({ database });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const server = (await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.10'] })).body;
    const { a, b, reader, asA, asB } = await alphaAndBravo(m, { a: { maxFtpUsers: 2 } });
    const usersOf = (h: { id: string }) => `/api/v1/hostings/${h.id}/sftp-users`;
    let web: { id: string; name: string; newPassword: string };

    await t.test('a user with a generated password, shown once, stored as a SHA-512 crypt hash only', async () => {
      const r = await asA('POST', usersOf(a.hosting), { name: 'web' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      web = r.body;
      assert.equal(web.name, `${a.hosting.name}-web`);
      assert.match(web.newPassword, /^[A-Za-z0-9]{24}$/);
      assert.deepEqual([r.body.host, r.body.port, r.body.folder, r.body.startDirectory, r.body.password, r.body.locked], ['192.0.2.10', 2222, '', '/files/var/www', true, false]);
      assert.equal(r.body.provisioning.status, 'pending');
      const row = await db.selectFrom('sftpUsers').selectAll().where('id', '=', web.id).executeTakeFirstOrThrow();
      const salt = row.passwordHash!.split('$')[2]!;
      assert.equal(row.passwordHash, sha512Crypt(web.newPassword, salt));
      const audit = JSON.stringify(await db.selectFrom('auditLog').selectAll().execute());
      assert.ok(!audit.includes(web.newPassword) && !audit.includes(row.passwordHash!), 'neither the password nor its hash is audited');
      const shown = await asA('GET', `/api/v1/sftp-users/${web.name}`);
      assert.equal(shown.status, 200);
      assert.equal(shown.body.newPassword, undefined);
      assert.ok(!JSON.stringify(shown.body).includes(row.passwordHash!));
    });

    await t.test('names, folders and keys are checked; quotas come from the offer\'s maxFtpUsers', async () => {
      for (const [body, code, path] of [
        [{ name: 'Web' }, 'request.validation', 'body.name'], [{ name: 'a b' }, 'request.validation', 'body.name'], [{ name: 'x'.repeat(40) }, 'request.validation', 'body.name'],
        [{ name: 'x'.repeat(29) }, 'sftp_user.name_too_long', 'body.name'], [{ name: 'web' }, 'sftp_user.name_taken', 'body.name'],
        [{ name: 'up', folder: '../h2' }, 'sftp_user.folder_invalid', 'body.folder'], [{ name: 'up', folder: '/etc' }, 'sftp_user.folder_invalid', 'body.folder'],
        [{ name: 'up', folder: 'var/log' }, 'sftp_user.folder_invalid', 'body.folder'], [{ name: 'up', folder: 'var/www/../../..' }, 'sftp_user.folder_invalid', 'body.folder'],
        [{ name: 'up', folder: 'var/www/a\nb' }, 'sftp_user.folder_invalid', 'body.folder'],
        [{ name: 'up', password: false }, 'sftp_user.no_login', 'body.keys'], [{ name: 'up', keys: [RSA_1024] }, 'sftp_key.invalid', 'body.keys.0'],
        [{ name: 'up', keys: ['ssh-ed25519 AAAA"\nMatch all'] }, 'sftp_key.invalid', 'body.keys.0'], [{ name: 'up', keys: [ED25519, ED25519] }, 'sftp_key.taken', 'body.keys.1'],
      ] as Array<[Record<string, unknown>, string, string]>) {
        const r = await asA('POST', usersOf(a.hosting), body);
        assert.equal(r.body.code, code, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
        assert.ok(r.body.errors?.some((e: { path: string }) => e.path === path) || code.startsWith('request'), JSON.stringify(r.body));
      }
      const blog = await asA('POST', usersOf(a.hosting), { name: 'blog', folder: 'var/www/blog/', password: false, keys: [ED25519] });
      assert.equal(blog.status, 201, JSON.stringify(blog.body));
      assert.deepEqual([blog.body.folder, blog.body.startDirectory, blog.body.password, blog.body.newPassword], ['var/www/blog', '/files', false, undefined]);
      assert.equal(blog.body.keys[0].fingerprint, parsePublicKey(ED25519).fingerprint);
      const third = await asA('POST', usersOf(a.hosting), { name: 'third' });
      assert.equal(third.status, 409);
      assert.equal(third.body.code, 'quota.sftp_users_exceeded');
      // keys: added, refused twice, removed by fingerprint
      const added = await asA('POST', `/api/v1/sftp-users/${web.id}/keys`, { key: ECDSA });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      assert.equal((await asA('POST', `/api/v1/sftp-users/${web.id}/keys`, { key: ECDSA })).body.code, 'sftp_key.taken');
      const fp = encodeURIComponent(parsePublicKey(ECDSA).fingerprint);
      const removed = await asA('DELETE', `/api/v1/sftp-users/${web.id}/keys/${added.body.keys[0].id}`);
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.deepEqual(removed.body.keys, []);
      assert.equal((await asA('DELETE', `/api/v1/sftp-users/${web.id}/keys/${fp}`)).body.code, 'sftp_key.not_found');
      const moved = await asA('PATCH', `/api/v1/sftp-users/${web.id}`, { folder: 'var/www/site' });
      assert.equal(moved.body.folder, 'var/www/site');
      assert.equal((await asA('PATCH', `/api/v1/sftp-users/${web.id}`, { folder: 'tmp' })).body.code, 'sftp_user.folder_invalid');
    });

    await t.test('a new password replaces the old; a password can be removed (keys only)', async () => {
      const before = await db.selectFrom('sftpUsers').select('passwordHash').where('id', '=', web.id).executeTakeFirstOrThrow();
      const reset = await asA('POST', `/api/v1/sftp-users/${web.id}/password`);
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.notEqual(reset.body.newPassword, web.newPassword);
      const after = await db.selectFrom('sftpUsers').select('passwordHash').where('id', '=', web.id).executeTakeFirstOrThrow();
      assert.notEqual(after.passwordHash, before.passwordHash);
      const blog = (await asA('GET', `/api/v1/sftp-users/${a.hosting.name}-blog`)).body;
      const none = await asA('DELETE', `/api/v1/sftp-users/${blog.id}/password`);
      assert.equal(none.status, 200);
      assert.equal(none.body.password, false);
    });

    await t.test('another customer sees, changes and takes none of it; a readonly user only reads', async () => {
      for (const [method, path, body] of [
        ['GET', usersOf(a.hosting)], ['POST', usersOf(a.hosting), { name: 'stolen' }], ['GET', `/api/v1/sftp-users/${web.id}`], ['GET', `/api/v1/sftp-users/${web.name}`],
        ['PATCH', `/api/v1/sftp-users/${web.id}`, { enabled: false }], ['POST', `/api/v1/sftp-users/${web.id}/password`], ['DELETE', `/api/v1/sftp-users/${web.id}/password`],
        ['POST', `/api/v1/sftp-users/${web.id}/keys`, { key: ED25519 }], ['DELETE', `/api/v1/sftp-users/${web.id}/keys/x`], ['DELETE', `/api/v1/sftp-users/${web.id}`],
      ] as Array<[string, string, unknown?]>) {
        const r = await asB(method, path, body);
        assert.equal(r.status, 404, `${method} ${path}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.code, /^(hosting|sftp_user)\.not_found$/);
      }
      // B cannot take A's user's name for itself: the prefix is its own hosting's
      const mine = await asB('POST', usersOf(b.hosting), { name: 'web' });
      assert.equal(mine.status, 201);
      assert.equal(mine.body.name, `${b.hosting.name}-web`);
      const asReader = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: reader.token });
      assert.equal((await asReader('GET', `/api/v1/sftp-users/${web.id}`)).status, 200);
      assert.equal((await asReader('POST', `/api/v1/sftp-users/${web.id}/password`)).body.code, 'sftp_user.forbidden');
      assert.equal((await asReader('POST', usersOf(a.hosting), { name: 'nope' })).body.code, 'sftp_user.forbidden');
    });

    await t.test('the web server\'s desired state: users with their hash and keys, inactive when disabled or the hosting suspended', async () => {
      const ctx = { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] } } as never;
      const stateOf = async () => (await buildDesiredState(db, ctx, server.id)).sftp!.users;
      const users = await stateOf();
      assert.deepEqual(users.map((u) => [u.name, u.active]), [[`${a.hosting.name}-blog`, true], [`${a.hosting.name}-web`, true], [`${b.hosting.name}-web`, true]]);
      const blog = users.find((u) => u.name.endsWith('-blog'))!;
      assert.deepEqual([blog.passwordHash, blog.keys.length, blog.folder, blog.uid], [null, 1, 'var/www/blog', a.hosting.uid]);
      assert.equal((await asA('PATCH', `/api/v1/sftp-users/${web.id}`, { enabled: false })).status, 200);
      assert.equal((await stateOf()).find((u) => u.id === web.id)!.active, false);
      assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/suspend`, {})).status, 200);
      assert.deepEqual((await stateOf()).map((u) => u.active), [false, false, true]);
      const shown = await asA('GET', `/api/v1/sftp-users/${blog.id}`);
      assert.equal(shown.body.locked, true);
      assert.equal((await asA('POST', `/api/v1/sftp-users/${blog.id}/password`)).body.code, 'hosting.suspended');
      assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/reactivate`)).status, 200);
      assert.equal((await asA('DELETE', `/api/v1/sftp-users/${blog.id}`)).status, 204);
      assert.equal((await asA('GET', `/api/v1/sftp-users/${blog.id}`)).status, 404);
      const log = await db.selectFrom('auditLog').select('action').where('targetType', '=', 'sftp_user').execute();
      for (const action of ['sftp_user.create', 'sftp_user.update', 'sftp_user.password', 'sftp_user.password_remove', 'sftp_user.key_add', 'sftp_user.key_remove', 'sftp_user.delete']) {
        assert.ok(log.some((l) => l.action === action), action);
      }
    });
  });
}
