// The configuration of Abri's sshd on a backup server (pure): one instance for every hosting's
// repository account, apart from the machine's own sshd. An account signs in only with the one key
// its authorized keys file holds (root-owned, outside every chroot), and only into SFTP in its
// chroot (its repository, nothing else: no shell, no forwarding, no tty).
import { renderError, safeInt } from '../platform/render.js';
import { SFTP_SESSION_ONLY, sshdBase, type SshdBaseSpec } from '../files/render-sshd.js';
import { SAFE_PATH } from './rules.js';

export interface BackupSshdSpec extends SshdBaseSpec {
  /** authorized keys files: <keysDir>/<account>, root-owned, outside every chroot */
  keysDir: string;
  /** chroots: <chrootDir>/<account>, root-owned 0755, holding the repository (repo/, the account's) */
  chrootDir: string;
}

const SAFE_ADDRESS = /^[0-9a-fA-F:.]+$/;

function checked(value: string, what: string, ok: boolean): string {
  if (!ok) throw renderError(what, value, 'it cannot be written into sshd_config');
  return value;
}

/** The whole sshd_config. */
export function renderBackupSshd(spec: BackupSshdSpec): string {
  checked(spec.bind, 'listen address', SAFE_ADDRESS.test(spec.bind));
  safeInt('port', spec.port, 1, 65535);
  for (const [what, p] of [['host key', spec.hostKey], ['pid file', spec.pidFile], ['keys directory', spec.keysDir], ['chroot directory', spec.chrootDir]] as const) checked(p, what, SAFE_PATH.test(p));
  return [
    ...sshdBase(spec, "the sshd of the hostings' backup repositories on this backup server"),
    // only the accounts Abri makes, only with the key Abri wrote for each
    'AllowUsers bk-*',
    'PasswordAuthentication no',
    'PermitEmptyPasswords no',
    'KbdInteractiveAuthentication no',
    'HostbasedAuthentication no',
    'PubkeyAuthentication yes',
    `AuthorizedKeysFile ${spec.keysDir}/%u`,
    // an SFTP session in the account's chroot, nothing else
    `ChrootDirectory ${spec.chrootDir}/%u`,
    ...SFTP_SESSION_ONLY,
    'MaxAuthTries 3',
    'LoginGraceTime 30',
    'ClientAliveInterval 60',
    'Subsystem sftp internal-sftp',
    'ForceCommand internal-sftp',
    '',
  ].join('\n');
}
