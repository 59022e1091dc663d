// Pure rules of SFTP users: names, restriction folders, public keys, quota. The manager and the
// agent (render-sshd.ts, apply-sshd.ts) use the same functions: one validation per kind of value.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { AppError, fieldError } from '../platform/errors.js';
import type { OfferRow } from '../offers/model.js';

/** Linux user names (useradd, utmp) are at most 32 characters. */
export const MAX_USER_NAME = 32;
/** What a customer chooses: the part after `<hosting name>-`. */
export const SUFFIX = /^[a-z0-9]+(?:[_-][a-z0-9]+)*$/;
/**
 * A full name as Abri makes them: the hosting's name (letters, then its uid's digits), `-`, a suffix.
 * No hosting, system or Debian account is named like that; sshd's Match patterns (`*`, `?`, `!`, `,`)
 * can never appear in one.
 */
const ABRI_NAME = /^[a-z][a-z0-9]*[0-9]-[a-z0-9]+(?:[_-][a-z0-9]+)*$/;
export const isSftpUserName = (n: string) => ABRI_NAME.test(n) && n.length <= MAX_USER_NAME;

/** `<hosting>-<suffix>`, or a field error when it is longer than Linux allows. */
export function sftpUserName(hostingName: string, suffix: string): string {
  const name = `${hostingName}-${suffix}`;
  if (name.length > MAX_USER_NAME) {
    const left = MAX_USER_NAME - hostingName.length - 1;
    throw fieldError('sftp_user.name_too_long', 'body.name', `${name} is longer than ${MAX_USER_NAME} characters: in ${hostingName}, give at most ${left} characters`, { name, max: left });
  }
  return name;
}

/** A folder component: letters, digits, `.`, `_`, `-`, `+`, `@`, space; never `.` or `..`, never starting with `-`. */
const COMPONENT = /^[A-Za-z0-9._+@ -]{1,255}$/;

/**
 * The restriction folder, relative to the hosting's home: "" (the whole home) or `var/www` and below
 * (the hosting's files); anything else (`..`, absolute, var/log which is Abri's, control characters)
 * is a reason, else null. Normalised form: no leading/trailing or doubled `/`.
 */
export function folderProblem(folder: string): string | null {
  if (folder === '') return null;
  if (folder.length > 1024) return 'at most 1024 characters';
  if (folder.startsWith('/')) return 'must be relative to the hosting\'s home (no leading /)';
  const parts = folder.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return 'no empty, "." or ".." component (the folder must stay inside the hosting)';
  if (parts.some((p) => !COMPONENT.test(p) || p.startsWith('-') || p.endsWith(' ') || p.startsWith(' '))) {
    return 'letters, digits, ".", "_", "-", "+", "@" and inner spaces only';
  }
  if (path.posix.normalize(folder) !== folder) return 'not a normalised path';
  if (parts[0] !== 'var' || parts[1] !== 'www') return '"" (the whole home) or var/www and its sub-folders (the rest of the home is Abri\'s: logs, statistics)';
  return null;
}

/** The folder as given, trimmed of surrounding slashes, or a field error. */
export function normaliseFolder(raw: string, at = 'body.folder'): string {
  const folder = raw.trim().replace(/^\.\/?/, '').replace(/\/+$/, '');
  const problem = folderProblem(folder);
  if (problem) throw fieldError('sftp_user.folder_invalid', at, `folder "${raw}": ${problem}`, { folder: raw, reason: problem });
  return folder;
}

/** Where an SFTP session starts inside its chroot: the folder is mounted at /files (the home: in its var/www). */
export const startDirectory = (folder: string) => (folder === '' ? '/files/var/www' : '/files');

/** Where a shell session starts: the home's var/www, at its real path (the jail mounts the home there). */
export const shellStart = (home: string) => `${home}/var/www`;

export interface PublicKey { type: string; blob: string; bits: number; fingerprint: string; comment: string }

const KEY_TYPES = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521'] as const;
const CURVE_POINT = { nistp256: 65, nistp384: 97, nistp521: 133 } as Record<string, number>;

/** Reads the length-prefixed strings of an SSH wire blob. */
function wireStrings(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 4 > buf.length) throw new Error('truncated key');
    const n = buf.readUInt32BE(at);
    if (at + 4 + n > buf.length) throw new Error('truncated key');
    out.push(buf.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return out;
}

const bitLength = (mpint: Buffer) => {
  let i = 0;
  while (i < mpint.length && mpint[i] === 0) i++;
  if (i === mpint.length) return 0;
  return (mpint.length - i - 1) * 8 + mpint[i]!.toString(2).length;
};

/**
 * An OpenSSH public key line (`type base64 [comment]`, as in id_ed25519.pub): ed25519, RSA of 2048
 * bits or more, ECDSA (NIST P-256/384/521). The blob is decoded and checked against its type; options
 * before the type are refused (Abri writes its own). Throws a reason (English) when it is not one.
 */
export function parsePublicKey(line: string): PublicKey {
  const text = line.trim();
  if (/[\r\n\0]/.test(text)) throw new Error('one key, on one line');
  const [type, b64, ...rest] = text.split(/[ \t]+/);
  if (!type || !b64) throw new Error('expected "<type> <base64 key> [comment]", as in ~/.ssh/id_ed25519.pub');
  if (!(KEY_TYPES as readonly string[]).includes(type)) throw new Error(`key type ${type.slice(0, 40)}: use ssh-ed25519, ssh-rsa (2048 bits or more) or ecdsa-sha2-nistp256/384/521`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length > 16384) throw new Error('the key is not base64');
  const blob = Buffer.from(b64, 'base64');
  if (blob.toString('base64') !== b64) throw new Error('the key is not canonical base64');
  const fields = wireStrings(blob);
  if (fields[0]?.toString('latin1') !== type) throw new Error(`the key's content is not a ${type} key`);
  let bits: number;
  if (type === 'ssh-ed25519') {
    if (fields.length !== 2 || fields[1]!.length !== 32) throw new Error('not a valid ed25519 key');
    bits = 256;
  } else if (type === 'ssh-rsa') {
    if (fields.length !== 3) throw new Error('not a valid RSA key');
    bits = bitLength(fields[2]!);
    if (bits < 2048) throw new Error(`an RSA key of ${bits} bits: 2048 bits or more needed`);
    if (bits > 16384) throw new Error('an RSA key of more than 16384 bits');
  } else {
    const curve = type.slice('ecdsa-sha2-'.length);
    if (fields.length !== 3 || fields[1]!.toString('latin1') !== curve || fields[2]!.length !== CURVE_POINT[curve] || fields[2]![0] !== 4) throw new Error(`not a valid ${type} key`);
    bits = Number(curve.slice(5));
  }
  const comment = rest.join(' ').replace(/[^\x20-\x7e]/g, '').slice(0, 100);
  const fingerprint = 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return { type, blob: b64, bits, fingerprint, comment };
}

/** A key as the agent writes it for sshd: `restrict` (no forwarding, no pty, no ~/.ssh/rc; a shell user's: a pty), type, blob; never the comment. */
export function authorizedKeyLine(k: { type: string; blob: string }, pty = false): string {
  const parsed = parsePublicKey(`${k.type} ${k.blob}`);
  return `${pty ? 'restrict,pty' : 'restrict'} ${parsed.type} ${parsed.blob}`;
}

/**
 * Shell access: only when the offer allows SSH, and only for a user of the whole home (the jail
 * shows the whole home: a restriction folder would promise what it does not keep).
 */
export function assertShell(offer: Pick<OfferRow, 'name' | 'sshAllowed'>, folder: string) {
  if (!offer.sshAllowed) {
    throw fieldError('sftp_user.shell_not_allowed', 'body.shell', `the offer "${offer.name}" does not allow SSH shell access (its SFTP users are SFTP only)`, { offer: offer.name });
  }
  if (folder !== '') {
    throw fieldError('sftp_user.shell_folder', 'body.shell', `a shell user sees the whole home: its folder must be "" (not "${folder}")`, { folder });
  }
}

/** Keys per user. */
export const MAX_KEYS = 20;

/**
 * SFTP users per hosting: the offer's maxFtpUsers ("file-transfer accounts"): SFTP users now, FTP
 * users later, count against the same figure.
 */
export function assertQuota(offer: Pick<OfferRow, 'name' | 'maxFtpUsers'>, used: number) {
  if (used + 1 > offer.maxFtpUsers) {
    throw new AppError('quota.sftp_users_exceeded', `the offer "${offer.name}" allows ${offer.maxFtpUsers} file-transfer (SFTP/FTP) user(s) per hosting`, {
      params: { offer: offer.name, max: offer.maxFtpUsers, used },
    });
  }
}
