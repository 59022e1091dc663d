// The verbs of app passwords: list a mailbox's, add one (generated here, shown once in the answer,
// only its SHA-512 crypt string kept), revoke one alone. Each change stamps the mailbox: its mail
// server renders the mailbox's passwords again (Dovecot's app password files).
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError, fieldError } from '../platform/errors.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting } from '../hosting/store-hostings.js';
import { sha512Crypt } from '../files/sha512-crypt.js';
import { newPassword } from '../files/operations-users.js';
import { appPasswordView, MAX_APP_PASSWORDS, type appPasswordCreate } from './model-app-passwords.js';
import { mailStamps } from './store-domains.js';
import { findMailbox } from './store-mailboxes.js';
import { appPasswordNames, deleteAppPassword, findAppPassword, insertAppPassword, listAppPasswords } from './store-app-passwords.js';
import { lockedHosting, mailChanged } from './operations-shared.js';

export async function listAppPasswordsOf(app: AppContext, caller: Caller, mailboxRef: string) {
  const b = await findMailbox(app.db, mailboxRef, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(await findHosting(app.db, b.hostingId), 'mailbox'));
  return { items: (await listAppPasswords(app.db, b.id)).map(appPasswordView) };
}

export function createAppPassword(app: AppContext, caller: Caller, mailboxRef: string, input: z.output<typeof appPasswordCreate>) {
  return change(app, caller, async (c) => {
    const b = await findMailbox(c.db, mailboxRef, customerScope(caller.actor));
    const hosting = await lockedHosting(c, b.hostingId, 'mailbox');
    const address = `${b.localPart}@${b.domain}`;
    const names = await appPasswordNames(c.db, b.id);
    if (names.length >= MAX_APP_PASSWORDS) {
      throw new AppError('app_password.limit_reached', `${address} already has ${names.length} app passwords (at most ${MAX_APP_PASSWORDS}): revoke one first`, { params: { address, max: MAX_APP_PASSWORDS } });
    }
    if (names.some((n) => n.toLowerCase() === input.name.toLowerCase())) throw fieldError('app_password.taken', 'body.name', `${address} already has an app password named "${input.name}"`, { name: input.name });
    const password = newPassword();
    const id = await insertAppPassword(c.db, { mailboxId: b.id, name: input.name, passwordHash: sha512Crypt(password), now: c.now });
    await c.audit({ action: 'mailbox.app_password.create', targetType: 'mailbox', targetId: b.id, target: address, customerId: hosting.customerId, after: { name: input.name } });
    await mailChanged(c, b.serverId, `mailbox ${address}: app password "${input.name}" added`, mailStamps('mailboxes', [b.id]));
    return { ...appPasswordView(await findAppPassword(c.db, id, null)), password };
  });
}

/** Revokes one app password: it stops working when the mail server has applied it; the others and the main password go on. */
export function revokeAppPassword(app: AppContext, caller: Caller, id: string) {
  return change(app, caller, async (c) => {
    const b = await findMailbox(c.db, (await findAppPassword(c.db, id, customerScope(caller.actor))).mailboxId);
    const hosting = await lockedHosting(c, b.hostingId, 'mailbox');
    const p = await findAppPassword(c.db, id, null); // again under the lock: revoked twice at once, the second is "not found"
    await deleteAppPassword(c.db, p.id);
    await c.audit({ action: 'mailbox.app_password.delete', targetType: 'mailbox', targetId: b.id, target: p.address, customerId: hosting.customerId, before: { name: p.name } });
    await mailChanged(c, b.serverId, `mailbox ${p.address}: app password "${p.name}" revoked`, mailStamps('mailboxes', [b.id]));
  });
}
