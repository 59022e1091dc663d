// Integration (root, a real OpenSSH sshd started by the agent's SFTP driver on a loopback port, real
// bubblewrap, Debian's ssh/sftp clients): SFTP users with shell access made through the API sign in
// to a jailed shell as their hosting's uid, with PHP CLI, git, the mysql client, rsync, unzip and
// Composer; what they write belongs to the hosting; they see neither another hosting's home nor any
// process outside their jail, and write nowhere outside the home. Turning the shell off makes the
// user SFTP-only again.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-ssh-shell.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { removeTestAccounts, until } from './helpers/node.js';
import { freePort } from './harness/services.js';
import { loadConfig } from '../src/platform/config.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { Agent } from '../src/agent/loop.js';
import { HttpManagerLink } from '../src/agent/client.js';
import { nodeLayout } from '../src/node/layout.js';
import { HomeStorage } from '../src/hosting/apply-storage.js';
import { SftpDriver } from '../src/files/apply-sshd.js';
import { AccountsDriver } from './helpers/accounts-driver.js';

const SSHD = '/usr/sbin/sshd';
const missing = [
  SSHD,
  '/usr/bin/ssh',
  '/usr/bin/sftp',
  '/usr/bin/bwrap',
  '/usr/bin/php',
  '/usr/bin/git',
  '/usr/bin/composer',
  '/usr/bin/mariadb',
  '/usr/bin/rsync',
  '/usr/bin/unzip',
  '/usr/bin/ps',
].filter((f) => !existsSync(f));
if (missing.length && process.env.CI === 'true')
  test("OpenSSH, bubblewrap and the jail's tools are installed (CI=true)", () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-ssh-shell.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> =>
  new Promise((resolve) => {
    const child = execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    child.stdin!.end();
  });

describe("SSH shell users in the hosting's jail, on a real sshd", { skip: missing.length > 0 }, () => {
  let m: TestManager;
  let agent: Agent | null = null;
  let root: string;
  let port: number;
  let sftpDriver: SftpDriver;
  let serverId: string;
  let sleeper: ChildProcess | null = null;
  const hostings: Record<string, { id: string; name: string; uid: number; home: string }> = {};
  const users: Record<string, { id: string; name: string }> = {};
  const keyFile = () => path.join(root, 'client', 'id_ed25519');
  const common = [
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    '-o',
    'ConnectTimeout=10',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
  ];
  const ssh = (user: string, command: string, extra: string[] = []) =>
    run('ssh', [...common, '-i', keyFile(), '-p', String(port), ...extra, `${user}@127.0.0.1`, command]);
  /** What the accounts and homes look like, for a failure's message. */
  const evidence = async () => {
    const names = Object.values(hostings).flatMap((h) => [h.name, `${h.name}-dev`]);
    const passwd = await run('getent', ['passwd', ...names]);
    const group = await run('getent', ['group', ...names]);
    const homes = await run('ls', ['-lan', path.join(root, 'homes')]);
    const server = (await m.api('GET', `/api/v1/servers/${serverId}`)).body;
    const states = await Promise.all(Object.values(hostings).map(async (h) => `${h.name}: ${JSON.stringify((await m.api('GET', `/api/v1/hostings/${h.id}`)).body.provisioning)}`));
    return `\n--- passwd:\n${passwd.stdout}--- group:\n${group.stdout}--- homes:\n${homes.stdout}${homes.stderr}--- server: ${JSON.stringify(server)}\n--- ${states.join('\n--- ')}`;
  };
  const live = (id: string) =>
    until(`sftp user ${id} live`, async () => {
      const p = (await m.api('GET', `/api/v1/sftp-users/${id}`)).body.provisioning;
      if (p.status === 'error') throw new Error(`${p.code}: ${p.message}${await evidence()}`);
      return p.status === 'live';
    });

  before(async () => {
    await removeTestAccounts(62000, 100, { prefix: 'ash' }); // what a crashed run left: the agent would rightly refuse to adopt it
    root = await mkdtemp('/srv/abri-shell-test-'); // not under /tmp: sshd wants the keys files' components root-owned and not world-writable
    await chmod(root, 0o755);
    for (const d of ['node', 'homes', 'client']) await run('mkdir', ['-m', '0755', path.join(root, d)]);
    await chmod(path.join(root, 'client'), 0o700);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile()]);
    port = await freePort();
    m = await startTestManager({
      settings: {
        ABRI_HOSTING_PREFIX: 'ash',
        ABRI_UID_MIN: '62000', // 62000–62099: agent-ftp uses 64000–64099, the jail tests 62990–62991 (files run side by side)
        ABRI_UID_MAX: '62099',
        ABRI_HOSTING_ROOT: path.join(root, 'homes'),
        ABRI_SFTP_PORT: String(port),
      },
    });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'web-shell', roles: ['web'], addresses: ['127.0.0.1'] })).body;
    serverId = server.id;
    for (const [k, customer] of [
      ['a', 'Alpha'],
      ['b', 'Bravo'],
    ] as const) {
      const h = (await seedHosting(m, { customer, offer: { maxFtpUsers: 3, sshAllowed: true } })).hosting;
      hostings[k] = (await m.api('GET', `/api/v1/hostings/${h.id}`)).body;
    }
    const config = loadConfig(
      {},
      {
        ABRI_CONFIG: '/nonexistent',
        ABRI_DATA_DIR: '/nonexistent',
        ABRI_APPLY: '1',
        ABRI_NODE_ROOT: path.join(root, 'node'),
        ABRI_RECONCILE_SECONDS: '1',
        ABRI_SFTP_BIND: '127.0.0.1',
        ABRI_SFTP_PORT: String(port),
        ABRI_SSHD: SSHD,
      },
    );
    const layout = nodeLayout(path.join(root, 'node'));
    const log = pino({ level: 'silent' });
    sftpDriver = new SftpDriver(new LocalExecutor(), config.node, layout, log);
    agent = new Agent({
      link: new HttpManagerLink(m.url, server.agentToken),
      mode: 'apply',
      log,
      reconcileMs: 1000,
      waitMs: 2000,
      drivers: [new AccountsDriver(layout.accountsDir, new HomeStorage(new LocalExecutor(), config.node.disk, log)), sftpDriver],
    }).start();
    const key = await readFile(`${keyFile()}.pub`, 'utf8');
    for (const [k, h] of [
      ['adev', 'a'],
      ['bdev', 'b'],
    ] as const) {
      const r = await m.api('POST', `/api/v1/hostings/${hostings[h]!.id}/sftp-users`, { name: 'dev', shell: true, password: false, keys: [key] });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      users[k] = r.body;
    }
    for (const u of Object.values(users)) await live(u.id);
    // a shell user is live without its hosting's home (its jail mounts it at sign-in): the homes too
    for (const h of Object.values(hostings)) {
      await until(`home of ${h.name}`, async () => (await stat(h.home).catch(() => null))?.uid === 0 || undefined, 30_000).catch(async (e: Error) => {
        throw new Error(`${e.message}${await evidence()}`);
      });
    }
  });

  after(async () => {
    if (sleeper?.pid) process.kill(sleeper.pid, 'SIGKILL');
    await agent?.stop();
    await sftpDriver
      ?.reconcile({ revision: 0, server: { id: serverId, name: 'web-shell', roles: ['web'] }, sftp: { users: [] } })
      .catch((e: unknown) => console.error(e));
    await removeTestAccounts(62000, 100, { prefix: 'ash', force: true }); // SFTP users first: userdel of a hosting would leave them without their group
    m?.manager.server.server.closeAllConnections();
    await m?.close();
    const mounts = await readFile('/proc/self/mountinfo', 'utf8');
    if (root && !mounts.includes(root)) await rm(root, { recursive: true, force: true });
    else if (root) console.error(`left ${root} in place: something is still mounted under it`);
  });

  test("the tools are there, as the hosting's uid, in its var/www", async () => {
    const a = hostings.a!;
    const r = await ssh(users.adev!.name, 'id -u; id -g; whoami; pwd; php -v; git --version; mariadb --version; composer --version; rsync --version; unzip -v');
    assert.equal(r.code, 0, r.stderr);
    const [uid, gid, who, pwd] = r.stdout.split('\n');
    assert.deepEqual([uid, gid, who, pwd], [String(a.uid), String(a.uid), a.name, path.join(a.home, 'var/www')]);
    for (const tool of [/^PHP 8\.\d+\.\d+ \(cli\)/m, /^git version /m, /Distrib .*MariaDB/, /^Composer version /m, /^rsync +version /m, /^UnZip /m])
      assert.match(r.stdout, tool);
    const tty = await ssh(users.adev!.name, 'test -t 0 && echo has-a-tty', ['-tt']);
    assert.match(tty.stdout, /has-a-tty/, tty.stderr);
  });

  test('what it writes belongs to the hosting (0644); its sftp runs in the jail too', async () => {
    const a = hostings.a!;
    const r = await ssh(users.adev!.name, 'echo from-ssh > shell.txt && mkdir -p made && echo tmp > /tmp/t.txt');
    assert.equal(r.code, 0, r.stderr);
    const file = await stat(path.join(a.home, 'var/www/shell.txt'));
    assert.deepEqual([file.uid, file.gid, file.mode & 0o777], [a.uid, a.uid, 0o644]);
    assert.equal((await stat(path.join(a.home, 'var/www/made'))).mode & 0o777, 0o755);
    assert.equal(await readFile(path.join(a.home, 'tmp/t.txt'), 'utf8'), 'tmp\n', "its /tmp is the home's tmp (private, inside its quota)");
    const batch = path.join(root, 'client', 'batch');
    await writeFile(batch, 'pwd\nls -1\n');
    const s = await run('sftp', [...common, '-i', keyFile(), '-P', String(port), '-b', batch, `${users.adev!.name}@127.0.0.1`]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, new RegExp(`Remote working directory: ${path.join(a.home, 'var/www')}\n`));
    assert.match(s.stdout, /shell\.txt/);
  });

  test("no other hosting's home, no process outside the jail", async () => {
    const [a, b] = [hostings.a!, hostings.b!];
    await writeFile(path.join(a.home, 'var/www/secret.txt'), 'a secret');
    // a process of hosting B, outside any jail
    sleeper = spawn('setpriv', ['--reuid', String(b.uid), '--regid', String(b.uid), '--clear-groups', 'sleep', '300'], { stdio: 'ignore' });
    await until("B's process runs", async () => (await run('pgrep', ['-u', String(b.uid), 'sleep'])).code === 0);
    const homes = path.dirname(a.home);
    const r = await ssh(
      users.bdev!.name,
      `ls -1 ${homes}; ls ${a.home}; cat ${a.home}/var/www/secret.txt; ls /home; ps -eo user=,comm=; ls /proc | grep -c '^[0-9]'`,
    );
    assert.match(r.stdout, new RegExp(`^${b.name}\n`), `the homes' folder holds only its own (exit ${r.code}, stderr: ${r.stderr})${await evidence()}`);
    assert.doesNotMatch(r.stdout, new RegExp(`${a.name}\\b|a secret|sleep|sshd|node`));
    assert.match(r.stderr, new RegExp(`${a.home}'?: No such file or directory`));
    const ps = r.stdout.split('\n').filter((l) => /^\S+ \S+$/.test(l));
    assert.ok(ps.length > 0 && ps.every((l) => l.startsWith(`${b.name} `)), `only its own processes: ${ps.join(', ')}`);
    assert.ok(Number(r.stdout.trim().split('\n').at(-1)) <= 6, 'a handful of pids in its /proc');
  });

  test('it writes nowhere outside the home', async () => {
    const r = await ssh(
      users.adev!.name,
      'for f in /usr/x /etc/x /x /var/x /proc/x /home/x /run/x; do touch $f 2>/dev/null && echo wrote $f; done; mkdir /srv/x 2>/dev/null && echo wrote /srv/x; echo done',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'done\n');
    for (const f of ['/usr/x', '/etc/x', '/x', '/srv/x']) assert.ok(!existsSync(f), f);
  });

  test('its shell turned off, the user is SFTP-only again; an offer without SSH refuses it', async () => {
    const off = await m.api('PATCH', `/api/v1/sftp-users/${users.bdev!.id}`, { shell: false });
    assert.equal(off.status, 200);
    await live(users.bdev!.id);
    const r = await ssh(users.bdev!.name, 'id');
    assert.doesNotMatch(r.stdout, /uid=/);
    const batch = path.join(root, 'client', 'batch2');
    await writeFile(batch, 'pwd\n');
    const s = await run('sftp', [...common, '-i', keyFile(), '-P', String(port), '-b', batch, `${users.bdev!.name}@127.0.0.1`]);
    assert.match(s.stdout, /Remote working directory: \/files\/var\/www/);
    const c = await seedHosting(m, { customer: 'Charlie', offer: { maxFtpUsers: 3, sshAllowed: false } });
    hostings.c = (await m.api('GET', `/api/v1/hostings/${c.hosting.id}`)).body; // its account is made by the agent: removed after
    const refused = await m.api('POST', `/api/v1/hostings/${c.hosting.id}/sftp-users`, { name: 'dev', shell: true });
    assert.equal(refused.body.code, 'sftp_user.shell_not_allowed');
  });
});
