// What a mail server must serve: the mail domains, mailboxes and aliases placed on it, in three queries.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { DesiredState } from '../node/protocol.js';
import type { SecretBox } from '../platform/secret-box.js';
import { signingKeysOn } from './store-dkim.js';

/**
 * The mail of a mail server. A terminated hosting's mail is kept (nobody signs in) until its purge
 * is asked; then it is no longer wanted. Each domain carries its signing DKIM key, opened with the
 * manager's secret key (without one, as in tests that only look at mailboxes, no key is given).
 */
export async function mailServerState(db: Db, serverId: string, secrets?: Pick<SecretBox, 'open'>): Promise<NonNullable<DesiredState['mail']>> {
  const keys = secrets ? await signingKeysOn(db, serverId) : new Map<string, { selector: string; privateKey: string }>();
  const rows = await db.selectFrom('mailDomains').innerJoin('hostings', 'hostings.id', 'mailDomains.hostingId')
    .select(['mailDomains.id', 'mailDomains.name', 'hostings.name as hosting'])
    .where('mailDomains.serverId', '=', serverId).where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('mailDomains.name').execute();
  const domains = rows.map((d) => {
    const key = keys.get(d.id);
    return { ...d, dkim: key && secrets ? { selector: key.selector, privateKey: secrets.open(key.privateKey) } : null };
  });
  const mailboxes = await db.selectFrom('mailboxes').innerJoin('mailDomains', 'mailDomains.id', 'mailboxes.domainId').innerJoin('hostings', 'hostings.id', 'mailboxes.hostingId')
    .select([
      'mailboxes.id', sql<string>`mailboxes.local_part || '@' || mail_domains.name`.as('address'), 'hostings.name as hosting', 'hostings.uid',
      'mailboxes.passwordHash', 'mailboxes.quotaMb', sql<boolean>`mailboxes.enabled AND hostings.status = 'active'`.as('active'),
    ])
    .where('mailDomains.serverId', '=', serverId).where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('mailDomains.name').orderBy('mailboxes.localPart').execute();
  const aliases = await db.selectFrom('mailAliases').innerJoin('mailDomains', 'mailDomains.id', 'mailAliases.domainId').innerJoin('hostings', 'hostings.id', 'mailAliases.hostingId')
    .select(['mailAliases.id', sql<string>`mail_aliases.local_part || '@' || mail_domains.name`.as('address'), 'mailAliases.destinations'])
    .where('mailDomains.serverId', '=', serverId).where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('mailDomains.name').orderBy('mailAliases.localPart').execute();
  return { domains, mailboxes, aliases };
}
