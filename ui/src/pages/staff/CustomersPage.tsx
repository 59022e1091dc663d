// Staff: every customer, searchable by name, number, email or address.
import type { Customer } from '../../api/types.js';
import { useList } from '../../api/use-list.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { Page } from '../../components/Page.js';
import { StatusBadge } from '../../components/Status.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';

export function CustomersPage() {
  const { t, fmt } = useI18n();
  const list = useList<Customer>('/api/v1/customers', { defaultSort: 'number' });
  const columns: Column<Customer>[] = [
    { id: 'number', header: t('customer.number'), sort: 'number', cell: (c) => fmt.number(c.number), className: 'num' },
    { id: 'name', header: t('field.name'), sort: 'name', rowHeader: true, cell: (c) => <Link to={`/customers/${c.id}`}>{c.name}</Link> },
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
