// What the agents read from the machine instead of starting a program: the process a pid file names
// (alive, not a zombie, the program it must be: /proc) and the system accounts (/etc/passwd, /etc/group),
// each checked against what ps, id and getent say; and a daemon that re-executes itself on SIGHUP
// (sshd), waited for until it listens again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { livePid, processIs } from '../src/platform/pid-file.js';
import { accountRows, systemGroup, systemUser } from '../src/platform/system-accounts.js';
import { listeningSockets, reloadByReexec, waitUntil } from '../src/platform/wait.js';
import { freePort } from './harness/services.js';
import { run } from './harness/run.js';

test('a pid file names a live process only while that program runs, not after it ends or once a zombie', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'abri-pid-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'sleep.pid');
  const sleep = await realpath('/bin/sleep');
  const child = spawn(sleep, ['301'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  const pid = child.pid!;
  await writeFile(file, `${pid}\n`);

  assert.equal(await livePid(file), pid);
  assert.equal(await livePid(file, { comm: 'sleep' }), pid);
  assert.equal(await livePid(file, { cmdline: (args) => args === `${sleep} 301` }), pid);
  assert.equal(await livePid(file, { exe: sleep }), pid);
  assert.equal(await livePid(file, { comm: 'sleep', exe: sleep }), pid);
  assert.equal(await livePid(file, { comm: 'master' }), null, 'another program with that pid');
  assert.equal(await livePid(file, { cmdline: (args) => args.includes('/etc/other.conf') }), null);
  assert.equal(await livePid(file, { exe: '/usr/bin/true' }), null);
  assert.equal(await livePid(path.join(dir, 'absent.pid'), { comm: 'sleep' }), null);
  await writeFile(path.join(dir, 'junk.pid'), 'not a pid\n');
  assert.equal(await livePid(path.join(dir, 'junk.pid'), { comm: 'sleep' }), null);

  // ended but never reaped: bash starts `sleep 0`, then becomes a `sleep` that never waits for it
  const parent = spawn('bash', ['-c', 'sleep 0 & echo $!; exec sleep 300'], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => parent.kill('SIGKILL'));
  const zombie = Number((await new Promise<Buffer>((resolve) => parent.stdout.once('data', resolve))).toString().trim());
  const zombieFile = path.join(dir, 'zombie.pid');
  await writeFile(zombieFile, `${zombie}\n`);
  for (let i = 0; !/^State:\s+Z/m.test(await readFile(`/proc/${zombie}/status`, 'utf8')); i++) {
    assert.ok(i < 6000, `sleep 0 (${zombie}) never ended`); // a hang detector: 10 minutes
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await livePid(zombieFile), zombie, 'signal 0 still reaches a zombie');
  assert.equal(await livePid(zombieFile, { comm: 'sleep' }), null, 'a zombie does not run');

  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(await livePid(file, { comm: 'sleep' }), null, 'ended');
  assert.equal(await processIs(pid, { comm: 'sleep' }), false);
});

test('the system accounts read from /etc/passwd and /etc/group are those id and getent give', async () => {
  const users = (await accountRows('/etc/passwd')).map((f) => f[0]!);
  assert.ok(users.includes('root') && users.length > 5, users.join(' '));
  for (const name of ['root', 'nobody', 'postfix', 'dovecot'].filter((n) => users.includes(n))) {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    assert.deepEqual(await systemUser(name), { uid: Number(uid.stdout), gid: Number(gid.stdout) }, name);
  }
  assert.equal(await systemUser('abri-no-such-user'), null);
  const groups = (await accountRows('/etc/group')).map((f) => f[0]!);
  for (const name of ['root', 'dovecot', 'nogroup'].filter((n) => groups.includes(n))) {
    assert.equal(await systemGroup(name), Number((await run('getent', ['group', name])).stdout.split(':')[2]), name);
  }
  assert.equal(await systemGroup('abri-no-such-group'), null);
});

test('an sshd reloaded by SIGHUP is waited for until it listens again, on a new socket that serves', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'abri-reexec-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
  const config = path.join(dir, 'sshd_config');
  await writeFile(config, `Port ${port}\nListenAddress 127.0.0.1\nHostKey ${path.join(dir, 'host_key')}\nPidFile ${path.join(dir, 'sshd.pid')}\n`);
  await run('/usr/sbin/sshd', ['-f', config]);
  // sshd writes its pid file once it has daemonized, after its first process exited
  let pid: number | null = null;
  await waitUntil(
    'the test sshd to run and listen',
    async () =>
      (pid = await livePid(path.join(dir, 'sshd.pid'), { cmdline: (args) => args.includes(` ${config}`) })) !== null && (await listeningSockets(port)).size > 0,
    600_000,
  );
  t.after(() => process.kill(pid!, 'SIGTERM'));
  const before = await listeningSockets(port);
  assert.equal(before.size, 1, 'one listening socket');
  // another program listening on the same port at another address is not taken for sshd
  const other = net.createServer();
  await new Promise<void>((resolve) => other.listen(port, '127.0.0.2', resolve));
  t.after(() => other.close());

  await reloadByReexec('the test sshd', pid!, port);
  const after = await listeningSockets(port);
  assert.equal(after.size, 2, 'sshd and the other program');
  assert.ok(![...before].some((inode) => after.has(inode)), 'a new socket: sshd re-executed itself');
  // and it serves at once: the SSH banner, not a refused or reset connection
  const banner = await new Promise<string>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('data', (d) => (s.destroy(), resolve(d.toString())));
    s.once('error', reject);
  });
  assert.match(banner, /^SSH-2\.0-/);
  assert.equal(await livePid(path.join(dir, 'sshd.pid')), pid, 'the same process');
});
