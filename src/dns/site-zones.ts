// Sites and zones: a site's names fall in zones (one per registered domain), created with the site
// when missing. The platform keeps A/AAAA records of the edge at each site name; the customer's own
// records that would collide there are replaced (they could only point the name elsewhere). In the
// platform's zone it is the other way round: a site's platform name never replaces a record someone
// else (the staff) put there, and the names the platform uses are reserved (ABRI_RESERVED_LABELS).
import type { Db } from '../platform/db/database.js';
import type { Config } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { recordAudit } from '../platform/store-audit.js';
import { change } from '../platform/change.js';
import type { AppContext } from '../platform/context.js';
import { systemCaller, type Caller as Who } from '../platform/actor.js';
import { displayDomain, normaliseDomain, reservedPattern } from '../platform/names.js';
import { inZone, registeredDomain } from './names.js';
import { createZone, dnsServers, isMailServerName, makePlatformZone, platformZoneState, stampZones, zonesOfNames, type ZoneRef } from './store-zones.js';
import { deleteAddressRecordsAndStampAtCommit, deleteAddressRecordsAt, recordsAtOrBelow } from './store-records.js';
import type { RecordRow } from './model.js';
import { OPEN_REVISION_BASE, stampAtCommit } from '../platform/store-revision.js';

// the zones of names: certificates (certs/) read them through here
export { zonesOfNames, type ZoneRef };

/** The zone name a site name belongs to when no zone holds it yet. */
export function zoneNameFor(name: string, platformDomain: string | null): string | null {
  if (platformDomain && inZone(name, platformDomain)) return platformDomain;
  return registeredDomain(name);
}

export interface SiteNamesChange {
  customerId: string;
  before: string[];
  after: string[];
  /** how the zones created now are published */
  dns?: 'managed' | 'external';
  /** who changed the site (the customer records replaced at its new names are audited) */
  who?: Who;
}

/** Refuses a site name in another customer's zone: it would let one customer take over another's domain. */
export async function assertOwnZones(db: Db, customerId: string, names: string[]): Promise<void> {
  refuseOthersZones(customerId, names, await zonesOfNames(db, names));
}

function refuseOthersZones(customerId: string, names: string[], zones: Map<string, ZoneRef>): void {
  for (const name of names) {
    const zone = zones.get(name);
    if (zone && zone.customerId !== null && zone.customerId !== customerId) {
      throw new AppError('site.zone_taken', `${displayDomain(name)} falls in the zone ${displayDomain(zone.name)}, which belongs to another customer of the platform`, {
        params: { name: displayDomain(name), zone: displayDomain(zone.name) },
        issues: [{ code: 'site.zone_taken', path: 'body.domain', message: `${displayDomain(zone.name)} belongs to another customer` }],
      });
    }
  }
}

const labelIssue = (code: string, message: string, params: Record<string, string>) =>
  new AppError(code, message, { params, issues: [{ code, path: 'body.platformSubdomain', message, params }] });

/**
 * A new platform name of a site (<label>.<platform domain>): a valid host name, not a label the
 * platform uses (ABRI_RESERVED_LABELS, the names of mail servers), and no record of the platform's zone at or below it (the
 * staff's records win: a site's name never replaces them).
 */
export async function assertPlatformName(db: Db, config: Config, zone: ZoneRef, name: string): Promise<void> {
  const label = name.slice(0, -(zone.name.length + 1));
  const shown = displayDomain(name);
  const r = normaliseDomain(name);
  if (!r.ok || r.value !== name || label.includes('.')) throw labelIssue('site.platform_label_invalid', `${shown} is not a valid name: ${r.ok ? 'one label only' : r.reason}`, { name: shown });
  const pattern = reservedPattern(label, config.reservedLabels) ?? ((await isMailServerName(db, label)) ? label : null);
  if (pattern) {
    throw labelIssue('site.platform_label_reserved', `${shown} is reserved for the platform's own use (${pattern}): choose another label`, { name: shown, label: displayDomain(label), pattern });
  }
  const used = await recordsAtOrBelow(db, zone.id, name);
  if (used.length) {
    throw labelIssue('site.platform_label_taken', `${shown} is already used in the platform's zone (${[...new Set(used.map((u) => u.type))].join(', ')} records): choose another label`, { name: shown, label: displayDomain(label) });
  }
}

/**
 * Creates the zones the site's new names need, checks its new platform names, removes the
 * customer's A/AAAA/CNAME records at its new names, and stamps every zone the change touches with
 * `revision` (the one the site change bumped). Returns the zones created.
 */
export async function syncSiteZones(db: Db, config: Config, change: SiteNamesChange, revision: number): Promise<string[]> {
  const added = change.after.filter((n) => !change.before.includes(n));
  const existing = await zonesOfNames(db, change.after);
  refuseOthersZones(change.customerId, added, existing);
  const created: string[] = [];
  for (const name of change.after) {
    if (existing.has(name)) continue;
    const zoneName = zoneNameFor(name, config.platformDomain);
    if (!zoneName) continue;
    const platform = zoneName === config.platformDomain;
    const zone = await createZone(db, config.dns, { name: zoneName, customerId: platform ? null : change.customerId, dns: change.dns ?? 'managed', edgeRecords: true, platform }).then(
      (z): ZoneRef => {
        created.push(z.name);
        return { id: z.id, name: z.name, customerId: z.customerId, platform: z.platform };
      },
      async (e: unknown) => {
        // another change created it since zonesOfNames (and committed): it must be this customer's
        if (!(e instanceof AppError && e.code === 'zone.taken')) throw e;
        const z = (await zonesOfNames(db, [zoneName])).get(zoneName);
        if (!z) throw e;
        await assertOwnZones(db, change.customerId, [name]);
        return z;
      },
    );
    for (const n of change.after) if (inZone(n, zone.name) && !existing.has(n)) existing.set(n, zone);
  }
  const replaced: Array<{ zone: ZoneRef; name: string }> = [];
  for (const name of added) {
    const zone = existing.get(name);
    if (!zone) continue;
    if (zone.platform) await assertPlatformName(db, config, zone, name);
    else replaced.push({ zone, name });
  }
  // the zones of the names before and after (those of `after` are known by now)
  const gone = change.before.filter((n) => !change.after.includes(n));
  const touched = [...existing.values(), ...(gone.length ? (await zonesOfNames(db, gone)).values() : [])].map((z) => z.id);
  // the zones are stamped at commit: many sites share a zone (a domain's subdomains, the platform
  // domain), and stamping it now would make concurrent site changes wait for each other until they commit
  if (revision >= OPEN_REVISION_BASE && (replaced.length || touched.length)) {
    // the customer's records at the new names go, and the stamps are asked, by one statement
    const deleted = await deleteAddressRecordsAndStampAtCommit(db, replaced.map((r) => ({ zoneId: r.zone.id, name: r.name })), revision, touched);
    for (const { zone, name } of replaced) await auditReplaced(db, zone, deleted.filter((r) => r.zoneId === zone.id && r.name === name), change.who, `${displayDomain(name)} is now a site of the platform`);
  } else {
    for (const { zone, name } of replaced) await replaceCustomerRecords(db, zone, [name], change.who, `${displayDomain(name)} is now a site of the platform`);
    await stampAtCommit(db, revision, 'zones', touched);
  }
  return created;
}

/**
 * Deletes the customer's A/AAAA/CNAME records at names the platform now points at the edge (a new
 * site name, or www when the edge records come back), with an audit entry each: they could only
 * point the name elsewhere, and would hide behind the platform's records. Never in the platform's
 * zone, whose records are the staff's.
 */
export async function replaceCustomerRecords(db: Db, zone: { id: string; customerId: string | null; platform?: boolean }, names: string[], who: Who | undefined, why: string): Promise<void> {
  if (!names.length || zone.platform) return;
  await auditReplaced(db, zone, await deleteAddressRecordsAt(db, zone.id, names), who, why);
}

async function auditReplaced(db: Db, zone: { customerId: string | null }, records: RecordRow[], who: Who | undefined, why: string): Promise<void> {
  for (const r of records) {
    await recordAudit(db, who ?? systemCaller('platform'), {
      action: 'record.delete', targetType: 'record', targetId: r.id, target: `${displayDomain(r.name)} ${r.type}`, customerId: zone.customerId,
      before: { name: r.name, type: r.type, content: r.content, ttl: r.ttl, reason: why },
    });
  }
}

/** Creates the platform domain's zone on first start (customers' sites may get names under it). */
export async function ensurePlatformZone(app: AppContext): Promise<void> {
  const { config } = app;
  if (!config.platformDomain) return;
  const pd = config.platformDomain;
  const zone = await platformZoneState(app.db, pd);
  if (zone?.platform) return;
  await change(app, systemCaller('platform', 'upkeep'), async (c) => {
    c.staffOnly();
    if (zone) await makePlatformZone(c.db, zone.id);
    const row = zone ?? (await createZone(c.db, config.dns, { name: pd, customerId: null, dns: 'managed', edgeRecords: true, platform: true }));
    await c.audit({ action: zone ? 'zone.update' : 'zone.create', targetType: 'zone', targetId: row.id, target: displayDomain(pd), customerId: null, after: { name: pd, platform: true } });
    await stampZones(c.db, [row.id], await c.bump(`platform zone ${pd}`, dnsServers()));
  });
}
