// The hosting's jail, pure: bubblewrap's arguments (golden), the seccomp program (golden bytes and
// what it decides), the SSH shell script and the shell user's sshd Match block. The real thing runs
// in test/agent-ssh-shell.test.ts and test/agent-jail-btrfs.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { bwrapArgs, jailGroup, jailPasswd, shQuote } from '../src/jail/render-bwrap.js';
import { DENIED_IOCTLS, seccompFilter, seccompProgram } from '../src/jail/seccomp.js';
import { renderShellScript } from '../src/files/render-shell.js';
import { defaultJailLimits, eventCount, prlimitArgs, stopReason } from '../src/jail/render-limits.js';
import { renderUserBlock } from '../src/files/render-sshd.js';

const spec = {
  hosting: 'h61000',
  uid: 61000,
  gid: 61000,
  home: '/srv/www/h61000',
  passwdFile: '/var/lib/abri/jail/h61000/passwd',
  groupFile: '/var/lib/abri/jail/h61000/group',
  seccompFd: 9,
};

test("bubblewrap's arguments: the system read-only, the home writable at its path, its tmp as /tmp, its own /proc", () => {
  const etc = [
    'alternatives',
    'bash.bashrc',
    'ca-certificates',
    'debian_version',
    'gai.conf',
    'gitconfig',
    'host.conf',
    'hosts',
    'inputrc',
    'ld.so.cache',
    'ld.so.conf',
    'ld.so.conf.d',
    'localtime',
    'mime.types',
    'mysql',
    'nsswitch.conf',
    'os-release',
    'php',
    'profile',
    'protocols',
    'resolv.conf',
    'services',
    'ssh/ssh_config',
    'ssh/ssh_config.d',
    'ssl',
    'terminfo',
    'timezone',
  ].flatMap((p) => ['--ro-bind-try', `/etc/${p}`, `/etc/${p}`]);
  assert.deepEqual(bwrapArgs(spec), [
    '--unshare-all',
    '--unshare-user',
    '--share-net',
    '--disable-userns',
    '--die-with-parent',
    '--cap-drop',
    'ALL',
    '--hostname',
    'h61000',
    '--ro-bind',
    '/usr',
    '/usr',
    '--symlink',
    'usr/bin',
    '/bin',
    '--symlink',
    'usr/sbin',
    '/sbin',
    '--symlink',
    'usr/lib',
    '/lib',
    '--symlink',
    'usr/lib64',
    '/lib64',
    ...etc,
    '--ro-bind',
    '/var/lib/abri/jail/h61000/passwd',
    '/etc/passwd',
    '--ro-bind',
    '/var/lib/abri/jail/h61000/group',
    '/etc/group',
    '--ro-bind-try',
    '/run/mysqld',
    '/run/mysqld',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--bind',
    '/srv/www/h61000/tmp',
    '/tmp',
    '--bind',
    '/srv/www/h61000',
    '/srv/www/h61000',
    '--seccomp',
    '9',
    '--clearenv',
    '--setenv',
    'PATH',
    '/usr/local/bin:/usr/bin:/bin',
    '--setenv',
    'HOME',
    '/srv/www/h61000',
    '--setenv',
    'USER',
    'h61000',
    '--setenv',
    'LOGNAME',
    'h61000',
    '--setenv',
    'SHELL',
    '/bin/bash',
    '--setenv',
    'LANG',
    'C.UTF-8',
    '--setenv',
    'TMPDIR',
    '/tmp',
    '--setenv',
    'COMPOSER_HOME',
    '/srv/www/h61000/tmp/.composer',
    '--remount-ro',
    '/',
    '--chdir',
    '/srv/www/h61000/var/www',
  ]);
  const args = bwrapArgs({ ...spec, seccompFd: null, start: 'var/www/blog' });
  assert.ok(!args.includes('--seccomp'));
  assert.equal(args.at(-1), '/srv/www/h61000/var/www/blog');
  assert.ok(!args.some((a) => a === '/home' || a === '/srv/www' || a === '/var' || a === '/proc/1'), 'no other home, no /var, no host /proc');
  assert.equal(
    jailPasswd(spec),
    'root:x:0:0:root:/root:/usr/sbin/nologin\nh61000:x:61000:61000:h61000:/srv/www/h61000:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
  );
  assert.equal(jailGroup(spec), 'root:x:0:\nh61000:x:61000:\nnogroup:x:65534:\n');
});

test('values that cannot make a jail are refused', () => {
  for (const bad of [
    { uid: 0 },
    { gid: 999 },
    { hosting: 'h1\n--bind' },
    { home: '/srv/www/../etc' },
    { home: '/' },
    { home: 'srv/www' },
    { passwdFile: '/etc/passwd x' },
    { start: '../../etc' },
    { start: 'a\nb' },
  ]) {
    assert.throws(() => bwrapArgs({ ...spec, ...bad }), Error, JSON.stringify(bad));
  }
  assert.equal(shQuote("it's"), `'it'\\''s'`);
  assert.equal(shQuote('/usr/bin/bwrap'), '/usr/bin/bwrap');
});

/** Runs a classic BPF program on one seccomp_data (nr, arch, args), as the kernel would. */
function decide(prog: NonNullable<ReturnType<typeof seccompProgram>>, data: { nr: number; arch: number; arg1: number }): 'allow' | 'eperm' {
  const word = (off: number) => ({ 0: data.nr, 4: data.arch, 24: data.arg1 })[off] ?? 0;
  let acc = 0;
  for (let pc = 0; pc < prog.length; pc++) {
    const i = prog[pc]!;
    if (i.code === 0x20) acc = word(i.k);
    else if (i.code === 0x15) pc += acc === i.k ? i.jt : i.jf;
    else if (i.code === 0x35) pc += acc >= i.k ? i.jt : i.jf;
    else if (i.code === 0x06) return i.k === 0x7fff0000 ? 'allow' : i.k === 0x50001 ? 'eperm' : assert.fail(`return ${i.k}`);
    else assert.fail(`opcode ${i.code}`);
  }
  return assert.fail('fell off the end');
}

test('the seccomp filter refuses btrfs subvolume/snapshot creation, TIOCSTI and other ABIs; allows the rest', () => {
  assert.deepEqual(
    DENIED_IOCTLS,
    {
      BTRFS_IOC_SNAP_CREATE: 0x50009401,
      BTRFS_IOC_SUBVOL_CREATE: 0x5000940e,
      BTRFS_IOC_SNAP_CREATE_V2: 0x50009417,
      BTRFS_IOC_SUBVOL_CREATE_V2: 0x50009418,
      TIOCSTI: 0x5412,
      TIOCLINUX: 0x541c,
    },
    'as <linux/btrfs.h> and <asm-generic/ioctls.h> define them',
  );
  assert.equal(
    seccompFilter('x64')!.toString('hex'),
    [
      '20000000040000001500000b3e0000c02000000000000000350009000000004015000007100000002000000018000000',
      '1500060001940050150005000e940050150004001794005015000300189400501500020012540000150001001c540000',
      '060000000000ff7f0600000001000500',
    ].join(''),
  );
  const prog = seccompProgram('x64')!;
  const X64 = 0xc000003e;
  for (const k of Object.values(DENIED_IOCTLS)) assert.equal(decide(prog, { nr: 16, arch: X64, arg1: k }), 'eperm', k.toString(16));
  assert.equal(decide(prog, { nr: 16, arch: X64, arg1: 0x5401 }), 'allow', 'TCGETS');
  assert.equal(decide(prog, { nr: 16, arch: X64, arg1: 0x5000940f }), 'allow', 'another btrfs ioctl');
  assert.equal(decide(prog, { nr: 2, arch: X64, arg1: 0x5000940e }), 'allow', 'open, whatever its flags');
  assert.equal(decide(prog, { nr: 0x40000000 + 16, arch: X64, arg1: 0x5000940e }), 'eperm', 'x32');
  assert.equal(decide(prog, { nr: 54, arch: 0x40000003, arg1: 0x5000940e }), 'eperm', 'i386 (int 0x80)');
  assert.equal(decide(seccompProgram('arm64')!, { nr: 29, arch: 0xc00000b7, arg1: 0x50009418 }), 'eperm');
  assert.equal(seccompFilter('riscv64'), null, 'no filter rather than a wrong one');
});

test("the shell script: sh syntax, every way in ends in bubblewrap; the shell user's Match block forces it, with a tty", () => {
  const text = renderShellScript({
    user: 'h61000-dev',
    self: '/etc/ssh/abri/shells/h61000-dev',
    jail: spec,
    seccompFile: '/var/lib/abri/jail/seccomp.bpf',
    bwrap: '/usr/bin/bwrap',
    sftpServer: '/usr/lib/openssh/sftp-server',
  });
  execFileSync('sh', ['-n'], { input: text });
  assert.ok(text.startsWith('#!/bin/sh\n'));
  const execs = text.split('\n').filter((l) => /\bexec\b/.test(l));
  assert.equal(execs.length, 3);
  assert.ok(
    execs.every((l) => l.includes(`exec /usr/bin/prlimit ${prlimitArgs(defaultJailLimits).join(' ')} -- /usr/bin/bwrap "$@" -- `) && l.endsWith(' 9</var/lib/abri/jail/seccomp.bpf ;;')),
    execs.join('\n'),
  );
  assert.match(text, /--seccomp 9/);
  assert.match(text, /\[ "\$\{2-\}" != \/etc\/ssh\/abri\/shells\/h61000-dev \]/);
  assert.throws(() => renderShellScript({ user: 'x', self: '/a b', jail: spec, seccompFile: null, bwrap: '/usr/bin/bwrap', sftpServer: '/s' }));
  const block = renderUserBlock(
    { keysDir: '/etc/ssh/abri/keys', chrootDir: '/var/lib/abri/sftp/chroot' },
    { name: 'h61000-dev', password: false, keys: true, start: '/files', shell: '/etc/ssh/abri/shells/h61000-dev' },
  );
  assert.equal(
    block,
    'Match User h61000-dev\n\tAuthorizedKeysFile /etc/ssh/abri/keys/h61000-dev\n\tForceCommand /etc/ssh/abri/shells/h61000-dev\n\tPermitTTY yes\n',
  );
  assert.throws(() => renderUserBlock({ keysDir: '/k', chrootDir: '/c' }, { name: 'h61000-dev', password: true, keys: false, start: '/files', shell: '/x y' }));
});

test('the jail limits: prlimit options (CPU soft below hard), why a run stopped, the cgroup counters read', () => {
  assert.deepEqual(prlimitArgs({ processes: 10, memoryMb: 64, cpuSeconds: 30, fileSizeMb: 2, openFiles: 50, uidProcesses: 500 }), [
    '--cpu=30:35', `--fsize=${2 * 1024 * 1024}`, '--nofile=50', `--as=${256 * 1024 * 1024}`, '--nproc=500', '--core=0',
  ]);
  assert.throws(() => prlimitArgs({ ...defaultJailLimits, openFiles: 0 }), /openFiles/);
  assert.throws(() => prlimitArgs({ ...defaultJailLimits, memoryMb: 1.5 }), /memoryMb/);
  const none = { oomKills: 0, pidsRefused: 0 };
  assert.equal(stopReason({ timedOut: false, exitCode: 0 }, none), null);
  assert.equal(stopReason({ timedOut: true, exitCode: null }, { oomKills: 0, pidsRefused: 3 }), 'processes', 'the limit hit, before the time limit');
  assert.equal(stopReason({ timedOut: false, exitCode: 137 }, { oomKills: 1, pidsRefused: 3 }), 'memory');
  assert.equal(stopReason({ timedOut: true, exitCode: null }, null), 'time_limit');
  assert.equal(stopReason({ timedOut: false, exitCode: 152 }, null), 'cpu_time');
  assert.equal(stopReason({ timedOut: false, exitCode: 153 }, none), 'file_size');
  assert.equal(stopReason({ timedOut: false, exitCode: 137 }, null), null, 'killed, but not by a limit it can name');
  assert.equal(eventCount('max 12\n', 'max'), 12);
  assert.equal(eventCount('low 0\nhigh 0\nmax 4\noom 2\noom_kill 1\n', 'oom_kill'), 1);
  assert.equal(eventCount('oom_kill_disable 0\nunder_oom 0\n', 'oom_kill'), 0);
  assert.equal(eventCount(null, 'max'), 0);
});
