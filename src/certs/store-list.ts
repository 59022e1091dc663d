// The staff's list of every certificate, with its site.
import type { Db } from '../platform/db/database.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import type { CertificateRow } from './store.js';

export type CertificateListRow = CertificateRow & { domain: string | null; aliases: string[] | null; httpsMode: string | null };

export async function listCertificates(db: Db, query: ListQuery & { status?: 'pending' | 'valid' | 'failing' | 'expired' }, now: Date) {
  let base = db.selectFrom('certificates').leftJoin('sites', 'sites.id', 'certificates.siteId');
  if (query.status === 'expired') base = base.where('certificates.expiry', '<=', now);
  else if (query.status) base = base.where('certificates.status', '=', query.status).where('certificates.expiry', '>', now);
  return paginate(
    base,
    {
      search: ['sites.domain', 'certificates.names', 'certificates.status', 'certificates.issuer', 'certificates.last_error'],
      sorts: { expiry: 'certificates.expiry', updatedAt: 'certificates.updated_at', createdAt: 'certificates.created_at', status: 'certificates.status' },
      defaultSort: 'expiry',
      idColumn: 'certificates.id',
    },
    query,
    (q) => q.select([
      'certificates.id', 'certificates.siteId', 'certificates.serverId', 'certificates.kind', 'certificates.source', 'certificates.status', 'certificates.names', 'certificates.problems',
      'certificates.issuer', 'certificates.serial', 'certificates.fingerprint', 'certificates.notBefore', 'certificates.notAfter', 'certificates.certPem',
      'certificates.chainPem', 'certificates.keySealed', 'certificates.renewAt', 'certificates.failures', 'certificates.lastError',
      'certificates.lastAttemptAt', 'certificates.revision', 'sites.domain', 'sites.aliases', 'sites.httpsMode',
    ]),
  ) as Promise<{ items: CertificateListRow[]; nextCursor: string | null; total: number }>;
}
