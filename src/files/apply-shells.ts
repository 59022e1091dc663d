// The shells of SFTP users with shell access, on a web server (side effects): the hostings' jail
// files (src/jail) and one root-owned jail script per user (render-shell.ts), its login shell and
// its sshd Match block's ForceCommand. Scripts of users that lost their shell are removed.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DesiredSftpUser } from '../node/protocol.js';
import { ensureDir, writeAtomic } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import { BWRAP, ensureJails, jailOf } from '../jail/apply-jail.js';
import { renderShellScript } from './render-shell.js';

export const SFTP_SERVER = '/usr/lib/openssh/sftp-server';

/** Where the shells live under the node's root. */
export const shellPaths = (root: string) => ({ scripts: path.join(root, 'etc/ssh/abri/shells'), jails: path.join(root, 'var/lib/abri/jail') });

/** Writes the jails and scripts of these shell users (others' removed); returns each user's script by name. */
export async function ensureShells(root: string, users: DesiredSftpUser[]): Promise<Map<string, string>> {
  const p = shellPaths(root);
  const hostings = new Map(users.map((u) => [u.hosting, { hosting: u.hosting, uid: u.uid, gid: u.uid, home: u.home }]));
  const seccompFile = await ensureJails(p.jails, [...hostings.values()]);
  await ensureDir(p.scripts, 0o755);
  const scripts = new Map<string, string>();
  for (const u of users) {
    const self = path.join(p.scripts, u.name);
    const text = renderShellScript({ user: u.name, self, jail: jailOf(p.jails, hostings.get(u.hosting)!), seccompFile, bwrap: BWRAP, sftpServer: SFTP_SERVER });
    if ((await readIfExists(self)) !== text) await writeAtomic(self, text, 0o755);
    scripts.set(u.name, self);
  }
  for (const name of await readdir(p.scripts)) if (!scripts.has(name)) await rm(path.join(p.scripts, name), { force: true });
  return scripts;
}
