// Pure rules of publishing the public works page: its digest, which file paths a page may hold, and
// what an outside target (rsync over SSH) may be.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { fieldError } from '../platform/errors.js';

export interface PageFile {
  path: string;
  content: string;
}

/** SHA-256 over the paths and contents in path order: the same page, the same digest, wherever it is computed. */
export function pageDigest(files: PageFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) h.update(`${f.path}\0${Buffer.byteLength(f.content)}\0`).update(f.content);
  return h.digest('hex');
}

/** A path of the page: lower-case segments of letters, digits, dots, dashes, never "." or ".." (an agent checks what it is handed). */
export const safePagePath = (p: string) => /^[a-z0-9_-][a-z0-9._-]*(?:\/[a-z0-9_-][a-z0-9._-]*)*$/.test(p) && !p.split('/').some((s) => s === '.' || s === '..') && p.length <= 200;

/** Why a page handed out is refused, or null: every path safe, the digest its own. */
export function pageProblem(page: { digest: string; files: PageFile[] }): string | null {
  const bad = page.files.find((f) => !safePagePath(f.path));
  if (bad) return `unsafe path ${JSON.stringify(bad.path.slice(0, 100))}`;
  if (new Set(page.files.map((f) => f.path)).size !== page.files.length) return 'a path appears twice';
  if (pageDigest(page.files) !== page.digest) return 'the files do not match their digest';
  return null;
}

const hostName = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
/** An SSH public key line: type, base64 blob, nothing else (a comment is dropped). */
const keyLine = /^(ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|ssh-rsa) ([A-Za-z0-9+/]{40,1500}={0,2})(?: [\x20-\x7e]{0,200})?$/;

export interface TargetFields {
  host: string;
  port: number;
  username: string;
  path: string;
  hostKey: string;
}

/** Checks a target's fields; answers them normalised (host lower-case, the host key without its comment). */
export function checkTarget(t: TargetFields): TargetFields {
  const issue = (field: string, message: string) => fieldError('work_target.invalid', `body.${field}`, `${field}: ${message}`, { field });
  const host = t.host.trim().toLowerCase();
  if (!hostName.test(host) && !isIP(host)) throw issue('host', 'must be a host name or an IP address');
  if (!/^[a-z_][a-z0-9_.-]{0,31}$/.test(t.username)) throw issue('username', 'must be a Unix user name');
  const folder = t.path.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  if (!/^(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$/.test(folder) || folder.split('/').some((s) => s === '..') || folder.length > 500) {
    throw issue('path', 'must be an absolute folder (letters, digits, . _ - /), not /');
  }
  const key = keyLine.exec(t.hostKey.trim().replace(/^\[?[^\s\]]+\]?(?::\d+)? (?=ssh-|ecdsa-)/, ''));
  if (!key) throw issue('hostKey', 'must be the server\'s public host key, as ssh-keyscan prints it');
  return { host, port: t.port, username: t.username, path: folder, hostKey: `${key[1]} ${key[2]}` };
}

/** The known_hosts line that pins the target's host key (ssh writes [host]:port for another port than 22). */
export const knownHostsLine = (t: Pick<TargetFields, 'host' | 'port' | 'hostKey'>) => `${t.port === 22 ? t.host : `[${t.host}]:${t.port}`} ${t.hostKey}\n`;

/** The folder of one version of the page on a target, beside the `current` link (content-addressed: a retry sends the same). */
export const versionDir = (digest: string) => `.abri-works-${digest.slice(0, 16)}`;
