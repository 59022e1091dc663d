// The configuration of Abri's sshd on a web server (pure): one instance for every SFTP user of the
// server's hostings, apart from the machine's own sshd. Nobody can sign in unless a Match block lets
// them: password and key authentication are off outside the blocks, and each block turns on only what
// its user has. Every session is internal-sftp in the user's chroot (no shell, no forwarding, no tty),
// except for shell users: theirs run their jail script (src/jail), with a tty, still no forwarding.
import { isSftpUserName } from './rules.js';

export interface SshdUserBlock {
  name: string;
  /** whether it signs in with a password (its shadow entry holds the hash) */
  password: boolean;
  /** whether it has keys (its authorized keys file is written) */
  keys: boolean;
  /** where its session starts, inside its chroot */
  start: string;
  /** a shell user: its jail script (its login shell, forced), instead of a chroot and internal-sftp */
  shell?: string;
}

export interface SshdSpec extends SshdBaseSpec {
  /** authorized keys files: <keysDir>/<user>, root-owned, outside every chroot */
  keysDir: string;
  /** chroots: <chrootDir>/<user>, root-owned 0755, holding /files (the user's folder, bind-mounted) */
  chrootDir: string;
  users: SshdUserBlock[];
}

const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;
const SAFE_ADDRESS = /^[0-9a-fA-F:.]+$/;
const SFTP = 'internal-sftp -u 0022';

/** An SFTP session and nothing else: no forwarding of any kind, no terminal, no user rc or environment (the backup server's sshd too). */
export const SFTP_SESSION_ONLY = [
    'DisableForwarding yes',
    'AllowTcpForwarding no',
    'AllowStreamLocalForwarding no',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PermitTunnel no',
    'GatewayPorts no',
    'PermitTTY no',
    'PermitUserRC no',
    'PermitUserEnvironment no',
    'PrintMotd no',
    'PrintLastLog no',
] as const;

/** Where an Abri sshd listens and how it runs: the head of its sshd_config (the values already checked). */
export interface SshdBaseSpec {
  bind: string;
  port: number;
  hostKey: string;
  pidFile: string;
}

/** The first lines of every Abri sshd_config: its title, where it listens, its host key and pid file, no PAM, no root. */
export function sshdBase(spec: SshdBaseSpec, title: string): string[] {
  const listen = spec.bind.includes(':') ? `[${spec.bind}]:${spec.port}` : `${spec.bind}:${spec.port}`;
  return [
    `# Abri: ${title} (rendered by the agent; do not edit)`,
    `ListenAddress ${listen}`,
    `HostKey ${spec.hostKey}`,
    `PidFile ${spec.pidFile}`,
    'UsePAM no',
    'PermitRootLogin no',
    'StrictModes yes',
  ];
}

function checked(value: string, what: string, ok: boolean): string {
  if (!ok) throw new Error(`${what} ${JSON.stringify(value)} cannot be written into sshd_config`);
  return value;
}

/** One user's Match block; throws when a value could not be written safely (the caller leaves it out). */
export function renderUserBlock(spec: Pick<SshdSpec, 'keysDir' | 'chrootDir'>, u: SshdUserBlock): string {
  checked(u.name, 'user name', isSftpUserName(u.name));
  checked(u.start, 'start directory', SAFE_PATH.test(u.start));
  if (!u.password && !u.keys) throw new Error(`${u.name} has neither a password nor a key`);
  if (u.shell !== undefined) {
    checked(u.shell, 'jail script', SAFE_PATH.test(u.shell));
    return [
      `Match User ${u.name}`,
      ...(u.password ? ['\tPasswordAuthentication yes'] : []),
      ...(u.keys ? [`\tAuthorizedKeysFile ${spec.keysDir}/${u.name}`] : []),
      // no chroot: the jail script enters bubblewrap's namespaces; every session (shell, command, sftp) runs it
      `\tForceCommand ${u.shell}`,
      '\tPermitTTY yes',
      '',
    ].join('\n');
  }
  return [
    `Match User ${u.name}`,
    ...(u.password ? ['\tPasswordAuthentication yes'] : []),
    ...(u.keys ? [`\tAuthorizedKeysFile ${spec.keysDir}/${u.name}`] : []),
    `\tChrootDirectory ${spec.chrootDir}/${u.name}`,
    `\tForceCommand ${SFTP} -d ${u.start}`,
    '',
  ].join('\n');
}

/** The whole sshd_config, with these users' blocks (already rendered by renderUserBlock). */
export function renderSshdConfig(spec: SshdSpec, blocks: string[]): string {
  checked(spec.bind, 'listen address', SAFE_ADDRESS.test(spec.bind));
  for (const [what, p] of [['host key', spec.hostKey], ['pid file', spec.pidFile], ['keys directory', spec.keysDir], ['chroot directory', spec.chrootDir]] as const) {
    checked(p, what, SAFE_PATH.test(p));
  }
  return [
    ...sshdBase(spec, 'the sshd of the SFTP users of this web server'),
    // nobody outside a Match block below has any way in
    'PasswordAuthentication no',
    'PermitEmptyPasswords no',
    'KbdInteractiveAuthentication no',
    'HostbasedAuthentication no',
    'PubkeyAuthentication yes',
    'AuthorizedKeysFile none',
    // an SFTP session, nothing else
    ...SFTP_SESSION_ONLY,
    'MaxAuthTries 4',
    'LoginGraceTime 30',
    'ClientAliveInterval 60',
    `Subsystem sftp ${SFTP}`,
    `ForceCommand ${SFTP}`,
    '',
    ...blocks,
  ].join('\n');
}
