// Mailboxes and aliases of mail domains: rows (a password's SHA-512 crypt string, never the
// password), the addresses taken, the offer's counts, and the usage the mail server measured.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import type { MailAliasRow, MailboxRow } from './model.js';
import { domainsWithOwner, ownerColumns } from './store-domains.js';

const mailboxColumns = [
  'mailboxes.id', 'mailboxes.domainId', 'mailDomains.name as domain', 'mailboxes.localPart', 'mailboxes.quotaMb', 'mailboxes.passwordHash',
  'mailboxes.passwordChangedAt', 'mailboxes.enabled', 'mailboxes.usedBytes', 'mailboxes.measuredAt', 'mailboxes.heldMessages', 'mailboxes.revision', 'mailboxes.createdAt',
  'mailboxes.updatedAt', ...ownerColumns,
] as const;
const aliasColumns = [
  'mailAliases.id', 'mailAliases.domainId', 'mailDomains.name as domain', 'mailAliases.localPart', 'mailAliases.destinations', 'mailAliases.revision',
  'mailAliases.createdAt', 'mailAliases.updatedAt', ...ownerColumns,
] as const;

const mailboxBase = (db: Db) => domainsWithOwner(db).innerJoin('mailboxes', 'mailboxes.domainId', 'mailDomains.id');
const aliasBase = (db: Db) => domainsWithOwner(db).innerJoin('mailAliases', 'mailAliases.domainId', 'mailDomains.id');

/** Splits local@domain; null when it is not one. */
const splitAddress = (ref: string) => {
  const m = /^([a-z0-9._*-]{1,64})@([a-z0-9.-]{3,253})$/.exec(ref);
  return m ? { local: m[1]!, domain: m[2]! } : null;
};

/** A mailbox by id or address, within the visible customers (null = all). */
export async function findMailbox(db: Db, ref: string, scope: string[] | null = null): Promise<MailboxRow> {
  let q = mailboxBase(db).select([...mailboxColumns]);
  const address = splitAddress(ref.toLowerCase());
  if (uuidLike.test(ref)) q = q.where('mailboxes.id', '=', ref);
  else if (address) q = q.where('mailboxes.localPart', '=', address.local).where('mailDomains.name', '=', address.domain);
  else throw notFound('mailbox');
  if (scope) {
    if (!scope.length) throw notFound('mailbox');
    q = q.where('hostings.customerId', 'in', scope);
  }
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('mailbox');
  return row as MailboxRow;
}

export async function findMailAlias(db: Db, ref: string, scope: string[] | null = null): Promise<MailAliasRow> {
  let q = aliasBase(db).select([...aliasColumns]);
  const address = splitAddress(ref.toLowerCase());
  if (uuidLike.test(ref)) q = q.where('mailAliases.id', '=', ref);
  else if (address) q = q.where('mailAliases.localPart', '=', address.local).where('mailDomains.name', '=', address.domain);
  else throw notFound('mail_alias');
  if (scope) {
    if (!scope.length) throw notFound('mail_alias');
    q = q.where('hostings.customerId', 'in', scope);
  }
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('mail_alias');
  return row as MailAliasRow;
}

export async function listMailboxes(db: Db, domainId: string, query: ListQuery) {
  return paginate(
    mailboxBase(db).where('mailboxes.domainId', '=', domainId),
    { search: ['mailboxes.local_part'], sorts: { localPart: 'mailboxes.local_part', createdAt: 'mailboxes.created_at', quotaMb: 'mailboxes.quota_mb' }, defaultSort: 'localPart', idColumn: 'mailboxes.id' },
    query,
    (q) => q.select([...mailboxColumns]),
  ) as Promise<{ items: MailboxRow[]; nextCursor: string | null; total: number }>;
}

export async function listMailAliases(db: Db, domainId: string, query: ListQuery) {
  return paginate(
    aliasBase(db).where('mailAliases.domainId', '=', domainId),
    { search: ['mail_aliases.local_part'], sorts: { localPart: 'mail_aliases.local_part', createdAt: 'mail_aliases.created_at' }, defaultSort: 'localPart', idColumn: 'mail_aliases.id' },
    query,
    (q) => q.select([...aliasColumns]),
  ) as Promise<{ items: MailAliasRow[]; nextCursor: string | null; total: number }>;
}

/** An address of a domain is one thing: a mailbox or an alias. */
export async function addressTaken(db: Db, domainId: string, localPart: string): Promise<boolean> {
  const r = await sql<{ n: string }>`
    SELECT (SELECT count(*) FROM mailboxes WHERE domain_id = ${domainId} AND local_part = ${localPart})
         + (SELECT count(*) FROM mail_aliases WHERE domain_id = ${domainId} AND local_part = ${localPart}) AS n`.execute(db);
  return Number(r.rows[0]!.n) > 0;
}

/** A hosting's mailboxes and the sum of their quotas (MB), leaving one out (the one being changed). */
export async function hostingMailUse(db: Db, hostingId: string, except: string | null = null): Promise<{ count: number; quotaMb: number }> {
  const r = await sql<{ n: string; mb: string | null }>`
    SELECT count(*) AS n, sum(quota_mb) AS mb FROM mailboxes WHERE hosting_id = ${hostingId} AND id <> ${except ?? '00000000-0000-0000-0000-000000000000'}::uuid`.execute(db);
  return { count: Number(r.rows[0]!.n), quotaMb: Number(r.rows[0]!.mb ?? 0) };
}

export async function insertMailbox(db: Db, b: { domainId: string; hostingId: string; localPart: string; quotaMb: number; passwordHash: string; now: Date }): Promise<string> {
  const { now, ...values } = b;
  return (await db.insertInto('mailboxes').values({ ...values, enabled: true, passwordChangedAt: now, createdAt: now, updatedAt: now }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateMailbox(db: Db, id: string, set: { quotaMb?: number; enabled?: boolean; passwordHash?: string }, now: Date): Promise<void> {
  const values: Record<string, unknown> = { ...set, updatedAt: now };
  if (set.passwordHash !== undefined) values.passwordChangedAt = now;
  await db.updateTable('mailboxes').set(values).where('id', '=', id).execute();
}

export async function deleteMailbox(db: Db, id: string): Promise<void> {
  await db.deleteFrom('mailboxes').where('id', '=', id).execute();
}

export async function insertMailAlias(db: Db, a: { domainId: string; hostingId: string; localPart: string; destinations: string[]; now: Date }): Promise<string> {
  const { now, ...values } = a;
  return (await db.insertInto('mailAliases').values({ ...values, createdAt: now, updatedAt: now }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function deleteMailAlias(db: Db, id: string): Promise<void> {
  await db.deleteFrom('mailAliases').where('id', '=', id).execute();
}

/** Usage measured by a mail server (Dovecot's quota), recorded only for its own mailboxes. */
export async function recordMailboxUsage(db: Db, serverId: string, sizes: Array<{ id: string; bytes: number }>, now: Date): Promise<void> {
  if (!sizes.length) return;
  await sql`
    UPDATE mailboxes b SET used_bytes = u.bytes, measured_at = ${now}
    FROM unnest(${sql.val(sizes.map((s) => s.id))}::text[], ${sql.val(sizes.map((s) => s.bytes))}::bigint[]) AS u(id, bytes), mail_domains d
    WHERE b.id::text = u.id AND d.id = b.domain_id AND d.server_id = ${serverId}`.execute(db);
}

/** The held messages a mail server reported for its mailboxes (usage kind mailbox-held: "bytes" counts messages). */
export async function recordMailboxHeld(db: Db, serverId: string, counts: Array<{ id: string; bytes: number }>): Promise<void> {
  if (!counts.length) return;
  await sql`
    UPDATE mailboxes b SET held_messages = u.held
    FROM unnest(${sql.val(counts.map((s) => s.id))}::text[], ${sql.val(counts.map((s) => s.bytes))}::int[]) AS u(id, held), mail_domains d
    WHERE b.id::text = u.id AND d.id = b.domain_id AND d.server_id = ${serverId} AND b.held_messages <> u.held`.execute(db);
}

/** The mailboxes with held mail (staff's list), most held first. */
export async function listHeldMailboxes(db: Db): Promise<MailboxRow[]> {
  return (await mailboxBase(db).select([...mailboxColumns]).where('mailboxes.heldMessages', '>', 0)
    .orderBy('mailboxes.heldMessages', 'desc').orderBy('mailboxes.id').limit(1000).execute()) as MailboxRow[];
}
