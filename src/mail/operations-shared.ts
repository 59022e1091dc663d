// What every change to a hosting's mail shares: the hosting locked and decided on, the revision that
// makes its mail server reconcile, and the views (with what the server reported).
import type { AppContext } from '../platform/context.js';
import { customerScope } from '../platform/actor.js';
import type { Change } from '../platform/change.js';
import type { Db } from '../platform/db/database.js';
import type { Stamp } from '../platform/store-revision.js';
import { objectProvisioning } from '../servers/store-provisioning.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting } from '../hosting/store-hostings.js';
import { mailHost, mailRecordsToSet, ruaDomain } from '../dns/mail-records.js';
import { zonesOfNames } from '../dns/store-zones.js';
import { dkimKeysOf } from './store-dkim.js';
import { dkimView } from './rules-dkim.js';
import { mailAliasView, mailboxView, mailDomainView, type MailAliasRow, type MailboxRow, type MailDomainRow } from './model.js';

type Views = { db: Db; config: AppContext['config'] };
type What = 'mail_domain' | 'mailbox' | 'mail_alias';

/** The hosting, locked for this change (quotas and names are checked under it), if the caller may manage its mail. */
export async function lockedHosting(c: Change, ref: string, what: What) {
  const hosting = await findHosting(c.db, ref, customerScope(c.caller.actor), { lock: true });
  c.may(hostingSubject(hosting, what), 'manage');
  return hosting;
}

/** The mail server reconciles (the objects are stamped with this change's revision when they still exist). */
export const mailChanged = (c: Change, serverId: string, reason: string, stamps: Stamp[] = []) => c.bump(reason, [serverId], stamps);

const refs = (rows: Array<{ id: string; revision: number | string; serverId: string }>) => rows.map((r) => ({ id: r.id, revision: r.revision, servers: [r.serverId] }));

export async function domainViews(app: Views, rows: MailDomainRow[], opts: { created?: boolean } = {}) {
  const states = await objectProvisioning(app.db, 'mail-domain', refs(rows), undefined, opts);
  const { ports, dmarcRua } = app.config.mail;
  const reportsTo = ruaDomain(dmarcRua);
  const zones = await zonesOfNames(app.db, [...rows.map((d) => d.name), ...(reportsTo ? [reportsTo] : [])]);
  const keys = await dkimKeysOf(app.db, rows.map((d) => d.id));
  // the report address's authorisation records are listed unless a managed zone of the platform's own (no customer's) holds its domain
  const own = reportsTo ? zones.get(reportsTo) : undefined;
  const reports = { rua: dmarcRua, external: !!reportsTo && !(own?.dns === 'managed' && own.customerId === null) };
  return rows.map((d) => {
    const zone = zones.get(d.name);
    const own = keys.get(d.id) ?? [];
    const dns = { zone: zone?.name ?? null, managed: zone?.dns === 'managed', records: mailRecordsToSet(d.name, mailHost(d.serverName, app.config.platformDomain), ports, own, reports) };
    return mailDomainView(d, ports, dns, dkimView(d.name, own), states.get(d.id)!);
  });
}

export async function mailboxViews(app: Views, rows: MailboxRow[], opts: { created?: boolean } = {}) {
  const states = await objectProvisioning(app.db, 'mailbox', refs(rows), undefined, opts);
  return rows.map((b) => mailboxView(b, app.config.mail.ports, states.get(b.id)!));
}

export async function aliasViews(app: Views, rows: MailAliasRow[], opts: { created?: boolean } = {}) {
  const states = await objectProvisioning(app.db, 'mail-alias', refs(rows), undefined, opts);
  return rows.map((a) => mailAliasView(a, states.get(a.id)!));
}
