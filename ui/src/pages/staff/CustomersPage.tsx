// Staff: every customer, searchable by name, number, email or address.
import { Link } from '@tanstack/react-router';
import { useList, type ItemOf } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Page } from '../../components/Page.js';
import { StatusBadge } from '../../components/Status.js';
import { useI18n } from '../../i18n/i18n.js';

export function CustomersPage() {
  const { t, fmt } = useI18n();
  const list = useList('/customers', { defaultSort: 'number' });
  const columns: Column<ItemOf<'/customers'>>[] = [
    { id: 'number', header: t('customer.number'), sort: 'number', cell: (c) => String(c.number), className: 'num' },
    { id: 'name', header: t('field.name'), sort: 'name', rowHeader: true, cell: (c) => <Link to="/customers/$customer" params={{ customer: String(c.number) }}>{c.name}</Link> },
    { id: 'email', header: t('customer.contactEmail'), sort: 'contactEmail', cell: (c) => c.contactEmail },
    { id: 'status', header: t('field.status'), sort: 'status', cell: (c) => <StatusBadge status={c.status} /> },
    { id: 'created', header: t('field.created'), sort: 'createdAt', cell: (c) => fmt.date(c.createdAt) },
  ];
  return (
    <Page title={t('nav.customers')} actions={<Link to="/staff/customers/new" className="button primary">{t('customer.create')}</Link>}>
      <DataTable list={list} columns={columns} caption={t('nav.customers')} rowKey={(c) => c.id} searchLabel={t('customer.search')}
        empty={list.query ? t('table.noMatch') : t('customer.none')} />
    </Page>
  );
}
