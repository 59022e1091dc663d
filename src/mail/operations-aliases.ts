// The verbs of mail aliases (forwards): list, show, create, remove. An alias is an address of one of
// the hosting's mail domains that forwards to one or more addresses.
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { fieldError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting } from '../hosting/store-hostings.js';
import type { mailAliasCreate } from './model.js';
import { findMailDomain, mailStamps } from './store-domains.js';
import { addressTaken, deleteMailAlias, findMailAlias, insertMailAlias, listMailAliases } from './store-mailboxes.js';
import { aliasViews, lockedHosting, mailChanged } from './operations-shared.js';

export type MailAliasInput = z.output<typeof mailAliasCreate>;

export async function listMailAliasesOf(app: AppContext, caller: Caller, domainRef: string, query: ListQuery) {
  const d = await findMailDomain(app.db, domainRef, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(await findHosting(app.db, d.hostingId), 'mail_alias'));
  const page = await listMailAliases(app.db, d.id, query);
  return { ...page, items: await aliasViews(app, page.items) };
}

export async function showMailAlias(app: AppContext, caller: Caller, ref: string) {
  const a = await findMailAlias(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(await findHosting(app.db, a.hostingId), 'mail_alias'));
  return (await aliasViews(app, [a]))[0]!;
}

export function createMailAlias(app: AppContext, caller: Caller, domainRef: string, input: MailAliasInput) {
  return change(app, caller, async (c) => {
    const d = await findMailDomain(c.db, domainRef, customerScope(caller.actor));
    const hosting = await lockedHosting(c, d.hostingId, 'mail_alias');
    const address = `${input.localPart}@${d.name}`;
    if (await addressTaken(c.db, d.id, input.localPart)) throw fieldError('mail_address.taken', 'body.localPart', `${address} is already a mailbox or an alias`, { address });
    const destinations = [...new Set(input.destinations)];
    const id = await insertMailAlias(c.db, { domainId: d.id, hostingId: hosting.id, localPart: input.localPart, destinations, now: c.now });
    await c.audit({ action: 'mail_alias.create', targetType: 'mail_alias', targetId: id, target: address, customerId: hosting.customerId, after: { destinations } });
    await mailChanged(c, d.serverId, `mail alias ${address} created`, mailStamps('mail_aliases', [id]));
    return (await aliasViews({ db: c.db, config: app.config }, [await findMailAlias(c.db, id)], { created: true }))[0]!;
  });
}

export function removeMailAlias(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const a = await findMailAlias(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, a.hostingId, 'mail_alias');
    await deleteMailAlias(c.db, a.id);
    const address = `${a.localPart}@${a.domain}`;
    await c.audit({ action: 'mail_alias.delete', targetType: 'mail_alias', targetId: a.id, target: address, customerId: hosting.customerId, before: { destinations: a.destinations } });
    await mailChanged(c, a.serverId, `mail alias ${address} removed`);
  });
}
