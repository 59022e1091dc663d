// Invitations: an owner (or staff) invites an email to act for a customer with a role. Inviting
// never creates nor binds an account: it makes a link, valid once and for a limited time, that the
// inviter sends to the person. Accepting the link
//   - for an email without an account: creates the account (the page asks for a password);
//   - for an existing account: needs the caller to be logged in as that very account (its consent);
//   - for a staff account: is refused (staff already see every customer), told to the acceptor.
// Inviting answers the same whatever the email is (unknown, registered, staff): nothing to enumerate.
// The same links activate accounts staff created without a password (kind "account").
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller, type DelegationRole } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError, fieldError, notFound } from '../platform/errors.js';
import { customerSubject, invitationExpiry, invitationUrl } from './rules.js';
import { showInvitation, type InvitationRow } from './model-customers.js';
import { createDelegation, emailActsFor, findCustomer } from './store-customers.js';
import { createInvitation, findBySecret, findInvitation, listInvitations, markAccepted, renewInvitation, revokeInvitation, type LinkRow } from './store-invitations.js';
import { createUser, findUserByEmail, findUserById, updateUser } from './store-users.js';
import { meView, startSession, type Signed } from './operations-login.js';
import { queueMessage } from '../outbox/operations.js';
import { invitationMessage } from './render-messages.js';
import type { Change } from '../platform/change.js';

const withLink = (app: AppContext, row: InvitationRow, secret: string, now: Date) => ({ ...showInvitation(row, now), invitationUrl: invitationUrl(app.config.publicUrl, secret) });
const target = (email: string, customer: { number: number }) => `${email} → ${customer.number}`;

/** The invitation e-mail, queued in the change (sent once it commits). */
const mailInvitation = (c: Change, row: InvitationRow, customer: { id: string; number: number; name: string }, secret: string, locale: 'fr' | 'en') =>
  queueMessage(c, {
    template: invitationMessage.name, locale, to: row.email, link: invitationUrl(c.app.config.publicUrl, secret), customerId: customer.id,
    params: { customerName: customer.name, customerNumber: customer.number, role: row.role!, inviter: c.caller.actor?.email ?? null, expiresAt: new Date(row.expiresAt).toISOString() },
  });

export function invite(app: AppContext, caller: Caller, customerRef: string, input: { email: string; role: DelegationRole; locale?: 'fr' | 'en' }) {
  return change(app, caller, async (c) => {
    const customer = await findCustomer(c.db, customerRef, customerScope(caller.actor));
    c.may(customerSubject(customer, 'invitation'), 'own');
    // the owner sees who acts for the customer already: saying so reveals nothing new
    if (await emailActsFor(c.db, customer.id, input.email)) throw new AppError('delegation.exists', `${input.email} already has access to this customer`, { params: { email: input.email } });
    const { row, secret } = await createInvitation(c.db, { customerId: customer.id, email: input.email, role: input.role, invitedBy: caller.actor?.userId ?? null, expiresAt: invitationExpiry(c.now) }, c.now);
    await mailInvitation(c, row, customer, secret, input.locale ?? caller.actor?.locale ?? 'fr');
    await c.audit({ action: 'invitation.create', targetType: 'invitation', targetId: row.id, target: target(row.email, customer), customerId: customer.id, after: { email: row.email, role: row.role, expiresAt: row.expiresAt } });
    return withLink(app, row, secret, c.now);
  });
}

export async function listInvitationsOf(app: AppContext, caller: Caller, customerRef: string) {
  const customer = await findCustomer(app.db, customerRef, customerScope(caller.actor));
  const r = reader(app, caller);
  r.may(customerSubject(customer, 'invitation'));
  const items = (await listInvitations(app.db, customer.id)).map((i) => showInvitation(i, r.now));
  return { items, nextCursor: null, total: items.length };
}

export function revoke(app: AppContext, caller: Caller, customerRef: string, ref: string) {
  return change(app, caller, async (c) => {
    const customer = await findCustomer(c.db, customerRef, customerScope(caller.actor));
    c.may(customerSubject(customer, 'invitation'), 'own');
    const row = await findInvitation(c.db, customer.id, ref);
    await revokeInvitation(c.db, row.id, c.now);
    await c.audit({ action: 'invitation.revoke', targetType: 'invitation', targetId: row.id, target: target(row.email, customer), customerId: customer.id, before: { email: row.email, role: row.role } });
  });
}

/** A new link for a waiting invitation (expired or not); the previous link stops working. */
export function renew(app: AppContext, caller: Caller, customerRef: string, ref: string) {
  return change(app, caller, async (c) => {
    const customer = await findCustomer(c.db, customerRef, customerScope(caller.actor));
    c.may(customerSubject(customer, 'invitation'), 'own');
    const found = await findInvitation(c.db, customer.id, ref);
    const { row, secret } = await renewInvitation(c.db, customer.id, found.id, invitationExpiry(c.now));
    await mailInvitation(c, row, customer, secret, caller.actor?.locale ?? 'fr');
    await c.audit({ action: 'invitation.renew', targetType: 'invitation', targetId: row.id, target: target(row.email, customer), customerId: customer.id, after: { expiresAt: row.expiresAt } });
    return withLink(app, row, secret, c.now);
  });
}

// ---- the link's holder ----------------------------------------------------------------------

function assertUsable(link: LinkRow | undefined, now: Date): LinkRow {
  if (!link) throw new AppError('invitation.not_found', 'this invitation link is unknown, already used or revoked');
  if (new Date(link.expiresAt).getTime() <= now.getTime()) {
    throw new AppError('invitation.expired', 'this invitation link has expired: ask the person who invited you for a new one', { params: { expiredAt: new Date(link.expiresAt).toISOString() } });
  }
  return link;
}

/** The account an activation link is for, while it has no password yet (a link of an account that has one is spent). */
async function activationAccount(db: AppContext['db'], link: LinkRow) {
  const user = await findUserById(db, link.userId!);
  if (!user) throw notFound('invitation');
  if (user.passwordHash) throw new AppError('invitation.not_found', 'this account already has a password: log in instead');
  return user;
}

/** What the acceptance page shows: the customer, the role, and what the visitor has to do next. */
export async function lookAtInvitation(app: AppContext, caller: Caller, token: string) {
  const r = reader(app, caller); // the link is the authorization: whoever holds it may read this
  const link = assertUsable(await findBySecret(app.db, token), r.now);
  const actor = caller.actor;
  const base = { email: link.email, expiresAt: new Date(link.expiresAt).toISOString(), signedInAs: actor?.email ?? null };
  if (link.userId) {
    await activationAccount(app.db, link);
    return { ...base, kind: 'account' as const, customer: null, role: null, next: 'choose_password' as const };
  }
  const account = await findUserByEmail(app.db, link.email);
  const next = !account ? 'choose_password' as const
    : account.role !== 'customer' ? 'staff_account' as const
    : !actor ? 'log_in' as const
    : actor.userId === account.id ? 'accept' as const
    : 'switch_account' as const;
  return { ...base, kind: 'customer' as const, customer: { number: link.customerNumber!, name: link.customerName! }, role: link.role, next };
}

export interface Acceptance {
  token: string;
  password?: string;
  locale?: 'fr' | 'en';
}

const passwordRequired = () => fieldError('invitation.password_required', 'body.password', 'choose a password for your new account');

/** Accepts a link: see the top of this file for who may, and what it does. Valid once. */
export async function acceptInvitation(app: AppContext, caller: Caller, input: Acceptance): Promise<Signed> {
  // audit entries of an anonymous acceptance name the invited email
  const peek = await findBySecret(app.db, input.token);
  const who: Caller = caller.actor ? caller : { ...caller, label: peek?.email ?? 'invitation' };
  return change(app, who, async (c) => {
    c.anyone(); // the link is the authorization; what it binds is checked below
    const link = assertUsable(await findBySecret(c.db, input.token, { lock: true }), c.now);
    const audit = (userId: string, after: Record<string, unknown>) =>
      c.audit({ action: 'invitation.accept', targetType: 'invitation', targetId: link.id, target: link.customerNumber ? target(link.email, { number: link.customerNumber }) : link.email, customerId: link.customerId, after: { userId, ...after } });

    if (link.userId) {
      const account = await activationAccount(c.db, link);
      if (!input.password) throw passwordRequired();
      const user = await updateUser(c.db, account.id, { password: input.password, ...(input.locale ? { locale: input.locale } : {}) }, c.now);
      await markAccepted(c.db, link.id, user.id, c.now);
      await audit(user.id, { kind: 'account', locale: user.locale });
      return startSession(c, user);
    }

    const customerId = link.customerId!;
    const role = link.role!;
    const account = await findUserByEmail(c.db, link.email);
    if (!account) {
      if (!input.password) throw passwordRequired();
      const user = await createUser(c.db, { email: link.email, password: input.password, role: 'customer', locale: input.locale ?? 'fr' }, c.now);
      await createDelegation(c.db, customerId, user.id, role, c.now);
      await markAccepted(c.db, link.id, user.id, c.now);
      await audit(user.id, { kind: 'customer', role, accountCreated: true, locale: user.locale });
      return startSession(c, user);
    }
    if (account.role !== 'customer') {
      throw new AppError('invitation.staff_account', `${link.email} is a staff account: staff accounts already see every customer and cannot join one`, { params: { email: link.email } });
    }
    const actor = caller.actor;
    if (!actor) throw new AppError('invitation.login_required', `an account ${link.email} exists: log in as it, then accept the invitation`, { params: { email: link.email } });
    if (actor.userId !== account.id) {
      throw new AppError('invitation.wrong_account', `this invitation is for ${link.email}: log out, then log in as ${link.email} to accept it`, { params: { email: link.email } });
    }
    await createDelegation(c.db, customerId, account.id, role, c.now);
    await markAccepted(c.db, link.id, account.id, c.now);
    await audit(account.id, { kind: 'customer', role, accountCreated: false });
    return { me: await meView(c.db, account, actor.csrfToken ?? null), session: null };
  });
}
