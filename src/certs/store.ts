// Certificates in the database: one per site that serves HTTPS (and one for the platform's wildcard),
// the schedule of the controller (next_attempt_at, leased to one manager process at a time), and
// the private keys, sealed with the platform's secret key.
import { sql, type Selectable } from 'kysely';
import type { CertificatesTable } from '../platform/db/schema.js';
import type { Db } from '../platform/db/database.js';
import type { SecretBox } from '../platform/secret-box.js';
import { notFound } from '../platform/errors.js';
import { serversWithRole } from '../servers/store-provisioning.js';
import { bumpRevision } from '../platform/store-revision.js';
import { covers, uncovered } from './coverage.js';
import type { CertificateInfo } from './model.js';

/** A certificate as the store reads it (every column but the generated `expiry` and the timestamps). */
export type CertificateRow = Omit<Selectable<CertificatesTable>, 'expiry' | 'createdAt' | 'updatedAt'>;

const columns = [
  'id', 'siteId', 'kind', 'source', 'status', 'names', 'problems', 'issuer', 'serial', 'fingerprint', 'notBefore', 'notAfter', 'certPem',
  'chainPem', 'keySealed', 'renewAt', 'nextAttemptAt', 'failures', 'lastError', 'lastAttemptAt', 'leaseUntil', 'revision',
] as const;

export async function findCertificate(db: Db, id: string): Promise<CertificateRow> {
  const row = await db.selectFrom('certificates').select(columns).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('certificate');
  return row as CertificateRow;
}

export async function siteCertificate(db: Db, siteId: string): Promise<CertificateRow | null> {
  return ((await db.selectFrom('certificates').select(columns).where('siteId', '=', siteId).executeTakeFirst()) as CertificateRow | undefined) ?? null;
}

export async function platformCertificate(db: Db): Promise<CertificateRow | null> {
  return ((await db.selectFrom('certificates').select(columns).where('kind', '=', 'platform').executeTakeFirst()) as CertificateRow | undefined) ?? null;
}

/**
 * After a site changed: a site serving HTTPS gets a certificate row, worked on now when its current
 * certificate does not cover every name (an uploaded one is kept as it is); an HTTP-only site's
 * certificate stops being renewed.
 */
export async function siteCertificateWanted(db: Db, site: { id: string; domain: string; aliases: string[]; httpsMode: string }): Promise<void> {
  const cert = await siteCertificate(db, site.id);
  if (site.httpsMode === 'http-only') {
    if (cert?.nextAttemptAt) await db.updateTable('certificates').set({ nextAttemptAt: null, updatedAt: new Date() }).where('id', '=', cert.id).execute();
    return;
  }
  const names = [site.domain, ...site.aliases];
  if (!cert) {
    await db.insertInto('certificates').values({ siteId: site.id, kind: 'site', nextAttemptAt: new Date() }).onConflict((oc) => oc.column('siteId').doNothing()).execute();
    return;
  }
  if (cert.source === 'custom') return;
  if (!cert.certPem || uncovered(cert.names, names).length > 0) {
    await db.updateTable('certificates').set({ nextAttemptAt: new Date(), failures: 0, updatedAt: new Date() }).where('id', '=', cert.id).execute();
  } else if (!cert.nextAttemptAt) {
    await db.updateTable('certificates').set({ nextAttemptAt: cert.renewAt ?? new Date(), updatedAt: new Date() }).where('id', '=', cert.id).execute();
  }
}

/** The platform wildcard certificate is wanted once a platform domain is configured. */
export async function platformCertificateWanted(db: Db): Promise<void> {
  await db.insertInto('certificates').values({ kind: 'platform', nextAttemptAt: new Date() }).onConflict((oc) => oc.expression(sql`kind`).where('kind', '=', 'platform').doNothing()).execute();
}

/**
 * Leases up to `limit` certificates whose time has come to one worker, for `leaseMs`: another
 * manager process skips them (FOR UPDATE SKIP LOCKED), and a worker that died lets them go.
 */
export async function claimDue(db: Db, limit: number, leaseMs: number, now = new Date()): Promise<CertificateRow[]> {
  return db.transaction().execute(async (trx) => {
    const ids = await trx
      .selectFrom('certificates')
      .select('id')
      .where('nextAttemptAt', '<=', now)
      .where((eb) => eb.or([eb('leaseUntil', 'is', null), eb('leaseUntil', '<', now)]))
      .orderBy('nextAttemptAt')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (!ids.length) return [];
    return (await trx
      .updateTable('certificates')
      .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
      .where('id', 'in', ids.map((r) => r.id))
      .returning(columns)
      .execute()) as CertificateRow[];
  });
}

/** Bumps the revision of every edge (a certificate to deploy, swap or remove). */
export async function edgesChanged(db: Db, reason: string): Promise<number> {
  return bumpRevision(db, reason, await serversWithRole(db, 'edge'));
}

export interface Issued {
  info: CertificateInfo;
  certPem: string;
  chainPem: string;
  keyPem: string;
  source: 'acme' | 'custom';
  renewAt: Date | null;
  problems: Array<{ name: string; reason: string }>;
  /** when the controller looks at it again (null: never, an uploaded certificate) */
  nextAttemptAt: Date | null;
  failures: number;
}

/** Stores a new certificate (key sealed) and bumps the edges' revision (call it inside a transaction). */
export async function storeIssued(trx: Db, box: SecretBox, id: string, c: Issued): Promise<void> {
  {
    const revision = await edgesChanged(trx, `certificate ${c.info.names[0] ?? id} stored`);
    await trx
      .updateTable('certificates')
      .set({
        source: c.source, status: 'valid', names: c.info.names, problems: JSON.stringify(c.problems), issuer: c.info.issuer, serial: c.info.serial,
        fingerprint: c.info.fingerprint, notBefore: c.info.notBefore, notAfter: c.info.notAfter, certPem: c.certPem, chainPem: c.chainPem,
        keySealed: box.seal(c.keyPem), renewAt: c.renewAt, nextAttemptAt: c.nextAttemptAt,
        failures: c.failures, lastError: c.problems.length ? c.problems.map((p) => `${p.name}: ${p.reason}`).join('; ') : null,
        lastAttemptAt: new Date(), leaseUntil: null, revision, updatedAt: new Date(),
      })
      .where('id', '=', id)
      .execute();
  }
}

/** Records a failed attempt: retry later, failing after repeated failures; the current certificate stays. */
export async function storeFailure(db: Db, cert: CertificateRow, error: string, problems: Array<{ name: string; reason: string }>, next: Date, failing: boolean): Promise<void> {
  await db
    .updateTable('certificates')
    .set({
      status: failing ? 'failing' : cert.certPem ? 'valid' : 'pending',
      failures: cert.failures + 1, lastError: error.slice(0, 4000), lastAttemptAt: new Date(), nextAttemptAt: next, problems: JSON.stringify(problems),
      leaseUntil: null, updatedAt: new Date(),
    })
    .where('id', '=', cert.id)
    .execute();
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
