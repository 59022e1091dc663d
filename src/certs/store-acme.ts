// The ACME account of the platform (one per directory, its key sealed) and the challenges being
// answered: HTTP-01 tokens (answered by every manager process), DNS-01 TXT values (published in the
// zone as an added record), and the probes Abri sends itself before ordering.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';

export async function findAcmeAccount(db: Db, directory: string): Promise<{ keySealed: string; accountUrl: string | null } | null> {
  return (await db.selectFrom('acmeAccounts').select(['keySealed', 'accountUrl']).where('directoryUrl', '=', directory).executeTakeFirst()) ?? null;
}

/** Stores a new account key unless another manager process stored one first (then that one stays). */
export async function insertAcmeAccount(db: Db, directory: string, email: string | null, keySealed: string): Promise<void> {
  await db.insertInto('acmeAccounts').values({ directoryUrl: directory, email, keySealed, accountUrl: null })
    .onConflict((oc) => oc.column('directoryUrl').doNothing()).execute();
}

export async function setAcmeAccountUrl(db: Db, directory: string, url: string): Promise<void> {
  await db.updateTable('acmeAccounts').set({ accountUrl: url }).where('directoryUrl', '=', directory).execute();
}

export async function insertHttpChallenge(db: Db, c: { token: string; name: string; value: string; certificateId: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('acmeChallenges').values({ kind: 'http-01', ...c })
    .onConflict((oc) => oc.expression(sql`token`).where('token', 'is not', null).doUpdateSet({ value: c.value, expiresAt: c.expiresAt })).execute();
}

export async function insertDnsChallenge(db: Db, c: { name: string; value: string; zoneId: string; certificateId: string | null; expiresAt: Date }): Promise<void> {
  await db.insertInto('acmeChallenges').values({ kind: 'dns-01', ...c }).execute();
}

export async function insertProbe(db: Db, p: { token: string; name: string; value: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('acmeChallenges').values({ kind: 'probe', ...p }).execute();
}

export async function deleteProbe(db: Db, token: string): Promise<void> {
  await db.deleteFrom('acmeChallenges').where('token', '=', token).where('kind', '=', 'probe').execute();
}

/** The answer to an HTTP-01 challenge or a probe, while it has not expired. */
export async function challengeAnswer(db: Db, token: string, now: Date): Promise<string | null> {
  const row = await db.selectFrom('acmeChallenges').select('value').where('token', '=', token).where('kind', 'in', ['http-01', 'probe']).where('expiresAt', '>', now).executeTakeFirst();
  return row?.value ?? null;
}

/** Removes a certificate's challenges once its order ended; returns the zones that held DNS-01 records. */
export async function deleteOrderChallenges(db: Db, certificateId: string): Promise<string[]> {
  const gone = await db.deleteFrom('acmeChallenges').where('certificateId', '=', certificateId).where('kind', '!=', 'probe').returning('zoneId').execute();
  return [...new Set(gone.map((g) => g.zoneId).filter((z): z is string => !!z))];
}

/** Removes every challenge past its expiry (an order that never cleaned up); returns the zones that held DNS-01 records. */
export async function deleteExpiredChallenges(db: Db, now: Date): Promise<{ removed: number; zones: string[] }> {
  const gone = await db.deleteFrom('acmeChallenges').where('expiresAt', '<=', now).returning('zoneId').execute();
  return { removed: gone.length, zones: [...new Set(gone.map((g) => g.zoneId).filter((z): z is string => !!z))] };
}
