// Pure rules of accounts: what the policy sees of a customer, who may manage which user, how long
// links live, how login attempts slow down, and the TOTP codes.
import * as OTPAuth from 'otpauth';
import { assertAdmin, type Actor } from '../platform/actor.js';
import { AppError } from '../platform/errors.js';
import type { CustomerStatus, Subject } from '../platform/policy.js';

/** A customer (or one of its objects, `what`) as the policy sees it: its state makes it read-only. */
export const customerSubject = (c: { id: string; status: CustomerStatus }, what = 'customer'): Subject => ({
  what,
  customerId: c.id,
  customerStatus: c.status,
});

/** Staff may manage customer accounts; only administrators touch staff and administrator accounts. */
export function assertMayManageUser(actor: Actor | null, target: { role: 'admin' | 'staff' | 'customer' }, newRole?: 'admin' | 'staff' | 'customer') {
  if (target.role !== 'customer' || (newRole && newRole !== 'customer')) assertAdmin(actor);
}

/** How long an invitation (or an account's activation link) can be used. */
export const INVITATION_DAYS = 7;
export const invitationExpiry = (now: Date) => new Date(now.getTime() + INVITATION_DAYS * 86_400_000);

export const invitationUrl = (publicUrl: string, secret: string) => `${publicUrl}/invitation#${secret}`;

// ---- login limiting -------------------------------------------------------------------------

/**
 * Login attempts are counted per key: the address, and the (account, address) pair. Each key has
 * a number of free attempts; after them every further attempt waits a growing delay after the
 * previous one (doubling, capped), instead of locking anyone out. A key quiet for `windowMs`
 * starts over. Wrong passwords from other addresses never slow the account down at its own address.
 */
export interface ThrottleLimits {
  free: number;
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export interface ThrottleState {
  attempts: number;
  lastAt: Date;
}

export type ThrottleStep = { allowed: true; next: ThrottleState } | { allowed: false; retryAfterMs: number };

export const throttleLimits = (free: number): ThrottleLimits => ({ free, windowMs: 3_600_000, firstDelayMs: 15_000, maxDelayMs: 15 * 60_000 });

/** The delay before attempt number `free + extra` (extra ≥ 1). */
export const throttleDelay = (limits: ThrottleLimits, extra: number) => Math.min(limits.maxDelayMs, limits.firstDelayMs * 2 ** Math.min(extra - 1, 30));

/** Whether one more attempt may be evaluated now, and the key's state after it. */
export function throttleStep(state: ThrottleState | null, now: Date, limits: ThrottleLimits): ThrottleStep {
  if (!state || state.attempts <= 0 || now.getTime() - state.lastAt.getTime() >= limits.windowMs) {
    return { allowed: true, next: { attempts: 1, lastAt: now } };
  }
  const n = state.attempts + 1;
  if (n <= limits.free) return { allowed: true, next: { attempts: n, lastAt: now } };
  const readyAt = state.lastAt.getTime() + throttleDelay(limits, n - limits.free);
  if (now.getTime() >= readyAt) return { allowed: true, next: { attempts: n, lastAt: now } };
  return { allowed: false, retryAfterMs: readyAt - now.getTime() };
}

/** "45 seconds", "3 minutes": when to try again, said plainly. */
export function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

export function rateLimited(retryAfterMs: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError('auth.rate_limited', `too many failed logins: wait ${waitText(retryAfterSeconds)}, then try again`, { params: { retryAfterSeconds } });
}

/** The keys a login attempt counts against, each with its free attempts. */
export function loginKeys(email: string, address: string, maxFailures: number) {
  return [
    { key: `address:${address}`, limits: throttleLimits(maxFailures * 3) },
    { key: `account:${email.trim().toLowerCase()}|${address}`, limits: throttleLimits(maxFailures) },
  ];
}

// ---- TOTP -----------------------------------------------------------------------------------

export function totpFor(secret: string, label: string) {
  return new OTPAuth.TOTP({ issuer: 'Abri', label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** Whether a code is valid at `now` (one period of drift either way). */
export function checkTotp(secret: string, code: string, now: Date): boolean {
  return totpFor(secret, 'check').validate({ token: code, window: 1, timestamp: now.getTime() }) !== null;
}

export const newTotpSecret = () => new OTPAuth.Secret({ size: 20 }).base32;
