// An outside host for the works page's rsync targets: a throw-away sshd on a loopback port with its
// own config, host key and one Unix user (uid in 68600–68699), never the machine's port 22. The test
// gives it the public key Abri shows for a target; rsync runs through the user's shell.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { run as runAsync } from './run.js';
import { removeAccount } from './hosting-accounts.js';

export interface SshdTarget {
  port: number;
  user: string;
  /** the host key line, as ssh-keyscan prints it (without the host) */
  hostKey: string;
  /** the folder the user owns (give targets a path under it) */
  home: string;
  authorize(publicKey: string): void;
  stop(): Promise<void>;
}

const run = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

export async function startSshdTarget(port: number, uid: number, user: string): Promise<SshdTarget> {
  await removeAccount(user); // a crashed run's
  const dir = mkdtempSync('/tmp/abri-workspublish-sshd-');
  chmodSync(dir, 0o755);
  const home = path.join(dir, 'home');
  await runAsync('useradd', ['--uid', String(uid), '--user-group', '--no-create-home', '--home-dir', home, '--shell', '/bin/sh', user]);
  await runAsync('usermod', ['-p', '*', user]); // no password, but not a locked account (sshd refuses those without PAM)
  mkdirSync(home, { mode: 0o755 });
  run('chown', [`${user}:${user}`, home]);
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
  const keys = path.join(dir, 'authorized_keys');
  writeFileSync(keys, '', { mode: 0o644 });
  const config = path.join(dir, 'sshd_config');
  writeFileSync(config, [`Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'host_key')}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${keys}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no', `AllowUsers ${user}`,
    'PermitRootLogin no', 'LogLevel VERBOSE', ''].join('\n'));
  const sshd: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  sshd.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  for (let i = 0; ; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => (s.end(), resolve(true))).on('error', () => resolve(false));
    });
    if (open) break;
    if (i > 300 || sshd.exitCode !== null) throw new Error(`sshd did not start on ${port}: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const hostKey = readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return {
    port, user, hostKey, home,
    authorize: (publicKey) => writeFileSync(keys, `${publicKey}\n`, { flag: 'a' }),
    async stop() {
      sshd.kill();
      await new Promise((r) => (sshd.exitCode !== null ? r(null) : sshd.once('exit', r)));
      await removeAccount(user);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
