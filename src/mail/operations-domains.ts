// The verbs of mail domains: list, show, add (a site domain or alias of the hosting, on the
// hosting's mail server), remove (with its mailboxes and aliases). Each change runs in change()
// (transaction, authorization, audit, revision): the mail server reconciles.
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, decideBeforeChange, reader } from '../platform/change.js';
import type { Db } from '../platform/db/database.js';
import { AppError, fieldError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting } from '../hosting/store-hostings.js';
import type { mailDomainCreate } from './model.js';
import { deleteMailDomain, findMailDomain, insertMailDomain, isSiteNameOf, listMailDomains, mailDomainTaken, mailServerFor, mailStamps } from './store-domains.js';
import { domainViews, lockedHosting, mailChanged } from './operations-shared.js';
import { mailZonesChanged } from '../dns/mail-zones.js';
import { addDkimKey, newDkimKey } from './operations-dkim.js';
import { webmailMapChanged } from './operations-webmail.js';
import { mailCertificateWanted } from '../certs/store-mail.js';

export type MailDomainInput = z.output<typeof mailDomainCreate>;

export async function listMailDomainsOf(app: AppContext, caller: Caller, hostingRef: string, query: ListQuery) {
  const hosting = await findHosting(app.db, hostingRef, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(hosting, 'mail_domain'));
  const page = await listMailDomains(app.db, hosting.id, query);
  return { ...page, items: await domainViews(app, page.items) };
}

export async function showMailDomain(app: AppContext, caller: Caller, ref: string) {
  const d = await findMailDomain(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(await findHosting(app.db, d.hostingId), 'mail_domain'));
  return (await domainViews(app, [d]))[0]!;
}

export async function createMailDomain(app: AppContext, caller: Caller, hostingRef: string, input: MailDomainInput) {
  // the checks first, without locks: a request refused (another customer's hosting, a name not the
  // hosting's, a domain taken) costs no RSA key, which takes ~0.1 s of CPU; made outside the
  // transaction, and the checks run again in it
  const visible = await findHosting(app.db, hostingRef, customerScope(caller.actor));
  await decideBeforeChange(app, caller, hostingSubject(visible, 'mail_domain'), 'manage');
  await admissible(app.db, visible, input.name);
  const key = await newDkimKey(app);
  return change(app, caller, async (c) => {
    const hosting = await lockedHosting(c, hostingRef, 'mail_domain');
    const name = input.name;
    const serverId = await admissible(c.db, hosting, name);
    const id = await insertMailDomain(c.db, { hostingId: hosting.id, serverId, name, now: c.now });
    if (app.config.acme.directory) await mailCertificateWanted(c.db, serverId, c, app.config.platformDomain); // the server's certificate, ordered with its first domain
    const selector = await addDkimKey(c, id, key);
    await c.audit({ action: 'mail_domain.create', targetType: 'mail_domain', targetId: id, target: name, customerId: hosting.customerId, after: { name, serverId, dkimSelector: selector } });
    await mailChanged(c, serverId, `mail domain ${name} added`, mailStamps('mail_domains', [id]));
    await mailZonesChanged(c, [name], `mail domain ${name} added`); // its MX, SPF, DMARC, DKIM, SRV… records
    await webmailMapChanged(c, `mail domain ${name} added`);
    return (await domainViews({ db: c.db, config: app.config }, [await findMailDomain(c.db, id)], { created: true }))[0]!;
  });
}

/** Whether `name` can become a mail domain of the hosting: answers the mail server that would receive its mail. */
async function admissible(db: Db, hosting: { id: string; name: string }, name: string): Promise<string> {
  // only the hosting's own names: a domain someone else publishes is never ours to receive mail for
  if (!(await isSiteNameOf(db, hosting.id, name))) {
    throw fieldError('mail_domain.not_in_hosting', 'body.name', `${name} is not a site domain or alias of ${hosting.name}: add it to one of its sites first`, { name, hosting: hosting.name });
  }
  if (await mailDomainTaken(db, name)) throw fieldError('mail_domain.taken', 'body.name', `${name} is already a mail domain`, { name });
  const serverId = await mailServerFor(db, hosting.id);
  if (!serverId) throw new AppError('mail_domain.no_server', 'no mail server: the staff must register a server with the mail role first');
  return serverId;
}

/** Removes a mail domain with its mailboxes and aliases: its server stops receiving mail for it. */
export function removeMailDomain(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const d = await findMailDomain(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, d.hostingId, 'mail_domain');
    await deleteMailDomain(c.db, d.id);
    await c.audit({ action: 'mail_domain.delete', targetType: 'mail_domain', targetId: d.id, target: d.name, customerId: hosting.customerId, before: { name: d.name, mailboxes: Number(d.mailboxes), aliases: Number(d.aliases) } });
    await mailChanged(c, d.serverId, `mail domain ${d.name} removed`);
    await mailZonesChanged(c, [d.name], `mail domain ${d.name} removed`);
    await webmailMapChanged(c, `mail domain ${d.name} removed`);
  });
}
