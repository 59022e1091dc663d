// The sites of a hosting: search across columns as you type, sort by header, page at any size.
import { Link } from '@tanstack/react-router';
import type { Site } from '../api/model.js';
import { useList } from '../api/use-list.js';
import { DataTable, type Column } from '../components/DataTable.js';
import { ProvisioningState } from '../components/Status.js';
import { useI18n } from '../i18n/i18n.js';

export function SitesTable({ hostingId }: { hostingId: string }) {
  const { t } = useI18n();
  const list = useList('/hostings/{id}/sites', { defaultSort: 'domain', path: { id: hostingId } });
  const columns: Column<Site>[] = [
    { id: 'domain', header: t('site.domain'), sort: 'domain', rowHeader: true, className: 'nowrap', cell: (s) => <Link to="/sites/$site" params={{ site: s.domain }}>{s.domainUnicode}</Link> },
    { id: 'aliases', header: t('site.colAliases'), cell: (s) => s.aliasesUnicode.join(', ') || '—', className: 'wrap' },
    { id: 'documentRoot', header: t('site.colFolder'), sort: 'documentRoot', cell: (s) => <code>var/www/{s.documentRoot}</code> },
    { id: 'php', header: t('site.colPhp'), sort: 'phpVersion', cell: (s) => s.phpVersion },
    { id: 'https', header: t('site.colHttps'), sort: 'httpsMode', cell: (s) => t(`https.${s.httpsMode}`) },
    { id: 'state', header: t('site.colState'), cell: (s) => <ProvisioningState provisioning={s.provisioning} /> },
  ];
  return (
    <DataTable list={list} columns={columns} caption={t('hosting.sites')} rowKey={(s) => s.id} searchLabel={t('site.search')}
      empty={list.query ? t('table.noMatch') : t('site.none')} />
  );
}
