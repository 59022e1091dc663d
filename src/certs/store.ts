// Certificates in the database: one per site that serves HTTPS (one for the platform's wildcard, one per mail server: store-mail.ts),
// the private keys sealed with the platform's secret key. Each certificate's schedule (next attempt,
// renewal, retries) is its job (kind "certificate", key = the certificate's id) in src/jobs.
import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { CertificatesTable } from '../platform/db/schema.js';
import type { Db } from '../platform/db/database.js';
import type { SecretBox } from '../platform/secret-box.js';
import { notFound } from '../platform/errors.js';
import { serversWithRole } from '../servers/store-provisioning.js';
import { cancelJob, enqueueJob, jobInserted, newJobSql } from '../jobs/enqueue.js';
import { prepared } from '../platform/db/prepared.js';
import { covers, uncovered } from './coverage.js';
import { CERTIFICATE_JOB, FAILING_AFTER, type CertificateInfo } from './model.js';

/** A certificate as the store reads it (every column but the generated `expiry` and the timestamps). */
export type CertificateRow = Omit<Selectable<CertificatesTable>, 'expiry' | 'createdAt' | 'updatedAt'>;

export const certificateColumns = [
  'id', 'siteId', 'serverId', 'kind', 'source', 'status', 'names', 'problems', 'issuer', 'serial', 'fingerprint', 'notBefore', 'notAfter', 'certPem',
  'chainPem', 'keySealed', 'renewAt', 'failures', 'lastError', 'lastAttemptAt', 'revision',
] as const;

export async function findCertificate(db: Db, id: string): Promise<CertificateRow> {
  const row = await certificateById(db, id);
  if (!row) throw notFound('certificate');
  return row;
}

export async function certificateById(db: Db, id: string): Promise<CertificateRow | null> {
  return ((await db.selectFrom('certificates').select(certificateColumns).where('id', '=', id).executeTakeFirst()) as CertificateRow | undefined) ?? null;
}

export async function siteCertificate(db: Db, siteId: string, opts: { lock?: boolean } = {}): Promise<CertificateRow | null> {
  const q = db.selectFrom('certificates').select(certificateColumns).where('siteId', '=', siteId);
  return ((await (opts.lock ? q.forUpdate() : q).executeTakeFirst()) as CertificateRow | undefined) ?? null;
}

export async function platformCertificate(db: Db): Promise<CertificateRow | null> {
  return ((await db.selectFrom('certificates').select(certificateColumns).where('kind', '=', 'platform').executeTakeFirst()) as CertificateRow | undefined) ?? null;
}

/** The site's certificate row, created when missing. */
export async function ensureSiteCertificate(db: Db, siteId: string): Promise<CertificateRow> {
  await db.insertInto('certificates').values({ siteId, kind: 'site' }).onConflict((oc) => oc.column('siteId').doNothing()).execute();
  return (await siteCertificate(db, siteId, { lock: true }))!;
}

/** The platform wildcard's row, created when missing. */
export async function ensurePlatformCertificate(db: Db): Promise<CertificateRow> {
  await db.insertInto('certificates').values({ kind: 'platform' }).onConflict((oc) => oc.expression(sql`kind`).where('kind', '=', 'platform').doNothing()).execute();
  return (await platformCertificate(db))!;
}

/** When and how a change asks for certificate work: its time, and where to wake the job runner after commit. */
export interface Asked {
  now: Date;
  afterCommit?: Array<() => void>;
}

/** A new site's certificate row and its job, due at once (certificateDue of a new row), in one statement. */
const newSiteCertificate = prepared((db, p: { id: string; siteId: string; now: Date }) =>
  sql`WITH job AS (${newJobSql(CERTIFICATE_JOB, sql`${p.id}::text`, p.now, p.now)}) INSERT INTO certificates (id, site_id, kind) VALUES (${p.id}, ${p.siteId}, 'site')`);

/** The certificate's job runs by `runAt` (failures in a row start over when `fresh`). */
export const certificateDue = (db: Db, id: string, runAt: Date, asked: Asked, opts: { fresh?: boolean; unlessPlanned?: boolean } = {}) =>
  enqueueJob(db, { kind: CERTIFICATE_JOB, key: id, runAt, resetAttempts: opts.fresh, unlessPlanned: opts.unlessPlanned }, asked.now, asked.afterCommit);

export const certificateIdle = (db: Db, id: string, now: Date) => cancelJob(db, CERTIFICATE_JOB, id, now);

/**
 * After a site changed (called by the hosting operations, in their transaction): a site serving
 * HTTPS gets a certificate row, worked on now when its current certificate does not cover every
 * name (an uploaded one is kept as it is); an HTTP-only site's certificate stops being renewed.
 * Pass the change (`c`: its time and afterCommit) so the job is due on the platform's clock.
 */
export async function siteCertificateWanted(db: Db, site: { id: string; domain: string; aliases: string[]; httpsMode: string }, at: Asked, opts: { created?: boolean } = {}): Promise<void> {
  if (opts.created) {
    // a site just created has no certificate: a new row (no failures, nothing issued) is due at once
    if (site.httpsMode === 'http-only') return;
    await newSiteCertificate.run(db, { id: randomUUID(), siteId: site.id, now: at.now });
    jobInserted(at.afterCommit);
    return;
  }
  const cert = await siteCertificate(db, site.id);
  if (site.httpsMode === 'http-only') {
    if (cert) await certificateIdle(db, cert.id, at.now);
    return;
  }
  const row = cert ?? (await ensureSiteCertificate(db, site.id));
  if (row.source === 'custom') return;
  if (!row.certPem || uncovered(row.names, [site.domain, ...site.aliases]).length > 0) {
    await setFailures(db, row.id, 0, at.now);
    await certificateDue(db, row.id, at.now, at, { fresh: true });
  } else {
    // covered: the renewal stays planned as it is (scheduled again only after HTTP-only, say)
    await certificateDue(db, row.id, row.renewAt ? new Date(row.renewAt) : at.now, at, { unlessPlanned: true });
  }
}

/** The platform wildcard is wanted once a platform domain is configured. */
export async function platformCertificateWanted(db: Db, asked: Asked): Promise<CertificateRow> {
  const row = await ensurePlatformCertificate(db);
  const due = !row.certPem || !row.renewAt ? asked.now : new Date(row.renewAt);
  await certificateDue(db, row.id, due, asked, { unlessPlanned: true });
  return row;
}

async function setFailures(db: Db, id: string, failures: number, now: Date) {
  await db.updateTable('certificates').set({ failures, updatedAt: now }).where('id', '=', id).where('failures', '!=', failures).execute();
}

/** A renewal asked for: the next order happens even if the current certificate is far from its renewal. */
export async function markRenewalDue(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('certificates').set({ renewAt: now, failures: 0, updatedAt: now }).where('id', '=', id).execute();
}

/** Back to automatic certificates: the uploaded one is forgotten (the edges drop it at the next revision). */
export async function forgetCustomCertificate(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('certificates').set({
    source: 'acme', status: 'pending', names: [], issuer: null, serial: null, fingerprint: null, notBefore: null, notAfter: null, certPem: null, chainPem: null,
    keySealed: null, renewAt: null, failures: 0, lastError: null, problems: '[]', updatedAt: now,
  }).where('id', '=', id).execute();
}

/** The servers that must learn about a certificate change: every edge. */
export const edgeServers = (db: Db) => serversWithRole(db, 'edge');

export interface Issued {
  info: CertificateInfo;
  certPem: string;
  chainPem: string;
  keyPem: string;
  source: 'acme' | 'custom';
  renewAt: Date | null;
  problems: Array<{ name: string; reason: string }>;
  failures: number;
}

/**
 * Stores a new certificate (key sealed), stamped with the change's revision. An automatic one never
 * replaces an uploaded one that arrived meanwhile: false then.
 */
export async function storeIssued(db: Db, box: SecretBox, id: string, c: Issued, revision: number, now: Date): Promise<boolean> {
  let q = db
    .updateTable('certificates')
    .set({
      source: c.source, status: 'valid', names: c.info.names, problems: JSON.stringify(c.problems), issuer: c.info.issuer, serial: c.info.serial,
      fingerprint: c.info.fingerprint, notBefore: c.info.notBefore, notAfter: c.info.notAfter, certPem: c.certPem, chainPem: c.chainPem,
      keySealed: box.seal(c.keyPem), renewAt: c.renewAt, failures: c.failures,
      lastError: c.problems.length ? c.problems.map((p) => `${p.name}: ${p.reason}`).join('; ') : null,
      lastAttemptAt: now, revision, updatedAt: now,
    })
    .where('id', '=', id);
  if (c.source === 'acme') q = q.where('source', '=', 'acme');
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Records an attempt that failed (or left names out): the current certificate stays; after
 * FAILING_AFTER failed orders in a row (`failing`) the certificate is failing.
 */
export async function storeAttempt(db: Db, id: string, a: { failures: number; error: string | null; problems: Array<{ name: string; reason: string }>; now: Date; failing: boolean }): Promise<void> {
  await db
    .updateTable('certificates')
    .set({
      status: sql`CASE WHEN ${a.failing && a.failures >= FAILING_AFTER} THEN 'failing' WHEN cert_pem IS NOT NULL THEN 'valid' ELSE 'pending' END`,
      failures: a.failures, lastError: a.error?.slice(0, 4000) ?? null, lastAttemptAt: a.now, problems: JSON.stringify(a.problems), updatedAt: a.now,
    })
    .where('id', '=', id)
    .execute();
}

/** A short note on the certificate while its job waits (the platform is still publishing the site). */
export async function storeNote(db: Db, id: string, note: string, now: Date): Promise<void> {
  await db.updateTable('certificates').set({ lastError: note, updatedAt: now }).where('id', '=', id).execute();
}

export interface EdgeCertificate {
  id: string;
  fingerprint: string;
  names: string[];
}

/** The certificates the edges serve: valid ones of active HTTPS sites, and the platform wildcard. */
export async function deployableCertificates(db: Db, now = new Date()): Promise<EdgeCertificate[]> {
  const rows = await db
    .selectFrom('certificates')
    .leftJoin('sites', 'sites.id', 'certificates.siteId')
    .leftJoin('hostings', 'hostings.id', 'sites.hostingId')
    .select(['certificates.id', 'certificates.fingerprint', 'certificates.names'])
    .where('certificates.certPem', 'is not', null)
    .where('certificates.notAfter', '>', now)
    .where((eb) => eb.or([
      eb('certificates.kind', '=', 'platform'),
      eb.and([eb('sites.httpsMode', '!=', 'http-only'), eb('sites.status', '=', 'active'), eb('hostings.status', '!=', 'terminated')]),
    ]))
    .orderBy('certificates.id')
    .execute();
  return rows.map((r) => ({ id: r.id, fingerprint: r.fingerprint!, names: r.names }));
}

/** Whether one of the certificates covers the host. */
export const hostHasCertificate = (certs: EdgeCertificate[], host: string) => certs.some((c) => covers(c.names, host));

/** The PEM an edge installs: certificate, chain, then the (decrypted) key. */
export async function certificateBundle(db: Db, box: SecretBox, id: string): Promise<{ id: string; fingerprint: string; pem: string }> {
  const c = await findCertificate(db, id);
  if (!c.certPem || !c.keySealed) throw notFound('certificate');
  const key = box.open(c.keySealed);
  return { id: c.id, fingerprint: c.fingerprint!, pem: `${c.certPem.trim()}\n${(c.chainPem ?? '').trim()}${c.chainPem?.trim() ? '\n' : ''}${key.trim()}\n` };
}
