// DKIM keys of mail domains: the signing key (retired_at null) and the retired ones still published.
import type { Db } from '../platform/db/database.js';

export interface DkimKeyRow { domainId: string; selector: string; publicKey: string; createdAt: Date | string; retiredAt: Date | string | null }

/** The keys of these domains (signing first, then the retired ones, newest first). */
export async function dkimKeysOf(db: Db, domainIds: string[]): Promise<Map<string, DkimKeyRow[]>> {
  const out = new Map<string, DkimKeyRow[]>();
  if (!domainIds.length) return out;
  const rows = await db.selectFrom('mailDkimKeys').select(['domainId', 'selector', 'publicKey', 'createdAt', 'retiredAt'])
    .where('domainId', 'in', domainIds).orderBy('domainId').orderBy('createdAt', 'desc').orderBy('selector', 'desc').execute();
  for (const r of rows) (out.get(r.domainId) ?? out.set(r.domainId, []).get(r.domainId)!).push(r);
  return out;
}

/** Every selector the domain has (signing or still published). */
export async function dkimSelectorsOf(db: Db, domainId: string): Promise<string[]> {
  return (await db.selectFrom('mailDkimKeys').select('selector').where('domainId', '=', domainId).execute()).map((r) => r.selector);
}

/** The signing key is retired (it stays published until deleteRetiredDkimKeys). */
export async function retireDkimKey(db: Db, domainId: string, now: Date): Promise<string | null> {
  const r = await db.updateTable('mailDkimKeys').set({ retiredAt: now }).where('domainId', '=', domainId).where('retiredAt', 'is', null).returning('selector').executeTakeFirst();
  return r?.selector ?? null;
}

export async function insertDkimKey(db: Db, k: { domainId: string; selector: string; privateKey: string; publicKey: string; now: Date }): Promise<void> {
  await db.insertInto('mailDkimKeys').values({ domainId: k.domainId, selector: k.selector, privateKey: k.privateKey, publicKey: k.publicKey, createdAt: k.now }).execute();
}

/** Deletes the keys retired at or before `before`; answers the names of their domains. */
export async function deleteRetiredDkimKeys(db: Db, before: Date): Promise<string[]> {
  const rows = await db.deleteFrom('mailDkimKeys').using('mailDomains').whereRef('mailDomains.id', '=', 'mailDkimKeys.domainId')
    .where('mailDkimKeys.retiredAt', '<=', before).returning('mailDomains.name').execute();
  return [...new Set(rows.map((r) => r.name))].sort();
}

/** The signing keys (sealed) of the domains of a mail server: domain id → selector and sealed key. */
export async function signingKeysOn(db: Db, serverId: string): Promise<Map<string, { selector: string; privateKey: string }>> {
  const rows = await db.selectFrom('mailDkimKeys').innerJoin('mailDomains', 'mailDomains.id', 'mailDkimKeys.domainId')
    .select(['mailDkimKeys.domainId', 'mailDkimKeys.selector', 'mailDkimKeys.privateKey'])
    .where('mailDomains.serverId', '=', serverId).where('mailDkimKeys.retiredAt', 'is', null).execute();
  return new Map(rows.map((r) => [r.domainId, { selector: r.selector, privateKey: r.privateKey }]));
}
