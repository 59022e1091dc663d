// Dunning as people see and steer it: its settings (staff), an invoice's dunning with its next step
// and log (its customer's users and staff: what happened, what comes next, how to stop it), the list
// of dunnings (a customer's users: theirs), and staff pauses of an invoice or of a whole customer.
import type { AppContext } from '../platform/context.js';
import { assertCanSee, assertStaff, customerScope, isStaff, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { fieldError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { findCustomer } from '../accounts/store-customers.js';
import type { DunningSettingsPatch, DunningView } from './model-dunning.js';
import { dayOf } from './rules.js';
import { daysLate, nextStep, settingsProblem, type DunningSettings } from './rules-dunning.js';
import { progressOf } from './operations-dunning.js';
import { findInvoice, lockInvoice, type InvoiceRow } from './store-invoices.js';
import { invoiceView } from './model.js';
import {
  addDunningEvent, customerPause, dunningEventsOf, dunningListed, dunningOf, listDunnings, openDunning, readDunningSettings, setCustomerPause, updateDunning,
  writeDunningSettings, type DunningFilter, type DunningListed,
} from './store-dunning.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const settingsView = (s: Awaited<ReturnType<typeof readDunningSettings>>) => ({ ...s, reminderDays: s.reminderDays.map(Number), updatedAt: iso(s.updatedAt)! });

export async function showDunningSettings(app: AppContext, caller: Caller) {
  assertStaff(caller.actor);
  return settingsView(await readDunningSettings(app.db));
}

export function updateDunningSettings(app: AppContext, caller: Caller, patch: DunningSettingsPatch) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const before = settingsView(await readDunningSettings(c.db, { lock: true }));
    const after: DunningSettings = { enabled: patch.enabled ?? before.enabled, reminderDays: patch.reminderDays ?? before.reminderDays, suspendDay: patch.suspendDay ?? before.suspendDay, terminateDay: patch.terminateDay ?? before.terminateDay };
    const problem = settingsProblem(after);
    if (problem) throw fieldError('dunning.settings_invalid', `body.${problem.field}`, problem.message, { field: problem.field });
    await writeDunningSettings(c.db, after, c.now);
    const { updatedAt: _, ...old } = before;
    await c.audit({ action: 'dunning.settings', targetType: 'billing_settings', target: 'dunning', before: old, after: patch });
    return { ...after, updatedAt: c.now.toISOString() };
  });
}

type Pause = { pausedAt: Date | string; by: string; note: string; customer: boolean } | null;

/** An invoice's dunning as its customer's users (who see no staff names or notes) and staff see it. */
function dunningView(r: DunningListed, s: DunningSettings, today: string, pause: Pause, staff: boolean): DunningView {
  const progress = progressOf(r);
  const owed = !r.ended && Number(r.paidCents) < r.totalCents;
  const live = !!r.hostingId && !r.terminatedAt;
  const next = owed && s.enabled && !pause ? nextStep(s, progress, r.paymentDue, today, live) : null;
  const state = r.ended ? 'ended' : pause ? 'paused' : r.terminatedAt ? 'terminated' : r.suspendedAt ? 'suspended' : r.reminders ? 'reminded' : 'none';
  return {
    invoiceId: r.invoiceId, number: r.number, customerId: r.customerId, hostingId: r.hostingId, hosting: r.hosting, paymentDue: r.paymentDue, currency: r.currency,
    balanceCents: r.totalCents - Number(r.paidCents), daysLate: daysLate(r.paymentDue, today), state, reminders: r.reminders,
    suspendedAt: iso(r.suspendedAt), terminatedAt: iso(r.terminatedAt),
    paused: pause && { at: iso(pause.pausedAt)!, by: staff ? pause.by : '', note: staff ? pause.note : '', customer: pause.customer },
    ended: r.ended, endedAt: iso(r.endedAt), next: next && { step: next.step, reminder: next.n ?? null, on: next.on },
  };
}

async function pauseOf(db: Change['db'], r: { customerId: string; pausedAt: Date | string | null; pausedBy: string | null; pauseNote: string }): Promise<Pause> {
  if (r.pausedAt) return { pausedAt: r.pausedAt, by: r.pausedBy ?? '', note: r.pauseNote, customer: false };
  const p = await customerPause(db, r.customerId);
  return p ? { pausedAt: p.pausedAt, by: p.pausedBy, note: p.note, customer: true } : null;
}

/** The dunning state of an invoice without one yet (nothing done). */
const untouched = (inv: InvoiceRow): DunningListed => ({
  invoiceId: inv.id, customerId: inv.customerId, hostingId: inv.hostingId, reminders: 0, lastStepOn: null, suspendedAt: null, terminatedAt: null, pausedAt: null, pausedBy: null,
  pauseNote: '', ended: null, endedAt: null, updatedAt: inv.issuedAt as Date, number: inv.number, currency: inv.currency, totalCents: inv.totalCents,
  paymentDue: inv.paymentDue, paidCents: inv.paidCents, hosting: null,
});

/** An invoice's dunning: its state, next step and log (the invoice's customer's users and staff). */
export async function showDunning(app: AppContext, caller: Caller, ref: string) {
  const inv = await findInvoice(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may({ what: 'invoice', customerId: inv.customerId });
  const staff = isStaff(caller.actor);
  const s = await readDunningSettings(app.db);
  const row = (await dunningListed(app.db, inv.id)) ?? untouched(inv);
  const events = await dunningEventsOf(app.db, inv.id);
  const credited = invoiceView(inv).status === 'credited';
  const view = dunningView(credited && !row.ended ? { ...row, ended: 'credited', endedAt: row.updatedAt } : row, s, dayOf(app.clock.now()), await pauseOf(app.db, row), staff);
  return {
    ...(inv.kind === 'invoice' ? view : { ...view, next: null }), enabled: s.enabled,
    events: events.map((e) => ({ step: e.step, reminder: e.reminder, daysLate: e.daysLate, detail: staff ? e.detail : '', by: staff || e.doneBy === 'dunning' ? e.doneBy : 'staff', at: iso(e.at)! })),
  };
}

/** Dunnings, newest first (a customer's users: theirs). */
export async function listDunningsOf(app: AppContext, caller: Caller, filter: DunningFilter, query: ListQuery) {
  reader(app, caller); // the scope below is the decision: a customer's users list only theirs
  if (filter.customerId) assertCanSee(caller.actor, filter.customerId, 'customer');
  const scope = customerScope(caller.actor);
  const page = await listDunnings(app.db, scope, filter, query);
  const s = await readDunningSettings(app.db);
  const today = dayOf(app.clock.now());
  const items = await Promise.all(page.items.map(async (r) => dunningView(r, s, today, await pauseOf(app.db, r), !scope)));
  return { ...page, items };
}

/** Staff pause (or resume) the dunning of one invoice: no step is taken while paused. */
export function pauseInvoiceDunning(app: AppContext, caller: Caller, ref: string, pause: { note: string } | null) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const found = await findInvoice(c.db, ref, null);
    await lockInvoice(c.db, found.id);
    const d = pause ? await openDunning(c.db, found, c.now) : await dunningOf(c.db, found.id, { lock: true });
    const changed = !!d && !!pause !== !!d.pausedAt;
    const audit = { targetType: 'invoice', targetId: found.id, target: found.number, customerId: found.customerId, after: { ...pause, changed } };
    if (!changed) {
      await c.audit({ action: pause ? 'dunning.pause' : 'dunning.resume', ...audit }); // asked again: said so, nothing else
      return { paused: !!pause, changed };
    }
    const by = c.actor?.email ?? c.caller.label ?? 'staff';
    await updateDunning(c.db, found.id, pause ? { pausedAt: c.now, pausedBy: by, pauseNote: pause.note } : { pausedAt: null, pausedBy: null, pauseNote: '' }, c.now);
    await addDunningEvent(c.db, { invoiceId: found.id, customerId: found.customerId, hostingId: found.hostingId, step: pause ? 'paused' : 'resumed', daysLate: daysLate(found.paymentDue, dayOf(c.now)), detail: pause?.note ?? '', doneBy: by, at: c.now });
    await c.audit({ action: pause ? 'dunning.pause' : 'dunning.resume', ...audit });
    return { paused: !!pause, changed };
  });
}

/** Staff pause (or resume) the dunning of every invoice of a customer. */
export function pauseCustomerDunning(app: AppContext, caller: Caller, ref: string, pause: { note: string } | null) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const customer = await findCustomer(c.db, ref);
    const changed = await setCustomerPause(c.db, customer.id, pause && { by: c.actor?.email ?? c.caller.label ?? 'staff', note: pause.note }, c.now);
    await c.audit({ action: pause ? 'dunning.pause' : 'dunning.resume', targetType: 'customer', targetId: customer.id, target: customer.name, customerId: customer.id, after: { ...pause, changed } });
    return { paused: !!pause, changed };
  });
}
