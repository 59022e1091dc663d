// Staff: one zone — whose it is, how it is published, and the same view as the sites' DNS tab
// (records editor, name server check, records to set elsewhere). Staff also edit the platform's zone.
import type { Customer, Zone } from '../../api/types.js';
import { zoneWritable } from '../../api/dns.js';
import { useResource } from '../../api/use-resource.js';
import { Loaded, Page } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { useSession } from '../../session.js';
import { ZoneView } from '../dns/ZoneView.js';

export function ZonePage({ id }: { id: string }) {
  const zone = useResource<Zone>(`/api/v1/zones/${encodeURIComponent(id)}`);
  return <Loaded resource={zone}>{(z) => <ZoneDetails zone={z} reload={() => void zone.reload()} />}</Loaded>;
}

function ZoneDetails({ zone, reload }: { zone: Zone; reload(): void }) {
  const { t, fmt } = useI18n();
  const session = useSession();
  const customer = useResource<Customer>(zone.customerId ? `/api/v1/customers/${zone.customerId}` : null);
  return (
    <Page title={t('zone.title', { zone: zone.nameUnicode })} crumbs={[{ label: t('nav.zones'), to: '/staff/zones' }]}
      subtitle={<span className={`badge badge-dns-${zone.dns}`}>{t(`dnsMode.${zone.dns}`)}</span>}>
      <dl className="facts">
        <dt>{t('hosting.customer')}</dt>
        <dd>
          {zone.customerId
            ? <Link to={`/customers/${zone.customerId}`}>{customer.data ? t('customer.title', { number: customer.data.number, name: customer.data.name }) : t('zone.customerLink')}</Link>
            : t('zone.platformOwned')}
        </dd>
        {zone.name !== zone.nameUnicode && <><dt>{t('zone.ascii')}</dt><dd><code>{zone.name}</code></dd></>}
        <dt>{t('zone.edgeRecords')}</dt><dd>{zone.edgeRecords ? t('common.yes') : t('common.no')}</dd>
        <dt>{t('field.created')}</dt><dd>{fmt.date(zone.createdAt)}</dd>
      </dl>
      <ZoneView zone={zone} writable={zoneWritable(zone, session)} onChanged={reload} />
    </Page>
  );
}
