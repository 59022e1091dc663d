// Integration (root, a real Pure-FTPd that the agent's FTP driver starts on a loopback port with its
// own options, users' database and certificate — never the machine's port 21 — and curl as the
// client, over explicit TLS): FTP users made through the API upload and download files that belong
// to the hosting (0644/0755), stay inside their restriction folder whatever symlink the hosting made,
// never reach another hosting's files; a missing or unsafe folder refuses the sign-in instead of
// serving the whole server; a wrong password, a disabled or deleted user is refused; a bad value of
// one user never stops the service for the others.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-ftp.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
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
import { FtpDriver, ftpPaths } from '../src/files/apply-pure-ftpd.js';
import { sha512Crypt } from '../src/files/sha512-crypt.js';
import { AccountsDriver } from './helpers/accounts-driver.js';

const PURE_FTPD = '/usr/sbin/pure-ftpd';
const missing = [PURE_FTPD, '/usr/bin/pure-pw', '/usr/bin/curl', '/usr/bin/openssl', '/usr/bin/setfacl'].filter((f) => !existsSync(f));
if (missing.length && process.env.CI === 'true') test('Pure-FTPd is installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-ftp.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

interface Run { code: number; stdout: string; stderr: string }
const run = (cmd: string, args: string[]): Promise<Run> => new Promise((resolve) => {
  execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
});

describe('FTP users on a real Pure-FTPd, applied by the web server\'s agent', { skip: missing.length > 0 }, () => {
  let m: TestManager;
  let agent: Agent | null = null;
  let root: string;
  let port: number;
  let driver: FtpDriver;
  let serverId: string;
  const hostings: Record<string, { id: string; name: string; uid: number; home: string }> = {};
  const users: Record<string, { id: string; name: string; newPassword: string }> = {};

  const live = (id: string) => until(`ftp user ${id} live`, async () => {
    const p = (await m.api('GET', `/api/v1/ftp-users/${id}`)).body.provisioning;
    if (p.status === 'error') throw new Error(`${p.code}: ${p.message}`);
    return p.status === 'live';
  });
  /** curl over explicit FTPS (AUTH TLS); the self-signed certificate of the test server is accepted */
  const curl = (user: string, password: string, url: string, extra: string[] = []) =>
    run('curl', ['-sS', '--ssl-reqd', '--insecure', '--max-time', '30', '--user', `${user}:${password}`, ...extra, `ftp://127.0.0.1:${port}${url}`]);
  const pid = async () => Number((await readFile(ftpPaths(path.join(root, 'node')).pidFile, 'utf8')).trim());

  before(async () => {
    root = await mkdtemp('/srv/abri-ftp-test-');
    await chmod(root, 0o755);
    for (const d of ['node', 'homes', 'client']) await mkdir(path.join(root, d), { mode: 0o755 });
    port = await freePort();
    const passive = 40000 + Math.floor(Math.random() * 2000) * 10;
    const settings = { ABRI_FTP_BIND: '127.0.0.1', ABRI_FTP_PORT: String(port), ABRI_FTP_PASSIVE: `${passive}-${passive + 9}` };
    m = await startTestManager({ settings: { ABRI_HOSTING_PREFIX: 'aft', ABRI_UID_MIN: '64000', ABRI_UID_MAX: '64099', ABRI_HOSTING_ROOT: path.join(root, 'homes'), ...settings } });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'web-ftp', roles: ['web'], addresses: ['127.0.0.1'] })).body;
    serverId = server.id;
    for (const [k, customer] of [['a', 'Alpha'], ['b', 'Bravo']] as const) {
      const h = (await seedHosting(m, { customer, offer: { maxFtpUsers: 3 } })).hosting;
      hostings[k] = (await m.api('GET', `/api/v1/hostings/${h.id}`)).body;
    }
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: path.join(root, 'node'), ABRI_RECONCILE_SECONDS: '1', ...settings });
    const layout = nodeLayout(path.join(root, 'node'));
    const log = pino({ level: 'silent' });
    driver = new FtpDriver(new LocalExecutor(), config.node, layout, log);
    agent = new Agent({ link: new HttpManagerLink(m.url, server.agentToken), mode: 'apply', log, reconcileMs: 1000, waitMs: 2000, drivers: [new AccountsDriver(layout.accountsDir, new HomeStorage(new LocalExecutor(), config.node.disk, log)), driver] }).start();
    const create = async (k: string, hosting: string, body: Record<string, unknown>) => {
      const r = await m.api('POST', `/api/v1/hostings/${hostings[hosting]!.id}/ftp-users`, body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      users[k] = r.body;
    };
    await create('aweb', 'a', { name: 'web' });
    await create('ablog', 'a', { name: 'blog', folder: 'var/www/blog' });
    await create('bsite', 'b', { name: 'site' });
    for (const u of Object.values(users)) await live(u.id);
  });

  after(async () => {
    await agent?.stop();
    // the driver's own code ends the sessions, removes the mounts and stops Pure-FTPd: nobody is wanted any more
    await driver?.reconcile({ revision: 0, server: { id: serverId, name: 'web-ftp', roles: ['web'] }, ftp: { users: [], certificate: null } }).catch((e: unknown) => console.error(e));
    for (const h of Object.values(hostings)) {
      await run('userdel', ['-f', h.name]);
      await run('groupdel', [h.name]);
    }
    m?.manager.server.server.closeAllConnections();
    await m?.close();
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    if (root && !mounts.includes(root)) await rm(root, { recursive: true, force: true });
    else if (root) console.error(`left ${root} in place: something is still mounted under it`);
  });

  test('a user uploads over FTPS: files belong to the hosting, 0644 (folders 0755); it downloads them back', async () => {
    const local = path.join(root, 'client', 'hello.txt');
    await writeFile(local, 'hello over ftps\n');
    const up = await curl(users.aweb!.name, users.aweb!.newPassword, '/up/hello.txt', ['--ftp-create-dirs', '--upload-file', local]);
    assert.equal(up.code, 0, up.stderr);
    const a = hostings.a!;
    const file = await stat(path.join(a.home, 'var/www/up/hello.txt'));
    assert.deepEqual([file.uid, file.gid, file.mode & 0o777], [a.uid, a.uid, 0o644]);
    const dir = await stat(path.join(a.home, 'var/www/up'));
    assert.deepEqual([dir.uid, dir.mode & 0o777], [a.uid, 0o755]);
    const down = await curl(users.aweb!.name, users.aweb!.newPassword, '/up/hello.txt');
    assert.equal(down.stdout, 'hello over ftps\n', down.stderr);
    // .htaccess is the customer's: it can be uploaded and is listed
    await writeFile(local, 'Options -Indexes\n');
    assert.equal((await curl(users.aweb!.name, users.aweb!.newPassword, '/.htaccess', ['--upload-file', local])).code, 0);
    assert.match((await curl(users.aweb!.name, users.aweb!.newPassword, '/', ['--list-only'])).stdout, /\.htaccess/);
  });

  test('TLS is required: a plain FTP sign-in is refused', async () => {
    const plain = await run('curl', ['-sS', '--max-time', '30', '--user', `${users.aweb!.name}:${users.aweb!.newPassword}`, `ftp://127.0.0.1:${port}/`]);
    assert.notEqual(plain.code, 0);
    // the same user over FTPS: the TLS version curl negotiated (openssl s_client would wait a minute for the server to close)
    const tls = await curl(users.aweb!.name, users.aweb!.newPassword, '/', ['--list-only', '--verbose']);
    assert.equal(tls.code, 0, tls.stderr);
    assert.match(tls.stderr, /SSL connection using TLSv1\.[23]/);
  });

  test('symlinks the hosting makes lead nowhere outside the folder (/, another hosting, ..)', async () => {
    const a = hostings.a!;
    const blog = path.join(a.home, 'var/www/blog');
    assert.equal((await stat(blog)).uid, a.uid, 'the missing folder was made, as the hosting\'s');
    await writeFile(path.join(blog, 'index.html'), '<h1>blog</h1>');
    await symlink('/', path.join(blog, 'root-link'));
    await symlink('/etc/passwd', path.join(blog, 'passwd-link'));
    await symlink(hostings.b!.home, path.join(blog, 'b-link'));
    await symlink('../../../../../../../../etc/passwd', path.join(blog, 'up-link'));
    await writeFile(path.join(hostings.b!.home, 'var/www/secret.txt'), 'B only');
    const u = users.ablog!;
    assert.match((await curl(u.name, u.newPassword, '/', ['--list-only'])).stdout, /index\.html/);
    for (const url of ['/root-link/etc/passwd', '/passwd-link', '/up-link', '/b-link/var/www/secret.txt', '/../../../../etc/passwd', '/../hello.txt', `${hostings.b!.home}/var/www/secret.txt`]) {
      const r = await curl(u.name, u.newPassword, url);
      assert.ok(r.code !== 0 && !/root:|B only/.test(r.stdout), `${url} must fail: ${r.stdout}`);
    }
    // the root of its session is its folder: nothing of the home above it
    const list = await curl(u.name, u.newPassword, '/root-link/', ['--list-only']);
    assert.doesNotMatch(list.stdout, /\betc\b|\bvar\b|\bhomes\b/, list.stdout);
  });

  test('hosting B\'s user reads and writes none of A\'s files; a wrong password is refused', async () => {
    const b = users.bsite!;
    const local = path.join(root, 'client', 'evil.txt');
    await writeFile(local, 'evil');
    for (const url of [`/../../${hostings.a!.name}/var/www/up/hello.txt`, `${hostings.a!.home}/var/www/up/hello.txt`]) {
      const r = await curl(b.name, b.newPassword, url);
      assert.ok(r.code !== 0 && !r.stdout.includes('hello'), url);
      await curl(b.name, b.newPassword, url, ['--upload-file', local]);
    }
    assert.equal(await readFile(path.join(hostings.a!.home, 'var/www/up/hello.txt'), 'utf8'), 'hello over ftps\n');
    assert.match((await curl(b.name, b.newPassword, '/', ['--list-only'])).stdout, /secret\.txt/);
    // side by side: Pure-FTPd answers each refused sign-in only after its anti-guessing delay
    const [wrong, asA, asRoot] = await Promise.all([curl(b.name, 'not-the-password', '/'), curl(b.name, users.aweb!.newPassword, '/'), curl('root', 'x', '/')]);
    assert.equal(wrong.code, 67, wrong.stderr); // curl: login denied
    assert.equal(asA.code, 67, 'nor A\'s password');
    assert.equal(asRoot.code, 67);
  });

  test('a new password replaces the old; disabled, then deleted users are refused', async () => {
    const b = users.bsite!;
    const reset = await m.api('POST', `/api/v1/ftp-users/${b.id}/password`);
    assert.equal(reset.status, 200);
    await live(b.id);
    assert.equal((await curl(b.name, b.newPassword, '/')).code, 67, 'the old password no longer works');
    b.newPassword = reset.body.newPassword;
    assert.equal((await curl(b.name, b.newPassword, '/', ['--list-only'])).code, 0);
    assert.equal((await m.api('PATCH', `/api/v1/ftp-users/${b.id}`, { enabled: false })).status, 200);
    await live(b.id);
    assert.notEqual((await curl(b.name, b.newPassword, '/')).code, 0, 'disabled');
    assert.equal((await m.api('PATCH', `/api/v1/ftp-users/${b.id}`, { enabled: true })).status, 200);
    await live(b.id);
    assert.equal((await curl(b.name, b.newPassword, '/', ['--list-only'])).code, 0, 'enabled again');
    const listener = await pid();
    const blog = users.ablog!;
    assert.equal((await m.api('DELETE', `/api/v1/ftp-users/${blog.id}`)).status, 204);
    // the users' database first (refused from then on), its chroot removed after, in the same pass
    const chroot = path.join(ftpPaths(path.join(root, 'node')).chrootDir, blog.name);
    await until('deleted user refused, its chroot gone', async () => (await curl(blog.name, blog.newPassword, '/')).code === 67 && !existsSync(chroot));
    assert.equal(await pid(), listener, 'users change without a restart');
  });

  test('a missing or unsafe folder refuses the sign-in, never serves the whole server; one bad value never stops the others', async () => {
    await agent!.stop();
    agent = null;
    const listener = await pid();
    const good = await buildDesiredState(m.manager.app.db, { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] } } as never, serverId);
    const a = hostings.a!;
    const hash = sha512Crypt('bad-users-password');
    const bad = [
      { id: '00000000-0000-4000-8000-000000000001', name: 'aft64000-x:0:0', hosting: a.name, uid: a.uid, home: a.home, folder: '', passwordHash: hash, active: true },
      { id: '00000000-0000-4000-8000-000000000002', name: `${a.name}-y`, hosting: a.name, uid: a.uid, home: a.home, folder: '../../etc', passwordHash: hash, active: true },
      { id: '00000000-0000-4000-8000-000000000003', name: `${a.name}-z`, hosting: a.name, uid: 0, home: '/', folder: '', passwordHash: hash, active: true },
      { id: '00000000-0000-4000-8000-000000000004', name: `${a.name}-w`, hosting: a.name, uid: a.uid, home: a.home, folder: '', passwordHash: 'x\nroot::0:0', active: true },
    ];
    const result = await driver.reconcile({ ...good, ftp: { ...good.ftp!, users: [...good.ftp!.users, ...bad] } });
    assert.equal(result.error, undefined, result.error);
    const errors = result.objects.filter((o) => o.status === 'error');
    assert.deepEqual(errors.map((o) => o.id).sort(), bad.map((b) => b.id));
    assert.ok(errors.every((o) => o.code === 'render.invalid'));
    assert.equal(await pid(), listener);
    assert.equal((await curl(users.aweb!.name, users.aweb!.newPassword, '/', ['--list-only'])).code, 0, 'the others still sign in');
    assert.doesNotMatch(await readFile(ftpPaths(path.join(root, 'node')).passwd, 'utf8'), /-[xyzw]:|^root|:0:0:/m);
    // A's web user now restricted to a folder the hosting then turns into a symlink to /: left out, reported, refused
    const web = users.aweb!;
    const site = path.join(a.home, 'var/www/site');
    await symlink('/', site);
    const moved = good.ftp!.users.map((u) => (u.id === web.id ? { ...u, folder: 'var/www/site' } : u));
    const again = await driver.reconcile({ ...good, ftp: { ...good.ftp!, users: moved } });
    assert.equal(again.objects.find((o) => o.id === web.id)!.code, 'ftp.folder_unsafe');
    const r = await curl(web.name, web.newPassword, '/etc/passwd');
    assert.ok(r.code !== 0 && !r.stdout.includes('root:'), 'no sign-in at all');
    assert.equal((await curl(users.bsite!.name, users.bsite!.newPassword, '/', ['--list-only'])).code, 0, 'B goes on');
    // its chroot left in place without its mount (what a crash could leave): Pure-FTPd refuses the home, never lands in /
    await rm(site);
    await driver.reconcile({ ...good, ftp: { ...good.ftp!, users: good.ftp!.users } });
    const chroot = path.join(ftpPaths(path.join(root, 'node')).chrootDir, web.name, 'files');
    await run('umount', ['-l', chroot]);
    assert.equal((await run('rmdir', [chroot])).code, 0);
    const lost = await curl(web.name, web.newPassword, '/', ['--list-only']);
    assert.notEqual(lost.code, 0, `a missing chroot refuses the sign-in: ${lost.stdout}`);
    assert.equal(await pid(), listener);
  });
});
