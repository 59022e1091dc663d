// The jail in which a hosting's own code runs outside PHP-FPM (pure): SSH shell sessions and
// scheduled tasks. bubblewrap, started as the hosting's uid (never as root: it gains nothing it
// did not have), makes new namespaces (user, mount, pid, ipc, uts, cgroup; the network is shared:
// git, composer and the database server are reached over it) and mounts in them:
//   - the system read-only: /usr (PHP CLI, mysql/mariadb client, git, rsync, unzip, composer),
//     the merged-/usr links, and the few files of /etc the tools read;
//   - the hosting's home, writable where its own permissions let it, at its real path (the paths in
//     the sites' configuration are the same inside and outside); the folder holding the homes is not
//     mounted: no other hosting exists there;
//   - the home's tmp/ as /tmp (private to the hosting, inside its disk quota);
//   - a /proc of its own pid namespace (no other process visible), a minimal /dev;
//   - /etc/passwd and /etc/group naming only root and the hosting (not the server's other accounts).
// A seccomp filter (seccomp.ts) refuses btrfs subvolume creation and terminal injection.
import path from 'node:path';

export interface JailSpec {
  /** the hosting's name (its account, and the jail's host name) */
  hosting: string;
  uid: number;
  gid: number;
  /** its home, absolute and normalised */
  home: string;
  /** the files the jail mounts as /etc/passwd and /etc/group (root-owned, readable: jailPasswd, jailGroup) */
  passwdFile: string;
  groupFile: string;
  /** the descriptor bubblewrap reads the seccomp filter from; null: no filter on this machine */
  seccompFd: number | null;
  /** where the command starts, inside the home (default var/www) */
  start?: string;
}

/** The system: read-only, always the same paths (merged /usr: /bin, /lib… are links into /usr). */
const SYSTEM_LINKS: Array<[string, string]> = [
  ['usr/bin', '/bin'],
  ['usr/sbin', '/sbin'],
  ['usr/lib', '/lib'],
  ['usr/lib64', '/lib64'],
];
/** What of /etc the shell and its tools read (those missing on a server are skipped). */
export const JAIL_ETC = [
  '/etc/alternatives',
  '/etc/bash.bashrc',
  '/etc/ca-certificates',
  '/etc/debian_version',
  '/etc/gai.conf',
  '/etc/gitconfig',
  '/etc/host.conf',
  '/etc/hosts',
  '/etc/inputrc',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/localtime',
  '/etc/mime.types',
  '/etc/mysql',
  '/etc/nsswitch.conf',
  '/etc/os-release',
  '/etc/php',
  '/etc/profile',
  '/etc/protocols',
  '/etc/resolv.conf',
  '/etc/services',
  '/etc/ssh/ssh_config',
  '/etc/ssh/ssh_config.d',
  '/etc/ssl',
  '/etc/terminfo',
  '/etc/timezone',
];
/** Sockets of local services the hosting may use (a database server on the same machine). */
const JAIL_RUN = ['/run/mysqld'];

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;
const SAFE_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

function check(spec: JailSpec): void {
  if (!SAFE_NAME.test(spec.hosting)) throw new Error(`hosting name ${JSON.stringify(spec.hosting)} cannot name a jail`);
  for (const id of [spec.uid, spec.gid]) if (!Number.isInteger(id) || id < 1000) throw new Error(`${id} is not a hosting's uid or gid`);
  for (const p of [spec.home, spec.passwdFile, spec.groupFile]) {
    if (!SAFE_PATH.test(p) || path.posix.normalize(p) !== p || p === '/') throw new Error(`${JSON.stringify(p)} is not an absolute, normalised path`);
  }
  if (spec.start !== undefined && (spec.start.split('/').some((c) => c === '..' || c === '.') || !/^[A-Za-z0-9._/+@ -]*$/.test(spec.start))) {
    throw new Error(`start folder ${JSON.stringify(spec.start)} is not inside the home`);
  }
}

/** The environment inside the jail (nothing of the caller's passes, except what callers add: TERM). */
export function jailEnv(spec: JailSpec): Array<[string, string]> {
  return [
    ['PATH', '/usr/local/bin:/usr/bin:/bin'],
    ['HOME', spec.home],
    ['USER', spec.hosting],
    ['LOGNAME', spec.hosting],
    ['SHELL', '/bin/bash'],
    ['LANG', 'C.UTF-8'],
    ['TMPDIR', '/tmp'],
    ['COMPOSER_HOME', `${spec.home}/tmp/.composer`],
  ];
}

/**
 * bubblewrap's arguments, up to (not including) `--` and the command: the caller adds its own
 * `--setenv` (TERM…) before them, then `--`, then the command.
 */
export function bwrapArgs(spec: JailSpec): string[] {
  check(spec);
  const start = path.posix.join(spec.home, spec.start ?? 'var/www');
  return [
    '--unshare-all',
    '--unshare-user',
    '--share-net',
    '--disable-userns',
    '--die-with-parent',
    '--cap-drop',
    'ALL',
    '--hostname',
    spec.hosting,
    '--ro-bind',
    '/usr',
    '/usr',
    ...SYSTEM_LINKS.flatMap(([to, at]) => ['--symlink', to, at]),
    ...JAIL_ETC.flatMap((p) => ['--ro-bind-try', p, p]),
    '--ro-bind',
    spec.passwdFile,
    '/etc/passwd',
    '--ro-bind',
    spec.groupFile,
    '/etc/group',
    ...JAIL_RUN.flatMap((p) => ['--ro-bind-try', p, p]),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    // /tmp first: a home under /tmp (tests) is then mounted over it, not hidden by it
    '--bind',
    path.posix.join(spec.home, 'tmp'),
    '/tmp',
    '--bind',
    spec.home,
    spec.home,
    ...(spec.seccompFd === null ? [] : ['--seccomp', String(spec.seccompFd)]),
    '--clearenv',
    ...jailEnv(spec).flatMap(([k, v]) => ['--setenv', k, v]),
    // the sandbox's own root (a tmpfs holding the mount points) read-only too: nothing is written outside the home
    '--remount-ro',
    '/',
    '--chdir',
    start,
  ];
}

/** The jail's /etc/passwd: root and the hosting (its home, bash). */
export const jailPasswd = (spec: Pick<JailSpec, 'hosting' | 'uid' | 'gid' | 'home'>) =>
  `root:x:0:0:root:/root:/usr/sbin/nologin\n${spec.hosting}:x:${spec.uid}:${spec.gid}:${spec.hosting}:${spec.home}:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`;

/** The jail's /etc/group. */
export const jailGroup = (spec: Pick<JailSpec, 'hosting' | 'gid'>) => `root:x:0:\n${spec.hosting}:x:${spec.gid}:\nnogroup:x:65534:\n`;

/** A word for sh: single-quoted unless it is plainly safe. */
export const shQuote = (s: string) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
