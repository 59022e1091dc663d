// What Abri's Pure-FTPd on a web server is given (pure): its command line, and the text of its
// virtual users' file (pure-pw's passwd format), which `pure-pw mkdb` turns into the puredb read at
// every sign-in. Every user is chrooted (`/./` in its home): the chroot is <chrootDir>/<name>/files,
// root's mount point of its restriction folder, never a path the hosting can turn into a symlink.
import { isSha512Crypt } from './sha512-crypt.js';
import { isFtpUserName } from './rules-ftp.js';

export interface PureFtpdSpec {
  bind: string;
  port: number;
  passive: { first: number; last: number };
  passiveIp: string | null;
  tls: 'required' | 'optional';
  /** certificate and key, one PEM file */
  certFile: string;
  puredb: string;
  pidFile: string;
  /** the lowest uid that may sign in (hosting uids are above it; never root or a system account) */
  minUid: number;
}

export interface PureFtpdUser {
  name: string;
  passwordHash: string;
  uid: number;
  /** the user's chroot: <chrootDir>/<name>/files */
  chroot: string;
  /** where its session starts inside the chroot ('' or var/www) */
  start: string;
}

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;
const SAFE_ADDRESS = /^[0-9a-fA-F:.]+$/;

function checked(value: string, what: string, ok: boolean): string {
  if (!ok) throw new Error(`${what} ${JSON.stringify(value)} cannot be given to Pure-FTPd`);
  return value;
}

/** One line of the users' file; throws when a value could not be written safely (the caller leaves the user out). */
export function renderFtpUserLine(u: PureFtpdUser, minUid: number): string {
  checked(u.name, 'user name', isFtpUserName(u.name));
  checked(u.name, 'password hash of', isSha512Crypt(u.passwordHash));
  checked(String(u.uid), 'uid', Number.isInteger(u.uid) && u.uid >= minUid && u.uid < 4_294_967_295);
  checked(u.chroot, 'chroot', SAFE_PATH.test(u.chroot) && !u.chroot.includes('/./') && !u.chroot.includes('/../'));
  checked(u.start, 'start directory', u.start === '' || u.start === 'var/www');
  // login:password:uid:gid:gecos:home, then bandwidths, ratios, connections, quotas, addresses, times (unset)
  return [u.name, u.passwordHash, u.uid, u.uid, '', `${u.chroot}/./${u.start}`, '', '', '', '', '', '', '', '', '', '', '', ''].join(':');
}

/** The users' file from lines already made by renderFtpUserLine. */
export const renderFtpUsers = (lines: string[]) => (lines.length ? lines.join('\n') + '\n' : '');

/** Pure-FTPd's command line (run in the foreground: the agent starts it detached and watches it listen). */
export function renderPureFtpdArgs(spec: PureFtpdSpec): string[] {
  checked(spec.bind, 'listen address', SAFE_ADDRESS.test(spec.bind));
  if (spec.passiveIp) checked(spec.passiveIp, 'passive address', SAFE_ADDRESS.test(spec.passiveIp));
  for (const [what, p] of [['certificate', spec.certFile], ['user database', spec.puredb], ['pid file', spec.pidFile]] as const) checked(p, what, SAFE_PATH.test(p));
  const port = (n: number) => checked(String(n), 'port', Number.isInteger(n) && n >= 1 && n <= 65535);
  return [
    '--bind', `${spec.bind},${port(spec.port)}`,
    '--login', `puredb:${spec.puredb}`,
    '--noanonymous', // virtual users only
    '--chrooteveryone',
    '--minuid', String(spec.minUid),
    '--umask', '133:022', // files 0644, folders 0755: Apache reads what was uploaded
    '--passiveportrange', `${port(spec.passive.first)}:${port(spec.passive.last)}`,
    ...(spec.passiveIp ? ['--forcepassiveip', spec.passiveIp] : []),
    '--tls', spec.tls === 'required' ? '2' : '1',
    '--certfile', spec.certFile,
    '--pidfile', spec.pidFile,
    '--dontresolve',
    '--displaydotfiles', // .htaccess is the customer's
    '--customerproof', // no chmod that locks the owner out
    '--maxclientsnumber', '200',
    '--maxclientsperip', '20',
    '--maxidletime', '15',
  ];
}
