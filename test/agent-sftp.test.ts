// Integration (root, a real OpenSSH sshd that the agent's SFTP driver starts on a loopback port with
// its own host key and config — never the machine's sshd on port 22 — and Debian's sftp/ssh clients):
// SFTP users made through the API sign in with their password or key, upload files that belong to
// the hosting (0644/0755), stay inside their restriction folder whatever path or symlink they try,
// get no shell and no forwarding, never reach another hosting's files; a wrong password, a disabled
// user or a suspended hosting is refused; a bad value of one user never stops sshd for the others.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-sftp.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { freePort } from './harness/services.js';
import { loadConfig } from '../src/platform/config.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { Agent } from '../src/agent/loop.js';
import { HttpManagerLink } from '../src/agent/client.js';
import { buildDesiredState } from '../src/agent/store.js';
import { nodeLayout } from '../src/node/layout.js';
import { HomeStorage } from '../src/hosting/apply-storage.js';
import { SftpDriver, sftpPaths } from '../src/files/apply-sshd.js';
import { currentRevision } from '../src/platform/store-revision.js';
import { AccountsDriver } from './helpers/accounts-driver.js';

const SSHD = '/usr/sbin/sshd';
const missing = [SSHD, '/usr/bin/sftp', '/usr/bin/ssh', '/usr/bin/setfacl'].filter((f) => !existsSync(f));
if (missing.length && process.env.CI === 'true') test('OpenSSH is installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-sftp.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

interface Run { code: number; stdout: string; stderr: string }
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, input = ''): Promise<Run> => new Promise((resolve) => {
  const child = execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
    resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
  });
  child.stdin!.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e; // a client that exits before reading its input (refused)
  });
  child.stdin!.end(input);
});

describe('SFTP users on a real sshd, applied by the web server\'s agent', { skip: missing.length > 0 }, () => {
  let m: TestManager;
  let agent: Agent | null = null;
  let root: string;
  let port: number;
  let sftpDriver: SftpDriver;
  let serverId: string;
  const hostings: Record<string, { id: string; name: string; uid: number; home: string }> = {};
  const users: Record<string, { id: string; name: string; newPassword?: string }> = {};
  const keyFile = () => path.join(root, 'client', 'id_ed25519');

  const state = async (id: string) => (await m.api('GET', `/api/v1/sftp-users/${id}`)).body.provisioning;
  const live = (id: string) => until(`sftp user ${id} live`, async () => {
    const p = await state(id);
    if (p.status === 'error') throw new Error(`${p.code}: ${p.message}`);
    return p.status === 'live';
  });
  const common = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10'];
  /** sftp as a user, with its key or a password (given by an askpass script, as a person would type it) */
  const sftp = async (user: string, auth: { key: string } | { password: string }, commands: string[]): Promise<Run> => {
    const batch = path.join(root, 'client', `batch-${Math.random().toString(36).slice(2)}`);
    await writeFile(batch, commands.join('\n') + '\n');
    if ('key' in auth) {
      return run('sftp', [...common, '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', auth.key, '-P', String(port), '-b', batch, `${user}@127.0.0.1`]);
    }
    const askpass = path.join(root, 'client', 'askpass');
    await writeFile(askpass, '#!/bin/sh\nprintf "%s\\n" "$SFTP_TEST_PASSWORD"\n', { mode: 0o700 });
    return run('sftp', [...common, '-o', 'BatchMode=no', '-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password', '-o', 'NumberOfPasswordPrompts=1',
      '-P', String(port), '-b', batch, `${user}@127.0.0.1`], { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0', SFTP_TEST_PASSWORD: auth.password });
  };
  const sshdPid = async () => Number((await readFile(sftpPaths(path.join(root, 'node')).pidFile, 'utf8')).trim());

  before(async () => {
    root = await mkdtemp('/srv/abri-sftp-test-'); // not under /tmp: sshd wants every component of a chroot and of a keys file root-owned and not world-writable
    await chmod(root, 0o755);
    for (const d of ['node', 'homes', 'client']) await run('mkdir', ['-m', '0755', path.join(root, d)]);
    await chmod(path.join(root, 'client'), 0o700);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile()]);
    port = await freePort();
    m = await startTestManager({ settings: { ABRI_HOSTING_PREFIX: 'asf', ABRI_UID_MIN: '61000', ABRI_UID_MAX: '61999', ABRI_HOSTING_ROOT: path.join(root, 'homes'), ABRI_SFTP_PORT: String(port) } });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'web-sftp', roles: ['web'], addresses: ['127.0.0.1'] })).body;
    serverId = server.id;
    for (const [k, customer] of [['a', 'Alpha'], ['b', 'Bravo']] as const) {
      const h = (await seedHosting(m, { customer, offer: { maxFtpUsers: 3 } })).hosting;
      hostings[k] = (await m.api('GET', `/api/v1/hostings/${h.id}`)).body;
    }
    const config = loadConfig({}, {
      ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: path.join(root, 'node'), ABRI_RECONCILE_SECONDS: '1',
      ABRI_SFTP_BIND: '127.0.0.1', ABRI_SFTP_PORT: String(port), ABRI_SSHD: SSHD,
    });
    const layout = nodeLayout(path.join(root, 'node'));
    const log = pino({ level: 'silent' });
    sftpDriver = new SftpDriver(new LocalExecutor(), config.node, layout, log);
    agent = new Agent({ link: new HttpManagerLink(m.url, server.agentToken), mode: 'apply', log, reconcileMs: 1000, waitMs: 2000, drivers: [new AccountsDriver(layout.accountsDir, new HomeStorage(new LocalExecutor(), config.node.disk, log)), sftpDriver] }).start();

    const create = async (k: string, hosting: string, body: Record<string, unknown>) => {
      const r = await m.api('POST', `/api/v1/hostings/${hostings[hosting]!.id}/sftp-users`, body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      users[k] = r.body;
    };
    await create('aweb', 'a', { name: 'web' });
    await create('ablog', 'a', { name: 'blog', folder: 'var/www/blog', password: false, keys: [await readFile(`${keyFile()}.pub`, 'utf8')] });
    await create('bsite', 'b', { name: 'site' });
    for (const u of Object.values(users)) await live(u.id);
  });

  after(async () => {
    await agent?.stop();
    // the agent's own code removes the accounts and mounts: no user, no hosting wanted any more
    await sftpDriver?.reconcile({ revision: 0, server: { id: serverId, name: 'web-sftp', roles: ['web'] }, sftp: { users: [] } }).catch((e: unknown) => console.error(e));
    // with no user left the driver stops its sshd
    const pid = await sshdPid().catch(() => 0);
    if (pid) await until('sshd stopped', async () => !existsSync(`/proc/${pid}`), 10_000).catch((e: unknown) => console.error(e));
    for (const h of Object.values(hostings)) {
      await run('userdel', ['-f', h.name]);
      await run('groupdel', [h.name]);
    }
    // the stopped agent's keep-alive connection would hold the manager's close for its timeout (about 70 s)
    m?.manager.server.server.closeAllConnections();
    await m?.close();
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    if (root && !mounts.includes(root)) await rm(root, { recursive: true, force: true });
    else if (root) console.error(`left ${root} in place: something is still mounted under it`);
  });

  test('a password user uploads a file: it belongs to the hosting, 0644 (folders 0755), and lists its folder', async () => {
    const local = path.join(root, 'client', 'hello.txt');
    await writeFile(local, 'hello over sftp\n');
    const r = await sftp(users.aweb!.name, { password: users.aweb!.newPassword! }, ['pwd', `put ${local} hello.txt`, 'mkdir up', `put ${local} up/again.txt`, 'ls -l']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Remote working directory: \/files\/var\/www/);
    assert.match(r.stdout, /hello\.txt/);
    const a = hostings.a!;
    const file = await stat(path.join(a.home, 'var/www/hello.txt'));
    assert.deepEqual([file.uid, file.gid, file.mode & 0o777], [a.uid, a.uid, 0o644]);
    const dir = await stat(path.join(a.home, 'var/www/up'));
    assert.deepEqual([dir.uid, dir.mode & 0o777], [a.uid, 0o755]);
    assert.equal(await readFile(path.join(a.home, 'var/www/up/again.txt'), 'utf8'), 'hello over sftp\n');
  });

  test('a key user is kept inside its folder: .., absolute paths and the hosting\'s symlinks lead nowhere', async () => {
    const a = hostings.a!;
    const blog = path.join(a.home, 'var/www/blog');
    assert.equal((await stat(blog)).uid, a.uid, 'the missing folder was made, as the hosting\'s');
    await writeFile(path.join(blog, 'index.html'), '<h1>blog</h1>');
    await symlink('/etc', path.join(blog, 'etc-link'));
    await symlink(hostings.b!.home, path.join(blog, 'b-link'));
    await symlink('../../../../../../../../etc/passwd', path.join(blog, 'up-link'));
    const get = path.join(root, 'client', 'got');
    const r = await sftp(users.ablog!.name, { key: keyFile() }, ['pwd', 'ls -1 /', 'ls -1 /files', 'cd ..', 'pwd', 'cd /files']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Remote working directory: \/files\n/);
    assert.match(r.stdout, /index\.html/);
    assert.doesNotMatch(r.stdout, /\bvar\b|\btmp\b|backups/, 'nothing of the home above the folder');
    for (const attempt of ['get /etc/passwd', 'get /files/etc-link/passwd', 'get /files/up-link', `ls ${hostings.b!.home}`, 'ls /files/b-link/var/www', `get ${path.join(a.home, 'var/www/hello.txt')}`, 'get ../../hello.txt']) {
      const x = await sftp(users.ablog!.name, { key: keyFile() }, [attempt.startsWith('get') ? `${attempt} ${get}` : attempt]);
      assert.notEqual(x.code, 0, `${attempt} must fail: ${x.stdout}`);
      assert.ok(!existsSync(get), `${attempt} fetched nothing`);
    }
    // the user cannot write its chroot either, only its folder
    const w = await sftp(users.ablog!.name, { key: keyFile() }, ['mkdir /escape']);
    assert.notEqual(w.code, 0);
  });

  test('no shell, no command, no port forwarding', async () => {
    const ssh = (args: string[]) => run('ssh', [...common, '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', keyFile(), '-p', String(port), ...args], {}, '');
    const shell = await ssh([`${users.ablog!.name}@127.0.0.1`, 'id; cat /etc/passwd']);
    assert.doesNotMatch(shell.stdout, /uid=|root:/, 'no command ran');
    const tty = await ssh(['-tt', `${users.ablog!.name}@127.0.0.1`]);
    assert.doesNotMatch(tty.stdout, /\$ |# /);
    const forward = await ssh(['-W', `127.0.0.1:${new URL(m.url).port}`, `${users.ablog!.name}@127.0.0.1`]);
    assert.notEqual(forward.code, 0);
    assert.match(forward.stderr, /prohibited|denied|disabled|forwarding failed/i, forward.stderr);
  });

  test('hosting B\'s user sees only B\'s files; a wrong password is refused', async () => {
    const b = users.bsite!;
    const get = path.join(root, 'client', 'stolen');
    const r = await sftp(b.name, { password: b.newPassword! }, ['ls -1 /files/var/www']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /hello\.txt/);
    for (const attempt of [`get ${path.join(hostings.a!.home, 'var/www/hello.txt')} ${get}`, `ls ${hostings.a!.home}`, `get /files/../../${hostings.a!.name}/var/www/hello.txt ${get}`]) {
      const x = await sftp(b.name, { password: b.newPassword! }, [attempt]);
      assert.notEqual(x.code, 0, attempt);
    }
    assert.ok(!existsSync(get));
    const wrong = await sftp(b.name, { password: 'not-the-password' }, ['pwd']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /Permission denied/);
    // nor A's password for B, nor B's password for A's key-only user
    assert.notEqual((await sftp(b.name, { password: users.aweb!.newPassword! }, ['pwd'])).code, 0);
    assert.notEqual((await sftp(users.ablog!.name, { password: b.newPassword! }, ['pwd'])).code, 0);
  });

  test('a new password replaces the old; a disabled user and a suspended hosting are refused, then come back', async () => {
    const pid = await sshdPid();
    const reset = await m.api('POST', `/api/v1/sftp-users/${users.bsite!.id}/password`);
    assert.equal(reset.status, 200);
    await live(users.bsite!.id);
    assert.notEqual((await sftp(users.bsite!.name, { password: users.bsite!.newPassword! }, ['pwd'])).code, 0, 'the old password no longer works');
    users.bsite!.newPassword = reset.body.newPassword;
    assert.equal((await sftp(users.bsite!.name, { password: users.bsite!.newPassword! }, ['pwd'])).code, 0);

    assert.equal((await m.api('PATCH', `/api/v1/sftp-users/${users.bsite!.id}`, { enabled: false })).status, 200);
    await live(users.bsite!.id);
    assert.notEqual((await sftp(users.bsite!.name, { password: users.bsite!.newPassword! }, ['pwd'])).code, 0, 'disabled');
    assert.equal((await m.api('PATCH', `/api/v1/sftp-users/${users.bsite!.id}`, { enabled: true })).status, 200);
    await live(users.bsite!.id);
    assert.equal((await sftp(users.bsite!.name, { password: users.bsite!.newPassword! }, ['pwd'])).code, 0, 'enabled again');

    // once the server applied the suspension (sshd reloaded and listening again), both of A's users are
    // refused, the key's and the password's, and B goes on
    const applied = async () => {
      const revision = await currentRevision(m.manager.app.db);
      await until(`the server at revision ${revision}`, async () => (await m.api('GET', `/api/v1/servers/${serverId}`)).body.reachedRevision >= revision);
    };
    const as = (u: 'ablog' | 'aweb') => sftp(users[u]!.name, u === 'ablog' ? { key: keyFile() } : { password: users.aweb!.newPassword! }, ['pwd']);
    assert.equal((await m.api('POST', `/api/v1/hostings/${hostings.a!.id}/suspend`, { reason: 'test' })).status, 200);
    await applied();
    for (const u of ['ablog', 'aweb'] as const) {
      const r = await as(u);
      assert.notEqual(r.code, 0, `${u} signs in while its hosting is suspended`);
      assert.match(r.stderr, /Permission denied/, `${u} is refused by sshd, not by a connection error`);
    }
    assert.equal((await sftp(users.bsite!.name, { password: users.bsite!.newPassword! }, ['pwd'])).code, 0, 'B goes on');
    assert.equal((await m.api('POST', `/api/v1/hostings/${hostings.a!.id}/reactivate`)).status, 200);
    await applied();
    for (const u of ['ablog', 'aweb'] as const) assert.equal((await as(u)).code, 0, `${u} back`);
    assert.equal(await sshdPid(), pid, 'reloaded, never restarted');
  });

  test('a bad value of one user never stops sshd for the others', async () => {
    await agent!.stop();
    agent = null;
    const pid = await sshdPid();
    const good = await buildDesiredState(m.manager.app.db, { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] } } as never, serverId);
    const bad = [
      { id: '00000000-0000-4000-8000-000000000001', name: 'asf61000-x\nPort 22', hosting: hostings.a!.name, uid: hostings.a!.uid, home: hostings.a!.home, folder: '', passwordHash: null, keys: [{ type: 'ssh-ed25519', blob: 'AAAA' }], active: true, shell: false },
      { id: '00000000-0000-4000-8000-000000000002', name: 'asf61000-y', hosting: hostings.a!.name, uid: hostings.a!.uid, home: hostings.a!.home, folder: '../../etc', passwordHash: null, keys: [], active: true, shell: false },
      { id: '00000000-0000-4000-8000-000000000003', name: 'asf61000-z', hosting: hostings.a!.name, uid: 0, home: '/', folder: '', passwordHash: '!x', keys: [], active: true, shell: false },
    ];
    const result = await sftpDriver.reconcile({ ...good, sftp: { users: [...good.sftp!.users, ...bad] } });
    assert.equal(result.error, undefined, result.error);
    const errors = result.objects.filter((o) => o.status === 'error');
    assert.deepEqual(errors.map((o) => o.id).sort(), bad.map((b) => b.id));
    assert.ok(errors.every((o) => o.code === 'render.invalid'));
    assert.equal(await sshdPid(), pid);
    assert.equal((await sftp(users.aweb!.name, { password: users.aweb!.newPassword! }, ['pwd'])).code, 0, 'the others still sign in');
    assert.doesNotMatch(await readFile(sftpPaths(path.join(root, 'node')).config, 'utf8'), /asf61000-[xyz]|Port 22/);
    // a folder the hosting turned into a symlink: that user is left out, reported, the others served
    await rm(path.join(hostings.a!.home, 'var/www/blog'), { recursive: true });
    await symlink('/etc', path.join(hostings.a!.home, 'var/www/blog'));
    const moved = good.sftp!.users.map((u) => (u.id === users.ablog!.id ? { ...u, folder: 'var/www/blog' } : u));
    await run('umount', ['-l', path.join(sftpPaths(path.join(root, 'node')).chrootDir, users.ablog!.name, 'files')]);
    const again = await sftpDriver.reconcile({ ...good, sftp: { users: moved } });
    const blog = again.objects.find((o) => o.id === users.ablog!.id)!;
    assert.equal(blog.code, 'sftp.folder_unsafe', JSON.stringify(blog));
    assert.notEqual((await sftp(users.ablog!.name, { key: keyFile() }, ['ls /files'])).code, 0);
    assert.equal((await sftp(users.bsite!.name, { password: users.bsite!.newPassword! }, ['pwd'])).code, 0);
    assert.equal(await sshdPid(), pid);
  });
});
