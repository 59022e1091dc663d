// Login limiting: one row per key (address, or account at an address), read and written under a row
// lock, so concurrent attempts are counted one after the other and never more are evaluated than allowed.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { throttleStep, type ThrottleLimits, type ThrottleState } from './rules.js';

export interface ThrottleKey {
  key: string;
  limits: ThrottleLimits;
}

const epoch = new Date(0);

/** The one order in which rows of keys are locked (by key), so that no two logins deadlock. */
export const inLockOrder = <T extends { key: string }>(keys: T[]): T[] => [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** Locks the key's row (made when absent) and returns its state; hold the transaction until written. */
async function lockKey(db: Db, key: string): Promise<ThrottleState> {
  const row = await db
    .insertInto('loginThrottle')
    .values({ key, attempts: 0, lastAt: epoch })
    .onConflict((oc) => oc.column('key').doUpdateSet({ key: (eb) => eb.ref('excluded.key') }))
    .returning(['attempts', 'lastAt'])
    .executeTakeFirstOrThrow();
  return { attempts: row.attempts, lastAt: new Date(row.lastAt) };
}

/**
 * Reserves one attempt on every key (call inside a transaction): either all keys allow it and each
 * counts it, or none is changed and the answer is how long to wait.
 */
export async function reserveAttempt(db: Db, keys: ThrottleKey[], now: Date): Promise<{ retryAfterMs: number | null }> {
  const steps = [];
  for (const k of inLockOrder(keys)) steps.push({ key: k.key, step: throttleStep(await lockKey(db, k.key), now, k.limits) });
  const waits = steps.flatMap((s) => (s.step.allowed ? [] : [s.step.retryAfterMs]));
  if (waits.length) return { retryAfterMs: Math.max(...waits) };
  for (const s of steps) {
    if (s.step.allowed) await db.updateTable('loginThrottle').set({ attempts: s.step.next.attempts, lastAt: s.step.next.lastAt }).where('key', '=', s.key).execute();
  }
  return { retryAfterMs: null };
}

/** Gives a reserved attempt back (it was not a wrong guess). */
export async function releaseAttempt(db: Db, key: string): Promise<void> {
  await db.updateTable('loginThrottle').set({ attempts: sql`greatest(attempts - 1, 0)` }).where('key', '=', key).execute();
}

/** Forgets a key (a successful login clears its account at that address). */
export async function clearKey(db: Db, key: string): Promise<void> {
  await db.deleteFrom('loginThrottle').where('key', '=', key).execute();
}

/** Drops keys quiet for longer than `olderThanMs`, skipping any another login holds right now. */
export async function forgetQuietKeys(db: Db, now: Date, olderThanMs: number): Promise<void> {
  const cut = new Date(now.getTime() - olderThanMs);
  await sql`DELETE FROM login_throttle WHERE key IN (SELECT key FROM login_throttle WHERE last_at < ${cut} LIMIT 1000 FOR UPDATE SKIP LOCKED)`.execute(db);
}
