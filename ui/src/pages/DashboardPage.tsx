// A customer's home: each customer they act for, with its hostings and their quota bars.
import type { Hosting, Page as ApiPage } from '../api/types.js';
import { withQuery } from '../api/client.js';
import { useOffers } from '../api/offers.js';
import { useResource } from '../api/use-resource.js';
import { HostingQuotas } from '../components/HostingQuotas.js';
import { Notice } from '../components/Notice.js';
import { Loaded, Page, Section } from '../components/Page.js';
import { StatusBadge } from '../components/Status.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';

export function DashboardPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const hostings = useResource<ApiPage<Hosting>>(withQuery('/api/v1/hostings', { limit: 1000, sort: 'name' }));
  const { byId } = useOffers();
  const customers = me?.customers ?? [];
  return (
    <Page title={t('dashboard.title')}>
      {customers.length === 0 && <Notice><p>{t('dashboard.noCustomer')}</p></Notice>}
      <Loaded resource={hostings}>
        {(page) =>
          customers.map((c) => {
            const mine = page.items.filter((h) => h.customerId === c.customerId);
            return (
              <Section key={c.customerId} title={t('dashboard.customer', { name: c.name, number: c.number })}
                actions={<Link to={`/customers/${c.customerId}`} className="button">{t('dashboard.openCustomer')}</Link>}>
                <p className="hint">{t('dashboard.yourRole', { role: t(`role.${c.role}`) })}</p>
                {mine.length === 0 && <p>{t('dashboard.noHosting')}</p>}
                <ul className="cards">
                  {mine.map((h) => (
                    <li key={h.id} className="card">
                      <h3><Link to={`/hostings/${h.id}`}>{h.name}</Link></h3>
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
    </Page>
  );
}
