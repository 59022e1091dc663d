// SSH shell access of SFTP users through the API (test/agent-ssh-shell.test.ts applies it on a real
// sshd): only when the hosting's offer allows SSH, only for a user of the whole home, audited, sent
// to the web server (and taken back there when the offer stops allowing SSH); another customer
// neither sees nor turns on anyone's shell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAID0QT+0emWvDI0mychwQ8nFBIRtKIcT81KL+nx2hrJTH me@laptop';

for (const database of testDatabases()) {
  test(`SSH shell access of SFTP users (${database.name})`, async (t) => {
    const m = await startTestManager({ database });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const server = (await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.10'] })).body;
    const { a, b, asA, asB } = await alphaAndBravo(m, { a: { maxFtpUsers: 3, sshAllowed: true }, b: { maxFtpUsers: 3, sshAllowed: false } });
    const usersOf = (h: { id: string }) => `/api/v1/hostings/${h.id}/sftp-users`;
    const state = () => buildDesiredState(db, { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] } } as never, server.id);
    const desired = async () => (await state()).sftp!.users;
    let dev: { id: string; name: string };

    await t.test('an offer with SSH: a shell user of the whole home, starting in its var/www, sent to the web server', async () => {
      const r = await asA('POST', usersOf(a.hosting), { name: 'dev', shell: true, password: false, keys: [ED25519] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      dev = r.body;
      const home = (await asA('GET', `/api/v1/hostings/${a.hosting.id}`)).body.home;
      assert.deepEqual([r.body.shell, r.body.folder, r.body.startDirectory], [true, '', `${home}/var/www`]);
      const audit = await db
        .selectFrom('auditLog')
        .selectAll()
        .where('action', '=', 'sftp_user.create')
        .where('targetId', '=', dev.id)
        .executeTakeFirstOrThrow();
      assert.equal((audit.after as { shell: boolean }).shell, true);
      assert.equal((await desired()).find((u) => u.id === dev.id)!.shell, true);
      const sftpOnly = await asA('POST', usersOf(a.hosting), { name: 'web' });
      assert.equal(sftpOnly.body.shell, false, 'SFTP only unless asked');
    });

    await t.test('a shell user keeps the whole home: no restriction folder, either way round', async () => {
      const r = await asA('POST', usersOf(a.hosting), { name: 'blog', folder: 'var/www/blog', shell: true });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.code, 'sftp_user.shell_folder');
      assert.equal(r.body.errors[0].path, 'body.shell');
      assert.equal((await asA('PATCH', `/api/v1/sftp-users/${dev.id}`, { folder: 'var/www/blog' })).body.code, 'sftp_user.shell_folder');
      const web = (await asA('GET', `/api/v1/sftp-users/${a.hosting.name}-web`)).body;
      assert.equal((await asA('PATCH', `/api/v1/sftp-users/${web.id}`, { folder: 'var/www/x' })).status, 200);
      assert.equal((await asA('PATCH', `/api/v1/sftp-users/${web.id}`, { shell: true })).body.code, 'sftp_user.shell_folder');
      const on = await asA('PATCH', `/api/v1/sftp-users/${web.id}`, { folder: '', shell: true });
      assert.equal(on.status, 200, JSON.stringify(on.body));
      assert.equal(on.body.shell, true);
      const off = await asA('PATCH', `/api/v1/sftp-users/${web.id}`, { shell: false, folder: 'var/www/x' });
      assert.deepEqual([off.body.shell, off.body.folder, off.body.startDirectory], [false, 'var/www/x', '/files']);
      const audits = await db
        .selectFrom('auditLog')
        .select(['before', 'after'])
        .where('action', '=', 'sftp_user.update')
        .where('targetId', '=', web.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audits.map((x) => [(x.before as { shell: boolean }).shell, (x.after as { shell: boolean }).shell]),
        [
          [false, false],
          [false, true],
          [true, false],
        ],
      );
    });

    await t.test('an offer without SSH refuses a shell, at creation and later', async () => {
      const r = await asB('POST', usersOf(b.hosting), { name: 'dev', shell: true });
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.equal(r.body.code, 'sftp_user.shell_not_allowed');
      assert.equal(r.body.errors[0].params.offer, b.offer.name);
      const web = await asB('POST', usersOf(b.hosting), { name: 'web' });
      assert.equal(web.status, 201);
      assert.equal((await asB('PATCH', `/api/v1/sftp-users/${web.body.id}`, { shell: true })).body.code, 'sftp_user.shell_not_allowed');
      assert.equal((await asB('GET', `/api/v1/sftp-users/${web.body.id}`)).body.shell, false);
    });

    await t.test('an offer that stops allowing SSH takes the shell back on the web server', async () => {
      const before = (await state()).revision;
      const patched = await m.api('PATCH', `/api/v1/offers/${a.offer.id}`, { sshAllowed: false });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.ok((await state()).revision > before, 'the web server gets a new revision: it applies the change now');
      assert.equal((await desired()).find((u) => u.id === dev.id)!.shell, false);
      assert.equal((await asA('GET', `/api/v1/sftp-users/${dev.id}`)).body.shell, true, 'the user keeps its setting for when the offer allows SSH again');
      await m.api('PATCH', `/api/v1/offers/${a.offer.id}`, { sshAllowed: true });
    });

    await t.test('another customer neither sees nor changes a shell user', async () => {
      for (const [method, path, body] of [
        ['GET', `/api/v1/sftp-users/${dev.id}`],
        ['PATCH', `/api/v1/sftp-users/${dev.id}`, { shell: false }],
        ['POST', usersOf(a.hosting), { name: 'x', shell: true }],
      ] as Array<[string, string, unknown?]>) {
        const r = await asB(method, path, body);
        assert.equal(r.status, 404, `${method} ${path}: ${JSON.stringify(r.body)}`);
      }
      assert.equal((await asA('GET', `/api/v1/sftp-users/${dev.id}`)).body.shell, true);
    });
  });
}
