// The verbs of a mailbox's out-of-office reply: show, set (on or off, with its text and dates),
// remove. A change stamps the mailbox: its mail server renders the reply into a Sieve script.
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { fieldError } from '../platform/errors.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting } from '../hosting/store-hostings.js';
import { vacationView, type VacationInput } from './model-vacation.js';
import { mailStamps } from './store-domains.js';
import { findMailbox } from './store-mailboxes.js';
import { deleteVacation, findVacation, storeVacation } from './store-vacation.js';
import { lockedHosting, mailChanged } from './operations-shared.js';

const addressOf = (b: { localPart: string; domain: string }) => `${b.localPart}@${b.domain}`;

export async function showVacation(app: AppContext, caller: Caller, ref: string) {
  const b = await findMailbox(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(await findHosting(app.db, b.hostingId), 'mailbox'));
  return vacationView(b.id, addressOf(b), await findVacation(app.db, b.id));
}

export function setVacation(app: AppContext, caller: Caller, ref: string, input: VacationInput) {
  return change(app, caller, async (c) => {
    const b = await findMailbox(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, b.hostingId, 'mailbox');
    const v = { enabled: input.enabled, subject: input.subject, message: input.message, startsOn: input.startsOn ?? null, endsOn: input.endsOn ?? null };
    if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) {
      throw fieldError('vacation.dates_reversed', 'body.endsOn', `the last day (${v.endsOn}) comes before the first (${v.startsOn})`, { startsOn: v.startsOn, endsOn: v.endsOn });
    }
    const before = await findVacation(c.db, b.id);
    await storeVacation(c.db, b.id, v, c.now);
    const address = addressOf(b);
    const summary = (x: typeof v | null) => x && { enabled: x.enabled, subject: x.subject, startsOn: x.startsOn, endsOn: x.endsOn };
    await c.audit({ action: 'mailbox.vacation', targetType: 'mailbox', targetId: b.id, target: address, customerId: hosting.customerId, before: summary(before), after: summary(v) });
    await mailChanged(c, b.serverId, `mailbox ${address}: out-of-office ${v.enabled ? 'on' : 'off'}`, mailStamps('mailboxes', [b.id]));
    return vacationView(b.id, address, await findVacation(c.db, b.id));
  });
}

/** Removes the reply (and its text); nothing to remove is no error. */
export function removeVacation(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const b = await findMailbox(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, b.hostingId, 'mailbox');
    const before = await findVacation(c.db, b.id);
    await deleteVacation(c.db, b.id);
    const address = addressOf(b);
    await c.audit({ action: 'mailbox.vacation_remove', targetType: 'mailbox', targetId: b.id, target: address, customerId: hosting.customerId, before: before && { enabled: before.enabled, subject: before.subject } });
    await mailChanged(c, b.serverId, `mailbox ${address}: out-of-office removed`, mailStamps('mailboxes', [b.id]));
  });
}
