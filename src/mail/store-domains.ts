// Mail domains of hostings: rows, the mail server they live on, and what a change stamps.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import type { Stamp } from '../platform/store-revision.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import type { MailDomainRow } from './model.js';

/** What every mail row carries of its domain's hosting and server. */
export const ownerColumns = [
  'mailDomains.hostingId', 'hostings.name as hostingName', 'hostings.status as hostingStatus', 'hostings.customerId',
  'mailDomains.serverId', 'servers.name as serverName', 'servers.addresses as serverAddresses',
] as const;

export const domainsWithOwner = (db: Db) =>
  db.selectFrom('mailDomains')
    .innerJoin('hostings', 'hostings.id', 'mailDomains.hostingId')
    .innerJoin('servers', 'servers.id', 'mailDomains.serverId');

const columns = [
  'mailDomains.id', 'mailDomains.name', ...ownerColumns, 'mailDomains.revision', 'mailDomains.createdAt', 'mailDomains.updatedAt',
  sql<number>`(SELECT count(*) FROM mailboxes b WHERE b.domain_id = mail_domains.id)`.as('mailboxes'),
  sql<number>`(SELECT count(*) FROM mail_aliases a WHERE a.domain_id = mail_domains.id)`.as('aliases'),
] as const;

/** A mail domain by id or name, within the visible customers (null = all). */
export async function findMailDomain(db: Db, ref: string, scope: string[] | null = null): Promise<MailDomainRow> {
  let q = domainsWithOwner(db).select([...columns]);
  if (uuidLike.test(ref)) q = q.where('mailDomains.id', '=', ref);
  else if (/^[a-z0-9.-]{3,253}$/.test(ref)) q = q.where('mailDomains.name', '=', ref);
  else throw notFound('mail_domain');
  if (scope) {
    if (!scope.length) throw notFound('mail_domain');
    q = q.where('hostings.customerId', 'in', scope);
  }
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('mail_domain');
  return row as MailDomainRow;
}

export async function listMailDomains(db: Db, hostingId: string, query: ListQuery) {
  return paginate(
    domainsWithOwner(db).where('mailDomains.hostingId', '=', hostingId),
    { search: ['mail_domains.name'], sorts: { name: 'mail_domains.name', createdAt: 'mail_domains.created_at' }, defaultSort: 'name', idColumn: 'mail_domains.id' },
    query,
    (q) => q.select([...columns]),
  ) as Promise<{ items: MailDomainRow[]; nextCursor: string | null; total: number }>;
}

/** Whether `name` is a site domain or alias of the hosting (the only names it may receive mail for). */
export async function isSiteNameOf(db: Db, hostingId: string, name: string): Promise<boolean> {
  const r = await db.selectFrom('sites').select('id').where('hostingId', '=', hostingId)
    .where((eb) => eb.or([eb('domain', '=', name), eb(sql.val(name), '=', eb.fn.any('aliases'))]))
    .executeTakeFirst();
  return !!r;
}

export async function mailDomainTaken(db: Db, name: string): Promise<boolean> {
  return !!(await db.selectFrom('mailDomains').select('id').where('name', '=', name).executeTakeFirst());
}

/** The mail server of a hosting (all its mail domains live on one), or the mail server with the fewest domains. */
export async function mailServerFor(db: Db, hostingId: string): Promise<string | null> {
  const own = await db.selectFrom('mailDomains').select('serverId').where('hostingId', '=', hostingId).limit(1).executeTakeFirst();
  if (own) return own.serverId;
  const row = await db.selectFrom('servers')
    .leftJoin('mailDomains', 'mailDomains.serverId', 'servers.id')
    .select(['servers.id', sql<number>`count(mail_domains.id)`.as('n')])
    .where(sql<boolean>`'mail' = ANY(servers.roles)`)
    .groupBy('servers.id').orderBy('n').orderBy('servers.name')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function insertMailDomain(db: Db, d: { hostingId: string; serverId: string; name: string; now: Date }): Promise<string> {
  const { now, ...values } = d;
  return (await db.insertInto('mailDomains').values({ ...values, createdAt: now, updatedAt: now }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function deleteMailDomain(db: Db, id: string): Promise<void> {
  await db.deleteFrom('mailDomains').where('id', '=', id).execute();
}

/** What a change stamps (its mail server reports on them). */
export const mailStamps = (table: 'mail_domains' | 'mailboxes' | 'mail_aliases', ids: string[]): Stamp[] => (ids.length ? [{ table, ids }] : []);
