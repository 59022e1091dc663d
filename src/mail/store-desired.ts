// What a mail server must serve: the mail domains, mailboxes and aliases placed on it, in three queries.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { DesiredState } from '../node/protocol.js';
import type { SecretBox } from '../platform/secret-box.js';
import { signingKeysOn } from './store-dkim.js';
import { desiredMailCertificate } from '../certs/store-mail.js';

/**
 * The mail of a mail server. A terminated hosting's mail is kept (nobody signs in, its domains refuse
 * mail) until its purge is asked; then it is no longer wanted. `host`: the name its records point mail clients to. Each
 * domain carries its signing DKIM key, opened with the manager's secret key (without one, as in
 * tests that only look at mailboxes, no key is given). A purged hosting's mail is deleted by the server (purges).
 * `certificate`: the server's ACME certificate once issued (its PEM is fetched by id, by this server only).
 */
export async function mailServerState(db: Db, serverId: string, host: string | null, secrets?: Pick<SecretBox, 'open'>): Promise<NonNullable<DesiredState['mail']>> {
  const keys = secrets ? await signingKeysOn(db, serverId) : new Map<string, { selector: string; privateKey: string }>();
  const rows = await db.selectFrom('mailDomains').innerJoin('hostings', 'hostings.id', 'mailDomains.hostingId')
    .select(['mailDomains.id', 'mailDomains.name', 'hostings.name as hosting', sql<boolean>`hostings.status = 'terminated'`.as('terminated')])
    .where('mailDomains.serverId', '=', serverId).where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('mailDomains.name').execute();
  const domains = rows.map((d) => {
    const key = keys.get(d.id);
    return { ...d, dkim: key && secrets ? { selector: key.selector, privateKey: secrets.open(key.privateKey) } : null };
  });
  const mailboxes = await db.selectFrom('mailboxes').innerJoin('mailDomains', 'mailDomains.id', 'mailboxes.domainId').innerJoin('hostings', 'hostings.id', 'mailboxes.hostingId')
    .innerJoin('offers', 'offers.id', 'hostings.offerId')
    .leftJoin('mailboxVacations as v', (j) => j.onRef('v.mailboxId', '=', 'mailboxes.id').on('v.enabled', '=', true))
    .select([
      'mailboxes.id', sql<string>`mailboxes.local_part || '@' || mail_domains.name`.as('address'), 'hostings.name as hosting', 'hostings.uid',
      'mailboxes.passwordHash', 'mailboxes.quotaMb', sql<boolean>`mailboxes.enabled AND hostings.status = 'active'`.as('active'),
      // its app passwords (0029), oldest first
      sql<string[]>`ARRAY(SELECT a.password_hash FROM mail_app_passwords a WHERE a.mailbox_id = mailboxes.id ORDER BY a.created_at, a.id)`.as('appPasswords'),
      // the customer's language: its owners', when they all read the same one
      sql<'fr' | 'en' | null>`(SELECT CASE WHEN count(DISTINCT u.locale) = 1 THEN min(u.locale::text) END FROM delegations o JOIN users u ON u.id = o.user_id
        WHERE o.customer_id = hostings.customer_id AND o.role = 'owner')`.as('locale'),
      // the out-of-office reply, when switched on (a suspended hosting's mailboxes still receive, and reply)
      sql<{ subject: string; message: string; startsOn: string | null; endsOn: string | null } | null>`CASE WHEN v.mailbox_id IS NULL THEN NULL
        ELSE json_build_object('subject', v.subject, 'message', v.message, 'startsOn', to_char(v.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(v.ends_on, 'YYYY-MM-DD')) END`.as('vacation'),
      'offers.mailSendPerHour as sendPerHour', 'offers.mailSendPerDay as sendPerDay',
    ])
    .where('mailDomains.serverId', '=', serverId).where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('mailDomains.name').orderBy('mailboxes.localPart').execute();
  const aliases = await db.selectFrom('mailAliases').innerJoin('mailDomains', 'mailDomains.id', 'mailAliases.domainId').innerJoin('hostings', 'hostings.id', 'mailAliases.hostingId')
    .select(['mailAliases.id', sql<string>`mail_aliases.local_part || '@' || mail_domains.name`.as('address'), 'mailAliases.destinations'])
    .where('mailDomains.serverId', '=', serverId).where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('mailDomains.name').orderBy('mailAliases.localPart').execute();
  const purges = await db.selectFrom('mailDomains').innerJoin('hostings', 'hostings.id', 'mailDomains.hostingId').select('hostings.name as hosting').distinct()
    .where('mailDomains.serverId', '=', serverId).where('hostings.purgeRequestedAt', 'is not', null).orderBy('hostings.name').execute();
  return { domains, mailboxes, aliases, host, purges, certificate: await desiredMailCertificate(db, serverId) };
}
