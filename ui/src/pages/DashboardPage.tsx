// A customer's home: each customer they act for, with its hostings and their quota bars. Staff
// start on the customers list.
import { Link, Navigate } from '@tanstack/react-router';
import { useOffers } from '../api/offers.js';
import { useGet } from '../api/query.js';
import { HostingQuotas } from '../components/HostingQuotas.js';
import { Notice } from '../components/Notice.js';
import { Loaded, Page, Section } from '../components/Page.js';
import { StatusBadge } from '../components/Status.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from '../session.js';
import { WorksTable } from './works/WorkParts.js';

export function HomePage() {
  const { isStaff } = useSession();
  return isStaff ? <Navigate to="/staff/customers" replace /> : <DashboardPage />;
}

function DashboardPage() {
  const { t, tMaybe } = useI18n();
  const { me } = useSession();
  const hostings = useGet('/hostings', { query: { limit: 1000, sort: 'name' } });
  const { byId } = useOffers();
  const customers = me?.customers ?? [];
  return (
    <Page title={t('dashboard.title')}>
      {customers.length === 0 && <Notice><p>{t('dashboard.noCustomer')}</p></Notice>}
      <Loaded query={hostings}>
        {(page) =>
          customers.map((c) => {
            const mine = page.items.filter((h) => h.customerId === c.customerId);
            const status = mine[0]?.customerStatus ?? 'active';
            return (
              <Section key={c.customerId} title={t('dashboard.customer', { name: c.name, number: c.number })}
                actions={<Link to="/customers/$customer" params={{ customer: String(c.number) }} className="button">{t('dashboard.openCustomer')}</Link>}>
                <p className="hint">{t('dashboard.yourRole', { role: tMaybe(`role.${c.role}`, c.role) })}</p>
                {status !== 'active' && (
                  <Notice kind="warning"><p data-testid="read-only-notice">{t(status === 'closed' ? 'customer.closedNotice' : 'customer.suspendedNotice')}</p></Notice>
                )}
                {mine.length === 0 && <p>{t('dashboard.noHosting')}</p>}
                <ul className="cards">
                  {mine.map((h) => (
                    <li key={h.id} className="card">
                      <h3><Link to="/hostings/$hosting" params={{ hosting: h.name }}>{h.name}</Link></h3>
                      <p>{t('hosting.offerLine', { offer: h.offerName, php: h.phpVersion })} <StatusBadge status={h.status} /></p>
                      <HostingQuotas hosting={h} offer={byId(h.offerId)} />
                    </li>
                  ))}
                </ul>
              </Section>
            );
          })
        }
      </Loaded>
      {customers.length > 0 && <Section title={t('works.yours')}><WorksTable /></Section>}
    </Page>
  );
}
