// What every change to a hosting's SFTP users shares: the hosting locked and decided on, the
// revision that makes its web server reconcile them, and the answer's view of a user.
import type { AppContext } from '../platform/context.js';
import { customerScope } from '../platform/actor.js';
import type { Change } from '../platform/change.js';
import type { Db } from '../platform/db/database.js';
import { objectProvisioning } from '../servers/store-provisioning.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting, type HostingRow } from '../hosting/store-hostings.js';
import { sftpUserView, type SftpUserRow } from './model.js';
import { shellStart, startDirectory } from './rules.js';
import { findSftpUser, keysOf, sftpStamps } from './store-users.js';

export async function sftpViews(app: { db: Db; config: AppContext['config'] }, rows: SftpUserRow[], opts: { created?: boolean } = {}) {
  const states = await objectProvisioning(app.db, 'sftp-user', rows.map((u) => ({ id: u.id, revision: u.revision, servers: u.serverId ? [u.serverId] : [] })), undefined, opts);
  const keys = await keysOf(app.db, rows.map((u) => u.id));
  return rows.map((u) => sftpUserView(u, keys.get(u.id) ?? [], app.config.sftpPort, states.get(u.id)!, u.shell ? shellStart(u.hostingHome) : startDirectory(u.folder)));
}

export const auditView = (u: { name: string; folder: string; enabled: boolean; shell: boolean }) => ({ name: u.name, folder: u.folder, enabled: u.enabled, shell: u.shell });

/** The hosting, locked for this change (quotas and names are checked under it), if the caller may manage its SFTP users. */
export async function lockedHosting(c: Change, ref: string): Promise<HostingRow> {
  const hosting = await findHosting(c.db, ref, customerScope(c.caller.actor), { lock: true });
  c.may(hostingSubject(hosting, 'sftp_user'), 'manage');
  return hosting;
}

/** The hosting's web server applies the change (the user is stamped with this change's revision when it still exists). */
export async function sftpChanged(c: Change, hosting: Pick<HostingRow, 'serverId'>, reason: string, userId?: string): Promise<void> {
  if (!hosting.serverId) return;
  await c.bump(reason, [hosting.serverId], userId ? sftpStamps([userId]) : []);
}

/** A user as the API shows it after a change (with the new password when one was made). */
export async function changedView(c: Change, app: AppContext, id: string, password?: string) {
  const [view] = await sftpViews({ db: c.db, config: app.config }, [await findSftpUser(c.db, id)], { created: true });
  return password ? { ...view!, newPassword: password } : view!;
}

