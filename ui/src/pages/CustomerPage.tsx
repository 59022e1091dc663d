// One customer: details, hostings and the people who act for it. Staff open any customer here.
import type { Customer } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { Loaded, Page, Section } from '../components/Page.js';
import { StatusBadge } from '../components/Status.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { DelegationsSection } from './DelegationsSection.js';
import { HostingsTable } from './HostingsTable.js';

export function CustomerPage({ id }: { id: string }) {
  const customer = useResource<Customer>(`/api/v1/customers/${encodeURIComponent(id)}`);
  return <Loaded resource={customer}>{(c) => <CustomerView customer={c} />}</Loaded>;
}

function CustomerView({ customer: c }: { customer: Customer }) {
  const { t, fmt } = useI18n();
  const session = useSession();
  const crumbs = session.isStaff ? [{ label: t('nav.customers'), to: '/staff/customers' }] : [{ label: t('nav.dashboard'), to: '/' }];
  return (
    <Page title={t('customer.title', { number: c.number, name: c.name })} crumbs={crumbs} subtitle={<StatusBadge status={c.status} />}
      actions={session.isOwner(c.id) ? <Link to={`/customers/${c.id}/edit`} className="button">{t('action.edit')}</Link> : undefined}>
      <dl className="facts">
        <dt>{t('customer.contactEmail')}</dt><dd>{c.contactEmail}</dd>
        <dt>{t('customer.postalAddress')}</dt><dd className="pre">{c.postalAddress || '—'}</dd>
        <dt>{t('field.created')}</dt><dd>{fmt.date(c.createdAt)}</dd>
      </dl>
      <Section title={t('nav.hostings')}
        actions={session.isStaff ? <Link to={`/staff/hostings/new?customer=${c.id}`} className="button primary">{t('hosting.create')}</Link> : undefined}>
        <HostingsTable customerId={c.id} />
      </Section>
      <DelegationsSection customer={c} />
    </Page>
  );
}
