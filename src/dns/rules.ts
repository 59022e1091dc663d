// Pure rules of zones and records: what the policy sees, which names a customer may hold as a zone,
// and whether a record fits its zone (all field errors at once, then the conflicts).
import { AppError, type FieldIssue } from '../platform/errors.js';
import type { Subject } from '../platform/policy.js';
import { displayDomain } from '../platform/names.js';
import { displayName, inZone, ownerName, registeredDomain } from './names.js';
import { checkOwner, nameConflicts, recordContent, type RecordType } from './records.js';
import { collidesWithManaged, type ManagedRrset } from './zone-content.js';
import type { RecordRow, ZoneRow } from './model.js';
import type { RecordValues } from './store-records.js';

/** Records a zone may hold besides the platform's. */
export const MAX_RECORDS_PER_ZONE = 1000;

/** A zone as the policy sees it (the platform's own zone: staff only). */
export const zoneSubject = (z: Pick<ZoneRow, 'customerId' | 'customerStatus'>, what = 'zone'): Subject => ({
  what, customerId: z.customerId, ...(z.customerStatus ? { customerStatus: z.customerStatus } : {}),
});

/** A customer's zone is a registered domain (example.org, example.co.uk), never the platform's or above it. */
export function assertZoneName(name: string, platformDomain: string | null): void {
  const registered = registeredDomain(name);
  if (registered !== name) {
    const instead = registered ? displayDomain(registered) : null;
    throw new AppError('zone.invalid', `${displayDomain(name)} is not a registered domain: add the zone of ${instead ?? 'its parent'} instead`, {
      params: { zone: displayDomain(name), ...(instead ? { instead } : {}) },
      issues: [{ code: 'zone.invalid', path: 'body.name', message: 'must be a registered domain like example.org' }],
    });
  }
  if (platformDomain && (inZone(name, platformDomain) || inZone(platformDomain, name))) {
    throw new AppError('zone.taken', `${displayDomain(name)} is part of the platform's own domain`, {
      params: { zone: displayDomain(name) }, issues: [{ code: 'zone.taken', path: 'body.name', message: 'the platform\'s own domain' }],
    });
  }
}

const invalid = (issues: FieldIssue[]) =>
  new AppError('record.invalid', issues.map((i) => `${i.path.replace(/^body\./, '')}: ${i.message}`).join('; '), { issues });

export interface RecordInput { name: string; type: RecordType; content: string; ttl?: number }

/**
 * The record as stored (canonical name and content, its TTL), or the reasons it does not fit the
 * zone: invalid fields (all at once), a name the platform keeps, a duplicate, a CNAME not alone, the
 * zone's record quota. `others` are the zone's other records, `managed` the platform's rrsets.
 */
export function checkRecord(zone: Pick<ZoneRow, 'name'>, input: RecordInput, replacing: RecordRow | null, others: RecordRow[], managed: ManagedRrset[], defaultTtl: number): RecordValues {
  const issues: FieldIssue[] = [];
  const name = ownerName(input.name, zone.name);
  if (!name.ok) issues.push({ code: 'record.name_invalid', path: 'body.name', message: name.reason });
  const content = recordContent(input.type, input.content);
  if (!content.ok) issues.push({ code: 'record.content_invalid', path: 'body.content', message: content.reason });
  if (name.ok) {
    const owner = checkOwner(input.type, name.value, zone.name);
    if (owner) issues.push({ code: 'record.name_invalid', path: 'body.name', message: owner });
  }
  if (issues.length || !name.ok || !content.ok) throw invalid(issues);
  if (input.type === 'CNAME' && content.value === `${name.value}.`) {
    throw invalid([{ code: 'record.cname_loop', path: 'body.content', message: 'a CNAME cannot point to its own name' }]);
  }
  // one TTL per rrset: a record given none takes the one of its name and type, if any
  const rrsetTtl = others.find((r) => r.name === name.value && r.type === input.type)?.ttl;
  const record: RecordValues = { name: name.value, type: input.type, content: content.value, ttl: input.ttl ?? replacing?.ttl ?? rrsetTtl ?? defaultTtl };
  const shown = displayName(record.name);
  const clash = collidesWithManaged(managed, record.name, record.type, record.content);
  if (clash) {
    throw new AppError('record.managed_conflict', `${displayName(clash.name)} has ${clash.type} records the platform keeps (${clash.records.join(', ')}); a ${record.type} record of ${shown} would override them`, {
      params: { name: displayName(clash.name), type: clash.type, recordType: record.type },
      issues: [{ code: 'record.managed_conflict', path: 'body.name', message: `the platform keeps the ${clash.type} records of this name` }],
    });
  }
  if (others.some((r) => r.name === record.name && r.type === record.type && r.content === record.content)) {
    throw new AppError('record.exists', `this ${record.type} record of ${shown} already exists`, {
      params: { name: shown, type: record.type }, issues: [{ code: 'record.exists', path: 'body.content', message: 'already exists' }],
    });
  }
  const managedAtName = managed.filter((m) => m.name === record.name).map((m) => ({ name: m.name, type: m.type, content: '' }));
  const conflict = nameConflicts([...others, ...managedAtName, record]).find((c) => c.name === record.name);
  if (conflict) {
    const reason = conflict.reason.replace(record.name, shown);
    throw new AppError('record.cname_conflict', reason, { params: { name: shown }, issues: [{ code: 'record.cname_conflict', path: record.type === 'CNAME' ? 'body.type' : 'body.name', message: reason }] });
  }
  if (!replacing && others.length >= MAX_RECORDS_PER_ZONE) {
    throw new AppError('quota.records_exceeded', `a zone holds at most ${MAX_RECORDS_PER_ZONE} records`, { params: { max: MAX_RECORDS_PER_ZONE } });
  }
  return record;
}
