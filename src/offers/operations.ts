// The verbs of offers: list and show (every user reads the catalogue), create, change and delete
// (staff). Routes, the CLI and future jobs call these.
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { AppError, type FieldIssue } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { showOffer, type OfferCreate, type OfferPatch, type OfferRow } from './model.js';
import { changesRenderedHostings, changesSendLimits, nameTakenIssue, phpVersionsIssue, uniqueVersions } from './rules.js';
import {
  deleteOffer as removeOffer,
  findOffer,
  hostingUsingOffer,
  insertOffer,
  listOffers,
  offerNameTaken,
  mailServersOfOffer,
  serversOfOfferHostings,
  stampOfferHostings,
  stampOfferMailboxes,
  updateOffer as storeOffer,
} from './store.js';

/**
 * Refuses the fields no schema can judge alone (a name another offer has, PHP versions the platform
 * lacks), all at once: a taken name alone is a conflict, anything else makes the offer invalid.
 */
async function assertOfferFields(c: Change, fields: { name?: string; phpVersions?: string[] }, id?: string) {
  const issues: FieldIssue[] = [];
  if (fields.name !== undefined && (await offerNameTaken(c.db, fields.name, id))) issues.push(nameTakenIssue(fields.name));
  if (fields.phpVersions) issues.push(...phpVersionsIssue(fields.phpVersions, c.app.config.phpVersions));
  if (!issues.length) return;
  if (issues.length === 1 && issues[0].code === 'offer.name_taken') {
    throw new AppError('offer.name_taken', issues[0].message, { params: issues[0].params, issues });
  }
  throw new AppError('offer.invalid', `the offer is not valid: ${issues.map((i) => i.message).join('; ')}`, { issues });
}

export async function listOffersOf(app: AppContext, caller: Caller, query: ListQuery) {
  reader(app, caller); // the catalogue: every user may read it (the route requires a user)
  const page = await listOffers(app.db, query);
  return { ...page, items: page.items.map(showOffer) };
}

export async function showOfferOf(app: AppContext, caller: Caller, ref: string) {
  reader(app, caller);
  return showOffer(await findOffer(app.db, ref));
}

export function createOffer(app: AppContext, caller: Caller, input: OfferCreate) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const fields = { ...input, phpVersions: uniqueVersions(input.phpVersions ?? app.config.phpVersions) };
    await assertOfferFields(c, fields);
    const o = await insertOffer(c.db, fields);
    await c.audit({ action: 'offer.create', targetType: 'offer', targetId: o.id, target: o.name, after: fields });
    return showOffer(o);
  });
}

/**
 * Changes an offer. Its hostings follow at once: a change of what their PHP-FPM pools are rendered
 * from (processes, memory) makes their web servers apply them again.
 */
export function updateOffer(app: AppContext, caller: Caller, ref: string, patch: OfferPatch) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const before = await findOffer(c.db, ref, { lock: true });
    const fields = { ...patch, ...(patch.phpVersions ? { phpVersions: uniqueVersions(patch.phpVersions) } : {}) };
    await assertOfferFields(c, fields, before.id);
    const after = await storeOffer(c.db, before.id, fields, c.now);
    await c.audit({ action: 'offer.update', targetType: 'offer', targetId: after.id, target: after.name, before: showOffer(before), after: fields });
    if (changesRenderedHostings(fields, before)) await hostingsChanged(c, after);
    if (changesSendLimits(fields, before)) await mailLimitsChanged(c, after);
    return showOffer(after);
  });
}

async function hostingsChanged(c: Change, o: OfferRow) {
  const servers = await serversOfOfferHostings(c.db, o.id);
  if (!servers.length) return;
  await stampOfferHostings(c.db, o.id, await c.bump(`offer ${o.name} changed`, servers));
}

async function mailLimitsChanged(c: Change, o: OfferRow) {
  const servers = await mailServersOfOffer(c.db, o.id);
  if (servers.length) await stampOfferMailboxes(c.db, o.id, await c.bump(`offer ${o.name}: sending limits changed`, servers));
}

/** Deletes an offer no hosting uses (archive it otherwise: it stays on its hostings). */
export function deleteOffer(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const o = await findOffer(c.db, ref, { lock: true });
    const user = await hostingUsingOffer(c.db, o.id);
    if (user) throw new AppError('offer.in_use', `hosting ${user} uses this offer; archive it instead`, { params: { offer: o.name, hosting: user } });
    await removeOffer(c.db, o.id);
    await c.audit({ action: 'offer.delete', targetType: 'offer', targetId: o.id, target: o.name, before: showOffer(o) });
  });
}
