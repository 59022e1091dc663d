// Accounts: users, sessions, API tokens, the current user — schemas shared by request validation
// and the OpenAPI document, and the functions that shape API answers.
import { z } from 'zod';
import { email, isoDate, password, singleLine } from '../platform/validation.js';

export const userRole = z.enum(['admin', 'staff', 'customer']);
export const locale = z.enum(['fr', 'en']);
export const delegationRole = z.enum(['owner', 'manager', 'readonly']);

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
  password: password.optional().describe('omit to get an activation link instead'),
  role: userRole.default('customer'),
  locale: locale.default('fr'),
});

export const userPatch = z.strictObject({
  email: email.optional(),
  password: password.optional().describe('a reset by staff: ends every session of the user and revokes their API tokens'),
  role: userRole.optional(),
  locale: locale.optional(),
  disabled: z.boolean().optional().describe('true ends every session of the user; their API tokens stop working while disabled'),
});

export const mePatch = z.strictObject({
  locale: locale.optional(),
  password: password.optional().describe('ends every other session (this browser gets a fresh one)'),
  currentPassword: z.string().max(1024).optional().describe('required to change the password'),
  revokeTokens: z.boolean().default(false).describe('with a new password: also revoke every API token of the account (default false)'),
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

export const tokenLogin = loginBody.extend({
  name: singleLine(100).default('cli').describe('a name to recognise the token by'),
  expiresAt: isoDate.optional().describe('omit for a token that does not expire'),
});

export const tokenOut = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  lastUsedAddress: z.string().nullable().describe('the address the token was last used from'),
  createdAt: z.string(),
});

export const setupBody = z.strictObject({
  token: z.string().max(200),
  email,
  password,
  locale: locale.optional().describe('the language of the page the administrator used (default fr)'),
});

export const meOut = z.object({
  user: userOut,
  csrfToken: z.string().nullable().describe('send as X-CSRF-Token on state-changing requests made with the session cookie'),
  customers: z.array(z.object({ customerId: z.string(), number: z.number(), name: z.string(), role: z.string() })),
});
export type MeView = z.infer<typeof meOut>;

export const iso = (d: Date | string | null | undefined) => (d == null ? null : new Date(d).toISOString());
export const isoRequired = (d: Date | string) => new Date(d).toISOString();

export interface UserRow {
  id: string;
  email: string;
  role: 'admin' | 'staff' | 'customer';
  locale: 'fr' | 'en';
  disabled: boolean;
  totpSecret: string | null;
  totpPending: string | null;
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

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  expiresAt: Date | string | null;
  lastUsedAt: Date | string | null;
  lastUsedAddress: string | null;
  createdAt: Date;
}

export const showToken = (t: TokenRow): z.infer<typeof tokenOut> => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  expiresAt: iso(t.expiresAt),
  lastUsedAt: iso(t.lastUsedAt),
  lastUsedAddress: t.lastUsedAddress,
  createdAt: isoRequired(t.createdAt),
});
