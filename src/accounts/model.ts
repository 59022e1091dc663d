// Accounts: users, sessions, API tokens, customers and delegations — schemas shared by
// request validation and the OpenAPI document, and the functions that shape API answers.
import { z } from 'zod';
import { email, isoDate, multiLine, password, patchOf, singleLine } from '../platform/validation.js';

export const userRole = z.enum(['admin', 'staff', 'customer']);
export const locale = z.enum(['fr', 'en']);
export const delegationRole = z.enum(['owner', 'manager', 'readonly']);
export const customerStatus = z.enum(['active', 'suspended', 'closed']);

export const userOut = z.object({
  id: z.string(),
  email: z.string(),
  role: userRole,
  locale,
  disabled: z.boolean(),
  totpEnabled: z.boolean(),
  passwordSet: z.boolean(),
  createdAt: z.string(),
});

export const userCreate = z.strictObject({
  email,
  password: password.optional().describe('omit to get an invitation link instead'),
  role: userRole.default('customer'),
  locale: locale.default('fr'),
});

export const userPatch = z.strictObject({
  email: email.optional(),
  password: password.optional(),
  role: userRole.optional(),
  locale: locale.optional(),
  disabled: z.boolean().optional(),
});

export const mePatch = z.strictObject({
  locale: locale.optional(),
  password: password.optional(),
  currentPassword: z.string().max(1024).optional().describe('required to change the password'),
});

export const loginBody = z.strictObject({
  email: singleLine(254),
  password: z.string().min(1).max(1024),
  totp: z.string().regex(/^\d{6}$/, 'must be the 6-digit code').optional(),
});

export const tokenCreate = z.strictObject({
  name: singleLine(100),
  expiresAt: isoDate.optional().describe('omit for a token that does not expire'),
});

export const tokenOut = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
});

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

export const delegationOut = z.object({
  id: z.string(),
  customerId: z.string(),
  userId: z.string(),
  email: z.string(),
  role: delegationRole,
  pending: z.boolean().describe('the invited user has not chosen a password yet'),
  createdAt: z.string(),
});

export const delegationCreate = z.strictObject({ email, role: delegationRole.default('manager') });
export const delegationPatch = z.strictObject({ role: delegationRole });

export const iso = (d: Date | string | null | undefined) => (d == null ? null : new Date(d).toISOString());
export const isoRequired = (d: Date | string) => new Date(d).toISOString();

export interface UserRow {
  id: string;
  email: string;
  role: 'admin' | 'staff' | 'customer';
  locale: 'fr' | 'en';
  disabled: boolean;
  totpSecret: string | null;
  passwordHash: string | null;
  createdAt: Date;
}

export const showUser = (u: UserRow): z.infer<typeof userOut> => ({
  id: u.id,
  email: u.email,
  role: u.role,
  locale: u.locale,
  disabled: u.disabled,
  totpEnabled: !!u.totpSecret,
  passwordSet: !!u.passwordHash,
  createdAt: isoRequired(u.createdAt),
});

export const showCustomer = (c: {
  id: string; number: number; name: string; contactEmail: string; postalAddress: string;
  status: 'active' | 'suspended' | 'closed'; createdAt: Date; updatedAt: Date;
}): z.infer<typeof customerOut> => ({
  ...c,
  createdAt: isoRequired(c.createdAt),
  updatedAt: isoRequired(c.updatedAt),
});
