// Staff: every certificate of the platform — filtered by status (failing ones first, say), searched,
// sorted by expiry — each linking to its site's Certificate tab (the mail servers' named by their
// server); the platform's wildcard on top.
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useGet } from '../../api/query.js';
import { useList, type ItemOf } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Page, Section } from '../../components/Page.js';
import { reportPhrase } from '../../i18n/errors.js';
import { Say, useI18n } from '../../i18n/i18n.js';
import { CertificateBadge, CertificateFacts, CertificateStatus } from '../certs/CertificateFacts.js';

const filters = ['', 'failing', 'pending', 'expired'] as const;
type Filter = (typeof filters)[number];

export function CertificatesPage() {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const [status, setStatus] = useState<Filter>('');
  const list = useList('/certificates', { defaultSort: 'expiry', filters: { status: status || undefined } });
  const platform = useGet('/certificates/platform', {}, { retry: false });
  const columns: Column<ItemOf<'/certificates'>>[] = [
    {
      id: 'site', header: t('certificates.site'), rowHeader: true, className: 'nowrap',
      cell: (c) => (c.domain ? <Link to="/sites/$site/certificate" params={{ site: c.domain }}>{c.domainUnicode ?? c.domain}</Link>
        : c.kind === 'mail' ? t('certificates.mailServer', { server: c.server ?? '' }) : t('certificates.platform')),
    },
    { id: 'names', header: t('certificate.wanted'), className: 'wrap', cell: (c) => c.wanted.join(', ') || '—' },
    { id: 'source', header: t('certificates.source'), cell: (c) => (c.source ? t(`certSource.${c.source}`) : '—') },
    { id: 'status', header: t('field.status'), cell: (c) => <CertificateBadge status={c.status} /> },
    { id: 'expiry', header: t('certificate.notAfter'), sort: 'expiry', className: 'nowrap', cell: (c) => fmt.date(c.notAfter) },
    {
      id: 'error', header: t('certificates.lastError'), className: 'wrap',
      cell: (c) => {
        // an order's error, else what a server said when installing it (a mail server refusing a bad pair)
        const phrase = c.status !== 'valid' && c.status !== 'none' ? reportPhrase({ message: c.lastError }, i18n)
          : c.provisioning?.status === 'error' ? reportPhrase(c.provisioning, i18n) : null;
        return phrase ? <Say phrase={phrase} /> : '—';
      },
    },
  ];
  const filter = (
    <div className="search filter">
      <label htmlFor="certificates-status">{t('certificates.statusFilter')}</label>
      <select id="certificates-status" value={status} onChange={(e) => setStatus(e.target.value as Filter)}>
        {filters.map((f) => <option key={f} value={f}>{f ? t(`certStatus.${f}`) : t('certificates.all')}</option>)}
      </select>
    </div>
  );
  return (
    <Page title={t('nav.certificates')}>
      <p className="hint">{t('certificates.explained')}</p>
      <DataTable list={list} columns={columns} caption={t('nav.certificates')} rowKey={(c) => c.id ?? c.siteId ?? 'platform'} searchLabel={t('certificates.search')}
        toolbar={filter} empty={list.query || status ? t('table.noMatch') : t('certificates.none')} />
      {platform.data && platform.data.wanted.length > 0 && (
        <Section title={t('certificates.platformTitle')}>
          <CertificateStatus certificate={platform.data} />
          <CertificateFacts certificate={platform.data} />
        </Section>
      )}
    </Page>
  );
}
