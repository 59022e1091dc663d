// The verbs of claims: a customer asks to prove a domain, publishes the token, and verifies.
//
// Proven by the TXT record, the zone becomes the customer's: created when new, marked proven when it
// was theirs already, and taken over when another customer held it without proof (that customer's
// records are dropped, its sites lose their names in the zone; both customers and the staff are
// told). The NS at the platform's name servers prove a domain only when no other customer holds its
// zone: they say the domain is meant for this platform, not for which customer. A zone proven by
// its customer is never taken over by a claim (the staff hand it over if the domain changed hands).
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { decide } from '../platform/policy.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { displayDomain } from '../platform/names.js';
import { randomSecret } from '../platform/secrets.js';
import { findCustomer } from '../accounts/store-customers.js';
import { claimView, challengeName, challengeValue, type ClaimRow } from './model-claims.js';
import { assertZoneName, zoneSubject } from './rules.js';
import { claimOf, deleteClaim, findClaim, insertClaim, listClaims, markClaimVerified } from './store-claims.js';
import { createZone, handZoneOver, markProven, zoneHolders, zoneNamed } from './store-zones.js';
import { customerFor, zoneAudit, zonesChangedBy } from './operations-zones.js';
import { proofOf, type Proof } from './proof.js';
import { zoneLost } from './zone-loss.js';
import { noticeZoneLost } from './notices.js';

const claimSubject = (c: ClaimRow) => zoneSubject({ customerId: c.customerId, customerStatus: c.customerStatus }, 'claim');

async function views(c: { db: Change['db']; app: AppContext }, rows: ClaimRow[]) {
  const holders = await zoneHolders(c.db, rows.map((r) => r.name));
  return rows.map((row) => {
    const holder = holders.get(row.name);
    return claimView(row, c.app.config.dns.nameservers, row.status === 'pending' && !!holder && holder !== row.customerId);
  });
}

export async function listClaimsOf(app: AppContext, caller: Caller, query: ListQuery & { customerId?: string; status?: 'pending' | 'verified' }) {
  const r = reader(app, caller);
  const customerId = query.customerId ? (await findCustomer(app.db, query.customerId, customerScope(caller.actor))).id : undefined;
  r.may({ what: 'claim', customerId: customerId ?? null });
  const page = await listClaims(app.db, customerScope(caller.actor), { ...query, customerId });
  return { ...page, items: await views({ db: app.db, app }, page.items) };
}

export async function showClaimOf(app: AppContext, caller: Caller, id: string) {
  const claim = await findClaim(app.db, id, customerScope(caller.actor));
  reader(app, caller).may(claimSubject(claim));
  return (await views({ db: app.db, app }, [claim]))[0]!;
}

export function addClaim(app: AppContext, caller: Caller, input: { name: string; customerId?: string; dns: 'managed' | 'external' }) {
  return change(app, caller, async (c) => {
    const customer = await customerFor(c, input.customerId);
    c.may({ what: 'claim', customerId: customer.id, customerStatus: customer.status }, 'manage');
    assertZoneName(input.name, app.config.platformDomain);
    const zone = await zoneNamed(c.db, input.name);
    if (zone?.customerId === customer.id && zone.provenAt) {
      throw new AppError('claim.already_proven', `${displayDomain(input.name)} is already proven to be yours`, { params: { zone: displayDomain(input.name) } });
    }
    const existing = await claimOf(c.db, input.name, customer.id);
    if (existing) {
      throw new AppError('claim.exists', `a claim of ${displayDomain(input.name)} exists already (${existing.id}): publish its TXT record and verify it`, {
        params: { zone: displayDomain(input.name), id: existing.id },
      });
    }
    const id = await insertClaim(c.db, { name: input.name, customerId: customer.id, token: randomSecret(24), dns: input.dns }, c.now);
    await c.audit({ action: 'claim.create', targetType: 'claim', targetId: id, target: displayDomain(input.name), customerId: customer.id, after: { name: input.name } });
    return (await views(c, [await findClaim(c.db, id, null)]))[0]!;
  });
}

export function removeClaim(app: AppContext, caller: Caller, id: string) {
  return change(app, caller, async (c) => {
    const claim = await findClaim(c.db, id, customerScope(c.actor), { lock: true });
    c.may(claimSubject(claim), 'manage');
    await deleteClaim(c.db, claim.id);
    await c.audit({ action: 'claim.delete', targetType: 'claim', targetId: claim.id, target: displayDomain(claim.name), customerId: claim.customerId, before: { name: claim.name, status: claim.status } });
  });
}

function notProven(claim: ClaimRow, p: Proof, why?: string): AppError {
  const txt = `${displayDomain(challengeName(claim.name))} TXT "${challengeValue(claim.token)}"`;
  const seen = p.found.txt.length ? `the DNS answers ${p.found.txt.map((t) => `"${t}"`).join(', ')}` : 'the DNS answers no such record';
  return new AppError('claim.not_proven', `${displayDomain(claim.name)} is not proven yet: publish ${txt} (${seen})${why ? `; ${why}` : ''}${p.failed.length ? `; ${p.failed.join('; ')}` : ''}`, {
    params: { zone: displayDomain(claim.name), txtName: challengeName(claim.name), txtValue: challengeValue(claim.token), foundTxt: p.found.txt, foundNs: p.found.ns },
  });
}

/** Asks the DNS, then (if proven) gives the customer the zone; answers the verified claim. */
export async function verifyClaim(app: AppContext, caller: Caller, id: string) {
  // the DNS is asked outside the transaction (no lock held while waiting for answers)
  const seen = await findClaim(app.db, id, customerScope(caller.actor));
  decide(caller.actor, claimSubject(seen), 'manage'); // only those who may verify make the platform ask the DNS
  if (seen.status === 'verified') throw new AppError('claim.verified', `this claim of ${displayDomain(seen.name)} is verified already`, { params: { zone: displayDomain(seen.name) } });
  const proof = await proofOf(app.config.dns, seen.name, seen.token);
  return change(app, caller, async (c) => {
    const claim = await findClaim(c.db, id, customerScope(c.actor), { lock: true });
    c.may(claimSubject(claim), 'manage');
    if (claim.status === 'verified') throw new AppError('claim.verified', `this claim of ${displayDomain(claim.name)} is verified already`, { params: { zone: displayDomain(claim.name) } });
    const method = proof.txt ? 'txt' : proof.ns ? 'ns' : null;
    if (!method) throw notProven(claim, proof, 'or point the domain\'s NS at the platform\'s name servers when no other customer holds it');
    const proven = { at: c.now, by: method } as const;
    const zone = await zoneNamed(c.db, claim.name);
    let zoneId: string;
    if (!zone) {
      zoneId = (await createZone(c.db, app.config.dns, { name: claim.name, customerId: claim.customerId, dns: claim.dns, edgeRecords: true, proven })).id;
      await c.audit({ action: 'zone.create', targetType: 'zone', targetId: zoneId, target: displayDomain(claim.name), customerId: claim.customerId, after: { name: claim.name, proven: method } });
    } else if (zone.customerId === claim.customerId) {
      await markProven(c.db, zone.id, proven);
      zoneId = zone.id;
      await c.audit({ action: 'zone.proven', targetType: 'zone', targetId: zone.id, target: displayDomain(zone.name), customerId: claim.customerId, before: zoneAudit(zone), after: { proven: method } });
    } else if (!zone.customerId) {
      throw new AppError('zone.taken', `${displayDomain(zone.name)} is part of the platform's own domain`, { params: { zone: displayDomain(zone.name) } });
    } else if (method === 'ns') {
      throw notProven(claim, proof, 'the domain\'s NS point at the platform, but another customer holds its zone: only the TXT record tells whose domain it is');
    } else if (zone.provenAt) {
      throw new AppError('claim.zone_proven', `another customer proved ${displayDomain(zone.name)} before you: if the domain changed hands, ask the staff to hand the zone over`, { params: { zone: displayDomain(zone.name) } });
    } else {
      zoneId = zone.id;
      const dropped = await handZoneOver(c.db, app.config.dns, zone, { customerId: claim.customerId, dns: claim.dns, proven });
      const lost = await zoneLost(c, zone, zone.customerId, claim.customerId, `another customer proved ${displayDomain(zone.name)}`);
      await c.audit({ action: 'zone.lost', targetType: 'zone', targetId: zone.id, target: displayDomain(zone.name), customerId: zone.customerId, before: { ...zoneAudit(zone), records: dropped, names: lost }, after: { reason: 'another customer proved the domain', proof: method } });
      await c.audit({ action: 'zone.taken_over', targetType: 'zone', targetId: zone.id, target: displayDomain(zone.name), customerId: claim.customerId, before: { customerId: zone.customerId, proven: false }, after: { customerId: claim.customerId, proven: method } });
      await noticeZoneLost(c.db, { zone: zone.name, loserId: zone.customerId, winnerId: claim.customerId, lost, how: method }, c.now);
    }
    await markClaimVerified(c.db, claim.id, method, c.now);
    await c.audit({ action: 'claim.verify', targetType: 'claim', targetId: claim.id, target: displayDomain(claim.name), customerId: claim.customerId, after: { method, zoneId } });
    await zonesChangedBy(c, [zoneId], `zone ${claim.name} proven`);
    return (await views(c, [await findClaim(c.db, claim.id, null)]))[0]!;
  });
}
