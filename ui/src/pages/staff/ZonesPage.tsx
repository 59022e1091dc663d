// Staff: every DNS zone — searchable, by customer, managed or published elsewhere, with its state on
// the name servers — each opening its zone page (the records editor of the sites' DNS tab).
import { useEffect, useState } from 'react';
import { getRouteApi, Link } from '@tanstack/react-router';
import type { Zone } from '../../api/model.js';
import { useCustomers } from '../../api/customers.js';
import { useList } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Page } from '../../components/Page.js';
import { ProvisioningState } from '../../components/Status.js';
import { useI18n } from '../../i18n/i18n.js';

const route = getRouteApi('/staff/zones');

export function ZonesPage() {
  const { t, fmt } = useI18n();
  const [customer, setCustomer] = useState(route.useSearch().customer ?? '');
  const [customerId, setCustomerId] = useState(customer.trim());
  useEffect(() => {
    const timer = setTimeout(() => setCustomerId(customer.trim()), 300);
    return () => clearTimeout(timer);
  }, [customer]);
  const list = useList('/zones', { defaultSort: 'name', filters: { customerId: customerId || undefined } });
  const customers = useCustomers(list.items.map((z) => z.customerId));
  const columns: Column<Zone>[] = [
    { id: 'name', header: t('zone.name'), sort: 'name', rowHeader: true, className: 'nowrap', cell: (z) => <Link to="/staff/zones/$zone" params={{ zone: z.name }}>{z.nameUnicode}</Link> },
    {
      id: 'customer', header: t('hosting.customer'), cell: (z) => {
        if (!z.customerId) return t('zone.platformOwned');
        const c = customers.get(z.customerId);
        return <Link to="/customers/$customer" params={{ customer: c ? String(c.number) : z.customerId }}>{c ? `${c.number} · ${c.name}` : t('zone.customerLink')}</Link>;
      },
    },
    { id: 'dns', header: t('zone.dns'), sort: 'dns', cell: (z) => <span className={`badge badge-dns-${z.dns}`}>{t(`dnsMode.${z.dns}`)}</span> },
    { id: 'state', header: t('site.colState'), cell: (z) => (z.dns === 'managed' ? <ProvisioningState provisioning={z.provisioning} /> : '—') },
    { id: 'updated', header: t('site.updated'), sort: 'updatedAt', cell: (z) => fmt.date(z.updatedAt) },
  ];
  const filter = (
    <div className="search filter">
      <label htmlFor="zones-customer">{t('zone.customerFilter')}</label>
      <input id="zones-customer" type="search" inputMode="numeric" value={customer} onChange={(e) => setCustomer(e.target.value)} autoComplete="off" />
    </div>
  );
  return (
    <Page title={t('nav.zones')}>
      <p className="hint">{t('zone.listExplained')}</p>
      <DataTable list={list} columns={columns} caption={t('nav.zones')} rowKey={(z) => z.id} searchLabel={t('zone.search')} toolbar={filter}
        empty={list.query || customer ? t('table.noMatch') : t('zone.none')} />
    </Page>
  );
}
