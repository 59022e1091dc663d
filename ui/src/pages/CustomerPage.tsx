// One customer (/customers/<number>): details, hostings and the people who act for it. Staff open
// any customer here.
import { getRouteApi, Link } from '@tanstack/react-router';
import type { Customer } from '../api/model.js';
import { useGet } from '../api/query.js';
import { Notice } from '../components/Notice.js';
import { Loaded, Page, Section } from '../components/Page.js';
import { StatusBadge } from '../components/Status.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';
import { DelegationsSection, useManagesPeople } from './DelegationsSection.js';
import { HostingsTable } from './HostingsTable.js';

const route = getRouteApi('/customers/$customer');

export function CustomerPage() {
  const { customer } = route.useParams();
  const answer = useGet('/customers/{id}', { path: { id: customer } });
  return <Loaded query={answer}>{(c) => <CustomerView customer={c} />}</Loaded>;
}

/** The crumb back to where customers are listed: the staff's list, or the customer's dashboard. */
export function CustomersCrumb() {
  const { t } = useI18n();
  const session = useSession();
  return session.isStaff
    ? <Link to="/staff/customers" activeOptions={{ exact: true }}>{t('nav.customers')}</Link>
    : <Link to="/" activeOptions={{ exact: true }}>{t('nav.dashboard')}</Link>;
}

function CustomerView({ customer: c }: { customer: Customer }) {
  const { t, fmt } = useI18n();
  const session = useSession();
  const number = String(c.number);
  const editable = useManagesPeople(c);
  const notice = c.status === 'suspended' ? (session.isStaff ? 'customer.suspendedStaffNotice' : 'customer.suspendedNotice')
    : c.status === 'closed' ? (session.isStaff ? 'customer.closedStaffNotice' : 'customer.closedNotice') : null;
  return (
    <Page title={t('customer.title', { number: c.number, name: c.name })} crumbs={[<CustomersCrumb />]} subtitle={<StatusBadge status={c.status} />}
      actions={editable ? <Link to="/customers/$customer/edit" params={{ customer: number }} className="button">{t('action.edit')}</Link> : undefined}>
      {notice && <Notice kind="warning"><p data-testid="read-only-notice">{t(notice)}</p></Notice>}
      <dl className="facts">
        <dt>{t('customer.contactEmail')}</dt><dd>{c.contactEmail}</dd>
        <dt>{t('customer.postalAddress')}</dt><dd className="pre">{c.postalAddress || '—'}</dd>
        <dt>{t('field.created')}</dt><dd>{fmt.date(c.createdAt)}</dd>
      </dl>
      <Section title={t('nav.hostings')}
        actions={session.isStaff ? <Link to="/staff/hostings/new" search={{ customer: number }} className="button primary">{t('hosting.create')}</Link> : undefined}>
        <HostingsTable customerId={c.id} />
      </Section>
      <DelegationsSection customer={c} />
    </Page>
  );
}
