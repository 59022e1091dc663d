// The public keys of SFTP users: added (parsed and checked: type, size, one of a kind per user) and removed.
import { customerScope, type Caller } from '../platform/actor.js';
import { change, type Change } from '../platform/change.js';
import { AppError, fieldError } from '../platform/errors.js';
import type { AppContext } from '../platform/context.js';
import { MAX_KEYS, parsePublicKey, type PublicKey } from './rules.js';
import { deleteKey, findSftpUser, insertKey, keysOf } from './store-users.js';
import { changedView, lockedHosting, sftpChanged } from './operations-shared.js';

/** Parses and adds keys to a user (each a field error at `at.i` when it is not a key Abri accepts); returns them. */
export async function addKeysTo(c: Change, userId: string, lines: string[], at: string): Promise<PublicKey[]> {
  const have = (await keysOf(c.db, [userId])).get(userId) ?? [];
  if (have.length + lines.length > MAX_KEYS) {
    throw new AppError('quota.sftp_keys_exceeded', `an SFTP user has at most ${MAX_KEYS} public keys`, { params: { max: MAX_KEYS, used: have.length } });
  }
  const seen = new Set(have.map((k) => k.fingerprint));
  const keys: PublicKey[] = [];
  for (const [i, line] of lines.entries()) {
    let key: PublicKey;
    try {
      key = parsePublicKey(line);
    } catch (e) {
      throw fieldError('sftp_key.invalid', `${at}.${i}`, `not a public key Abri accepts: ${(e as Error).message}`, { reason: (e as Error).message });
    }
    if (seen.has(key.fingerprint)) throw fieldError('sftp_key.taken', `${at}.${i}`, `the user already has the key ${key.fingerprint}`, { fingerprint: key.fingerprint });
    seen.add(key.fingerprint);
    await insertKey(c.db, userId, key, c.now);
    keys.push(key);
  }
  return keys;
}

export function addSftpKey(app: AppContext, caller: Caller, ref: string, line: string) {
  return change(app, caller, async (c) => {
    const u = await findSftpUser(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, u.hostingId);
    const [key] = await addKeysTo(c, u.id, [line], 'body.key');
    const after = { fingerprint: key!.fingerprint, type: key!.type, bits: key!.bits, comment: key!.comment };
    await c.audit({ action: 'sftp_user.key_add', targetType: 'sftp_user', targetId: u.id, target: u.name, customerId: hosting.customerId, after });
    await sftpChanged(c, hosting, `SFTP user ${u.name}: key added`, u.id);
    return changedView(c, app, u.id);
  });
}

/** Removes a key (by id or SHA256 fingerprint): sessions opened with it end when the web server applies it. */
export function removeSftpKey(app: AppContext, caller: Caller, ref: string, keyRef: string) {
  return change(app, caller, async (c) => {
    const u = await findSftpUser(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, u.hostingId);
    const gone = await deleteKey(c.db, u.id, keyRef, c.now);
    // the reference is not repeated: it may be another user's key id
    if (!gone) throw new AppError('sftp_key.not_found', `${u.name} has no such key (give its id or SHA256 fingerprint)`);
    await c.audit({ action: 'sftp_user.key_remove', targetType: 'sftp_user', targetId: u.id, target: u.name, customerId: hosting.customerId, before: { fingerprint: gone.fingerprint } });
    await sftpChanged(c, hosting, `SFTP user ${u.name}: key removed`, u.id);
    return changedView(c, app, u.id);
  });
}
