// Customers, delegations (who acts for a customer, with which role) and invitations — schemas and
// the functions that shape API answers.
import { z } from 'zod';
import { email, multiLine, password, patchOf, singleLine } from '../platform/validation.js';
import { delegationRole, isoRequired, locale } from './model.js';

export const customerStatus = z.enum(['active', 'suspended', 'closed']);

export const customerOut = z.object({
  id: z.string(),
  number: z.number().int(),
  name: z.string(),
  contactEmail: z.string(),
  postalAddress: z.string(),
  status: customerStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const customerCreate = z.strictObject({
  name: singleLine(200),
  contactEmail: email,
  postalAddress: multiLine(1000).default(''),
  status: customerStatus.default('active'),
});

export const customerPatch = patchOf(customerCreate.shape);

export interface CustomerRow {
  id: string;
  number: number;
  name: string;
  contactEmail: string;
  postalAddress: string;
  status: 'active' | 'suspended' | 'closed';
  createdAt: Date;
  updatedAt: Date;
}

export const showCustomer = (c: CustomerRow): z.infer<typeof customerOut> => ({
  id: c.id,
  number: c.number,
  name: c.name,
  contactEmail: c.contactEmail,
  postalAddress: c.postalAddress,
  status: c.status,
  createdAt: isoRequired(c.createdAt),
  updatedAt: isoRequired(c.updatedAt),
});

export const delegationOut = z.object({
  id: z.string(),
  customerId: z.string(),
  userId: z.string(),
  email: z.string(),
  role: delegationRole,
  pending: z.boolean().describe('the account has not chosen a password yet (an account staff created without one)'),
  createdAt: z.string(),
});

export const delegationPatch = z.strictObject({ role: delegationRole });

export interface DelegationRow {
  id: string;
  customerId: string;
  userId: string;
  email: string;
  role: 'owner' | 'manager' | 'readonly';
  passwordHash: string | null;
  createdAt: Date;
}

export const showDelegation = (d: DelegationRow): z.infer<typeof delegationOut> => ({
  id: d.id,
  customerId: d.customerId,
  userId: d.userId,
  email: d.email,
  role: d.role,
  pending: !d.passwordHash,
  createdAt: isoRequired(d.createdAt),
});

// ---- invitations ----------------------------------------------------------------------------

export const invitationCreate = z.strictObject({
  email,
  role: delegationRole.default('manager'),
  locale: z.enum(['fr', 'en']).optional().describe('the language of the invitation e-mail (default: the inviter\'s)'),
});

export const invitationOut = z.object({
  id: z.string(),
  customerId: z.string(),
  email: z.string(),
  role: delegationRole,
  expiresAt: z.string(),
  expired: z.boolean().describe('past its expiry: renew it to send a new link'),
  invitedBy: z.string().nullable().describe('email of who invited'),
  createdAt: z.string(),
});

export const invitationWithLink = invitationOut.extend({
  invitationUrl: z.string().describe('the link the invited person receives by e-mail (also given here, to pass on another way): it works once, until expiresAt'),
});

export interface InvitationRow {
  id: string;
  customerId: string | null;
  userId: string | null;
  email: string;
  role: 'owner' | 'manager' | 'readonly' | null;
  expiresAt: Date;
  invitedByEmail: string | null;
  createdAt: Date;
}

export const showInvitation = (i: InvitationRow, now: Date): z.infer<typeof invitationOut> => ({
  id: i.id,
  customerId: i.customerId!,
  email: i.email,
  role: i.role!,
  expiresAt: isoRequired(i.expiresAt),
  expired: new Date(i.expiresAt).getTime() <= now.getTime(),
  invitedBy: i.invitedByEmail,
  createdAt: isoRequired(i.createdAt),
});

/** What the acceptance page learns from a link (only its holder ever sees this). */
export const invitationLook = z.strictObject({ token: z.string().min(1).max(200) });

export const invitationView = z.object({
  kind: z.enum(['customer', 'account']).describe('customer: join a customer; account: activate an account staff created'),
  email: z.string(),
  customer: z.object({ number: z.number().int(), name: z.string() }).nullable(),
  role: delegationRole.nullable(),
  expiresAt: z.string(),
  next: z
    .enum(['choose_password', 'log_in', 'accept', 'switch_account', 'staff_account'])
    .describe('choose_password: a new account (ask for a password); log_in: the account exists, log in as it first; accept: logged in as it, ask for consent; switch_account: logged in as another account; staff_account: a staff account cannot accept'),
  signedInAs: z.string().nullable().describe('the account this request is logged in as'),
});

export const invitationAccept = z.strictObject({
  token: z.string().min(1).max(200),
  password: password.optional().describe('for a new account (next = choose_password); ignored when the account exists'),
  locale: locale.optional().describe('the language of the page, saved on a new account'),
});

export const customerName = (c: { number: number; name: string }) => `${c.number} ${c.name}`;
