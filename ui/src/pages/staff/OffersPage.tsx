// Staff: the offer catalogue with prices and quotas.
import { Link } from '@tanstack/react-router';
import type { Offer } from '../../api/model.js';
import { useList } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';

export function OffersPage() {
  const { t, fmt } = useI18n();
  const list = useList('/offers', { defaultSort: 'name' });
  const columns: Column<Offer>[] = [
    { id: 'name', header: t('field.name'), sort: 'name', rowHeader: true, cell: (o) => <Link to="/staff/offers/$offer" params={{ offer: o.id }}>{o.name}</Link> },
    { id: 'price', header: t('offer.price'), sort: 'priceCents', cell: (o) => `${fmt.money(o.priceCents, o.currency)} / ${t(`cycle.${o.billingCycle}`)}`, className: 'num' },
    { id: 'disk', header: t('quota.disk'), sort: 'diskMb', cell: (o) => fmt.sizeMb(o.diskMb), className: 'num' },
    { id: 'sites', header: t('quota.sites'), cell: (o) => fmt.number(o.maxSites), className: 'num' },
    { id: 'tls', header: t('offer.tls'), cell: (o) => (o.tlsAllowed ? t('common.yes') : t('common.no')) },
    { id: 'php', header: t('offer.phpVersions'), cell: (o) => o.phpVersions.join(', ') },
    { id: 'archived', header: t('field.status'), cell: (o) => (o.archived ? t('offer.archived') : t('offer.offered')) },
  ];
  return (
    <Page title={t('nav.offers')} actions={<Link to="/staff/offers/new" className="button primary">{t('offer.create')}</Link>}>
      <DataTable list={list} columns={columns} caption={t('nav.offers')} rowKey={(o) => o.id} searchLabel={t('offer.search')}
        empty={list.query ? t('table.noMatch') : t('offer.none')} />
    </Page>
  );
}
