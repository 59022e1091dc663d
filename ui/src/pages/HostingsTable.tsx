// Hostings as a table (all of them for staff, or one customer's), searchable and sortable.
import { Link } from '@tanstack/react-router';
import type { Hosting } from '../api/model.js';
import { useList } from '../api/use-list.js';
import { DataTable, type Column } from '../components/DataTable.js';
import { StatusBadge } from '../components/Status.js';
import { useI18n } from '../i18n/i18n.js';

export function HostingsTable({ customerId }: { customerId?: string }) {
  const { t, fmt } = useI18n();
  const list = useList('/hostings', { defaultSort: 'name', filters: { customerId } });
  const columns: Column<Hosting>[] = [
    { id: 'name', header: t('hosting.name'), sort: 'name', rowHeader: true, cell: (h) => <Link to="/hostings/$hosting" params={{ hosting: h.name }}>{h.name}</Link> },
    ...(customerId ? [] : [{
      id: 'customer', header: t('hosting.customer'), sort: 'customerNumber',
      cell: (h: Hosting) => <Link to="/customers/$customer" params={{ customer: String(h.customerNumber) }}>{`${h.customerNumber} · ${h.customerName}`}</Link>,
    }]),
    { id: 'offer', header: t('hosting.offer'), cell: (h) => h.offerName },
    { id: 'php', header: t('site.php'), cell: (h) => h.phpVersion },
    { id: 'sites', header: t('quota.sites'), cell: (h) => (h.usage.sites ? `${fmt.number(h.usage.sites.used)} / ${fmt.number(h.usage.sites.max)}` : '—') },
    {
      // sorted by how full it is (-disk: nearest the limit first); a limit only measured is marked
      id: 'disk', header: t('quota.disk'), sort: 'disk', className: 'num',
      cell: (h) => (h.usage.diskMb.used === null ? '—' : (
        <span title={h.usage.diskMb.enforced === false ? t('quota.diskNotEnforced') : undefined}>
          {`${fmt.sizeMb(h.usage.diskMb.used)} / ${fmt.sizeMb(h.usage.diskMb.max)}${h.usage.diskMb.enforced === false ? ' *' : ''}`}
        </span>
      )),
    },
    { id: 'status', header: t('field.status'), sort: 'status', cell: (h) => <StatusBadge status={h.status} /> },
    { id: 'created', header: t('field.created'), sort: 'createdAt', cell: (h) => fmt.date(h.createdAt) },
  ];
  return <DataTable list={list} columns={columns} caption={t('nav.hostings')} rowKey={(h) => h.id} searchLabel={t('hosting.search')}
    empty={list.query ? t('table.noMatch') : t('hosting.none')} />;
}
