// Where the public works page goes, in the database: the last rendered page (one row, handed to the
// status servers and pushed to the targets) and the outside targets with how their last push went.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { uuidLike } from '../platform/validation.js';
import type { PageFile, TargetFields } from './rules-publish.js';

/** The digest of the page stored, or null before the first export. */
export async function storedDigest(db: Db): Promise<string | null> {
  return (await db.selectFrom('worksPage').select('digest').where('id', '=', 1).executeTakeFirst())?.digest ?? null;
}

/** The page stored, or null. */
export async function storedPage(db: Db): Promise<{ digest: string; files: PageFile[] } | null> {
  const r = await db.selectFrom('worksPage').select(['digest', 'files']).where('id', '=', 1).executeTakeFirst();
  return r ? { digest: r.digest, files: r.files as PageFile[] } : null;
}

/** Stores the page unless it is the one stored; answers whether it changed. */
export async function storePage(db: Db, digest: string, files: PageFile[], now: Date): Promise<boolean> {
  const r = await db
    .insertInto('worksPage')
    .values({ id: 1, digest, files: JSON.stringify(files), renderedAt: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ digest, files: JSON.stringify(files), renderedAt: now }).where('worksPage.digest', '!=', digest))
    .returning('digest')
    .executeTakeFirst();
  return !!r;
}

/** The servers of the status role. */
export async function statusServers(db: Db): Promise<string[]> {
  return (await db.selectFrom('servers').select('id').where(sql<boolean>`'status' = ANY(roles)`).execute()).map((s) => s.id);
}

export interface TargetRow extends TargetFields {
  id: string; name: string; publicKey: string; privateKeySealed: string; pushedDigest: string | null; pushedAt: Date | null; lastAttemptAt: Date | null;
  lastError: string | null; failures: number; createdAt: Date; updatedAt: Date;
}

const targetColumns = ['id', 'name', 'host', 'port', 'username', 'path', 'hostKey', 'publicKey', 'privateKeySealed', 'pushedDigest', 'pushedAt', 'lastAttemptAt', 'lastError',
  'failures', 'createdAt', 'updatedAt'] as const;
const targetRow = (r: Record<string, unknown>): TargetRow => {
  const d = (v: unknown) => (v === null ? null : new Date(v as string));
  return { ...(r as unknown as TargetRow), pushedAt: d(r.pushedAt), lastAttemptAt: d(r.lastAttemptAt), createdAt: d(r.createdAt)!, updatedAt: d(r.updatedAt)! };
};

export async function listTargets(db: Db): Promise<TargetRow[]> {
  return (await db.selectFrom('worksTargets').select([...targetColumns]).orderBy('name').execute()).map(targetRow);
}

/** A target by id or name. */
export async function findTarget(db: Db, ref: string, opts: { lock?: boolean } = {}): Promise<TargetRow> {
  const q = db.selectFrom('worksTargets').select([...targetColumns]).where(uuidLike.test(ref) ? 'id' : 'name', '=', ref);
  const r = await (opts.lock ? q.forUpdate() : q).executeTakeFirst();
  if (!r) throw notFound('work_target');
  return targetRow(r);
}

export async function targetNameTaken(db: Db, name: string): Promise<boolean> {
  return !!(await db.selectFrom('worksTargets').select('id').where('name', '=', name).executeTakeFirst());
}

export async function insertTarget(db: Db, t: TargetFields & { name: string; publicKey: string; privateKeySealed: string }, now: Date): Promise<TargetRow> {
  const r = await db.insertInto('worksTargets').values({ ...t, createdAt: now, updatedAt: now }).returning([...targetColumns]).executeTakeFirstOrThrow();
  return targetRow(r);
}

/** New fields: the next push starts over (whatever the last one sent). */
export async function updateTarget(db: Db, id: string, t: TargetFields, now: Date): Promise<TargetRow> {
  const r = await db.updateTable('worksTargets').set({ ...t, pushedDigest: null, failures: 0, lastError: null, updatedAt: now }).where('id', '=', id)
    .returning([...targetColumns]).executeTakeFirstOrThrow();
  return targetRow(r);
}

export async function deleteTarget(db: Db, id: string): Promise<void> {
  await db.deleteFrom('worksTargets').where('id', '=', id).execute();
}

/** What a push did: `digest` sent, or the error it met (counted until a push succeeds). */
export async function recordPush(db: Db, id: string, outcome: { digest: string } | { error: string }, now: Date): Promise<void> {
  const set = 'digest' in outcome
    ? { pushedDigest: outcome.digest, pushedAt: now, lastAttemptAt: now, lastError: null, failures: 0 }
    : { lastAttemptAt: now, lastError: outcome.error.slice(0, 4000), failures: sql<number>`failures + 1` };
  await db.updateTable('worksTargets').set(set).where('id', '=', id).execute();
}

/** The page for a server of the status role (another server is told there is none). */
export async function statusServerPage(db: Db, serverId: string): Promise<{ digest: string; files: PageFile[] }> {
  const server = await db.selectFrom('servers').select('id').where('id', '=', serverId).where(sql<boolean>`'status' = ANY(roles)`).executeTakeFirst();
  const page = server ? await storedPage(db) : null;
  if (!page) throw notFound('work_page');
  return page;
}
