// The verbs of mailboxes: list, show, create, change (quota, enabled), new password, remove. A
// password is given or generated here (then shown once in the answer) and never stored: the row
// keeps its SHA-512 crypt string, which Dovecot checks.
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { fieldError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { findOffer } from '../offers/store.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting } from '../hosting/store-hostings.js';
import { sha512Crypt } from '../files/sha512-crypt.js';
import { newPassword } from '../files/operations-users.js';
import type { mailboxCreate, mailboxPatch } from './model.js';
import { assertMailboxQuota, assertMailSpace } from './rules.js';
import { findMailDomain, mailStamps } from './store-domains.js';
import { addressTaken, deleteMailbox, findMailbox, hostingMailUse, insertMailbox, listMailboxes, updateMailbox } from './store-mailboxes.js';
import { lockedHosting, mailboxViews, mailChanged } from './operations-shared.js';

export type MailboxInput = z.output<typeof mailboxCreate>;
export type MailboxPatch = z.output<typeof mailboxPatch>;

const auditView = (b: { localPart: string; quotaMb: number; enabled: boolean }) => ({ localPart: b.localPart, quotaMb: b.quotaMb, enabled: b.enabled });

async function changedView(c: Change, app: AppContext, id: string, password?: string) {
  const [view] = await mailboxViews({ db: c.db, config: app.config }, [await findMailbox(c.db, id)], { created: true });
  return password ? { ...view!, newPassword: password } : view!;
}

export async function listMailboxesOf(app: AppContext, caller: Caller, domainRef: string, query: ListQuery) {
  const d = await findMailDomain(app.db, domainRef, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(await findHosting(app.db, d.hostingId), 'mailbox'));
  const page = await listMailboxes(app.db, d.id, query);
  return { ...page, items: await mailboxViews(app, page.items) };
}

export async function showMailbox(app: AppContext, caller: Caller, ref: string) {
  const b = await findMailbox(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(await findHosting(app.db, b.hostingId), 'mailbox'));
  return (await mailboxViews(app, [b]))[0]!;
}

export function createMailbox(app: AppContext, caller: Caller, domainRef: string, input: MailboxInput) {
  return change(app, caller, async (c) => {
    const d = await findMailDomain(c.db, domainRef, customerScope(caller.actor));
    const hosting = await lockedHosting(c, d.hostingId, 'mailbox');
    const offer = await findOffer(c.db, hosting.offerId);
    const use = await hostingMailUse(c.db, hosting.id);
    assertMailboxQuota(offer, use.count);
    assertMailSpace(offer, use.quotaMb, input.quotaMb);
    const address = `${input.localPart}@${d.name}`;
    if (await addressTaken(c.db, d.id, input.localPart)) throw fieldError('mail_address.taken', 'body.localPart', `${address} is already a mailbox or an alias`, { address });
    const generated = input.password === undefined ? newPassword() : undefined;
    const id = await insertMailbox(c.db, { domainId: d.id, hostingId: hosting.id, localPart: input.localPart, quotaMb: input.quotaMb, passwordHash: sha512Crypt(input.password ?? generated!), now: c.now });
    await c.audit({ action: 'mailbox.create', targetType: 'mailbox', targetId: id, target: address, customerId: hosting.customerId, after: auditView({ ...input, enabled: true }) });
    await mailChanged(c, d.serverId, `mailbox ${address} created`, mailStamps('mailboxes', [id]));
    return changedView(c, app, id, generated);
  });
}

/** The quota (within the offer) and whether the mailbox may sign in. */
export function changeMailbox(app: AppContext, caller: Caller, ref: string, patch: MailboxPatch) {
  return change(app, caller, async (c) => {
    const before = await findMailbox(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, before.hostingId, 'mailbox');
    if (patch.quotaMb !== undefined && patch.quotaMb > before.quotaMb) {
      assertMailSpace(await findOffer(c.db, hosting.offerId), (await hostingMailUse(c.db, hosting.id, before.id)).quotaMb, patch.quotaMb);
    }
    const set = { ...(patch.quotaMb !== undefined ? { quotaMb: patch.quotaMb } : {}), ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}) };
    await updateMailbox(c.db, before.id, set, c.now);
    const address = `${before.localPart}@${before.domain}`;
    await c.audit({ action: 'mailbox.update', targetType: 'mailbox', targetId: before.id, target: address, customerId: hosting.customerId, before: auditView(before), after: auditView({ ...before, ...set }) });
    await mailChanged(c, before.serverId, `mailbox ${address} changed`, mailStamps('mailboxes', [before.id]));
    return changedView(c, app, before.id);
  });
}

/** A new password, given or generated (then shown once); the old one stops working when the mail server has applied it. */
export function setMailboxPassword(app: AppContext, caller: Caller, ref: string, given?: string) {
  return change(app, caller, async (c) => {
    const b = await findMailbox(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, b.hostingId, 'mailbox');
    const generated = given === undefined ? newPassword() : undefined;
    await updateMailbox(c.db, b.id, { passwordHash: sha512Crypt(given ?? generated!) }, c.now);
    const address = `${b.localPart}@${b.domain}`;
    await c.audit({ action: 'mailbox.password', targetType: 'mailbox', targetId: b.id, target: address, customerId: hosting.customerId });
    await mailChanged(c, b.serverId, `mailbox ${address}: new password`, mailStamps('mailboxes', [b.id]));
    return changedView(c, app, b.id, generated);
  });
}

/** Removes a mailbox: its server stops receiving mail for it and nobody signs in any more. */
export function removeMailbox(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const b = await findMailbox(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, b.hostingId, 'mailbox');
    await deleteMailbox(c.db, b.id);
    const address = `${b.localPart}@${b.domain}`;
    await c.audit({ action: 'mailbox.delete', targetType: 'mailbox', targetId: b.id, target: address, customerId: hosting.customerId, before: auditView(b) });
    await mailChanged(c, b.serverId, `mailbox ${address} removed`);
  });
}
