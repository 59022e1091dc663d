// Staff: one zone (/staff/zones/<name>) — whose it is, how it is published, and the same view as the
// sites' DNS tab (records editor, name server check, records to set elsewhere). Staff also edit the
// platform's zone.
import { getRouteApi, Link } from '@tanstack/react-router';
import type { Zone } from '../../api/model.js';
import { zoneWritable } from '../../api/dns.js';
import { useGet } from '../../api/query.js';
import { Loaded, Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { ZoneView } from '../dns/ZoneView.js';

const route = getRouteApi('/staff/zones/$zone');

export function ZonePage() {
  const { zone } = route.useParams();
  const answer = useGet('/zones/{id}', { path: { id: zone } });
  return <Loaded query={answer}>{(z) => <ZoneDetails zone={z} />}</Loaded>;
}

function ZoneDetails({ zone }: { zone: Zone }) {
  const { t, fmt } = useI18n();
  const session = useSession();
  const customer = useGet('/customers/{id}', { path: { id: zone.customerId ?? '' } }, { enabled: !!zone.customerId });
  return (
    <Page title={t('zone.title', { zone: zone.nameUnicode })} crumbs={[<Link to="/staff/zones" search={{ customer: undefined }} activeOptions={{ exact: true }}>{t('nav.zones')}</Link>]}
      subtitle={<span className={`badge badge-dns-${zone.dns}`}>{t(`dnsMode.${zone.dns}`)}</span>}>
      <dl className="facts">
        <dt>{t('hosting.customer')}</dt>
        <dd>
          {zone.customerId
            ? <Link to="/customers/$customer" params={{ customer: customer.data ? String(customer.data.number) : zone.customerId }}>
                {customer.data ? t('customer.title', { number: customer.data.number, name: customer.data.name }) : t('zone.customerLink')}
              </Link>
            : t('zone.platformOwned')}
        </dd>
        {zone.name !== zone.nameUnicode && <><dt>{t('zone.ascii')}</dt><dd><code>{zone.name}</code></dd></>}
        <dt>{t('zone.edgeRecords')}</dt><dd>{zone.edgeRecords ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('field.created')}</dt><dd>{fmt.date(zone.createdAt)}</dd>
      </dl>
      <ZoneView zone={zone} writable={zoneWritable(zone, session)} />
    </Page>
  );
}
