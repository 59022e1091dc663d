// What a mail server must serve: the mail domains, mailboxes and aliases placed on it, in three queries.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { DesiredState } from '../node/protocol.js';

/**
 * The mail of a mail server. A terminated hosting's mail is kept (nobody signs in) until its purge
 * is asked; then it is no longer wanted. `host`: the name its records point mail clients to.
 */
export async function mailServerState(db: Db, serverId: string, host: string | null): Promise<NonNullable<DesiredState['mail']>> {
  const domains = await db.selectFrom('mailDomains').innerJoin('hostings', 'hostings.id', 'mailDomains.hostingId')
    .select(['mailDomains.id', 'mailDomains.name', 'hostings.name as hosting'])
    .where('mailDomains.serverId', '=', serverId).where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('mailDomains.name').execute();
  const mailboxes = await db.selectFrom('mailboxes').innerJoin('mailDomains', 'mailDomains.id', 'mailboxes.domainId').innerJoin('hostings', 'hostings.id', 'mailboxes.hostingId')
    .select([
      'mailboxes.id', sql<string>`mailboxes.local_part || '@' || mail_domains.name`.as('address'), 'hostings.name as hosting', 'hostings.uid',
      'mailboxes.passwordHash', 'mailboxes.quotaMb', sql<boolean>`mailboxes.enabled AND hostings.status = 'active'`.as('active'),
      // its app passwords (0029), oldest first
      sql<string[]>`ARRAY(SELECT a.password_hash FROM mail_app_passwords a WHERE a.mailbox_id = mailboxes.id ORDER BY a.created_at, a.id)`.as('appPasswords'),
      // the customer's language: its owners', when they all read the same one
      sql<'fr' | 'en' | null>`(SELECT CASE WHEN count(DISTINCT u.locale) = 1 THEN min(u.locale::text) END FROM delegations o JOIN users u ON u.id = o.user_id
        WHERE o.customer_id = hostings.customer_id AND o.role = 'owner')`.as('locale'),
    ])
    .where('mailDomains.serverId', '=', serverId).where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('mailDomains.name').orderBy('mailboxes.localPart').execute();
  const aliases = await db.selectFrom('mailAliases').innerJoin('mailDomains', 'mailDomains.id', 'mailAliases.domainId').innerJoin('hostings', 'hostings.id', 'mailAliases.hostingId')
    .select(['mailAliases.id', sql<string>`mail_aliases.local_part || '@' || mail_domains.name`.as('address'), 'mailAliases.destinations'])
    .where('mailDomains.serverId', '=', serverId).where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('mailDomains.name').orderBy('mailAliases.localPart').execute();
  return { domains, mailboxes, aliases, host };
}
