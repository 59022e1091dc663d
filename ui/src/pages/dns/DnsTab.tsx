// The site's DNS tab: each zone holding the site's names (usually one), as ZoneView shows it.
import { Link } from '@tanstack/react-router';
import type { Site } from '../../api/model.js';
import { useSiteZones, zoneWritable } from '../../api/dns.js';
import { useGet } from '../../api/query.js';
import { ErrorNotice, Notice } from '../../components/Notice.js';
import { Loading } from '../../components/Page.js';
import { useI18n } from '../../i18n/i18n.js';
import { useSession } from '../../session.js';
import { ZoneView } from './ZoneView.js';

const unicode = (site: Site, ascii: string) => {
  if (ascii === site.domain) return site.domainUnicode;
  const i = site.aliases.indexOf(ascii);
  return i >= 0 ? site.aliasesUnicode[i] ?? ascii : ascii;
};

export function DnsTab({ site }: { site: Site }) {
  const { t } = useI18n();
  const session = useSession();
  const { zones, outside, error } = useSiteZones(site, session.isStaff);
  // a suspended or closed customer's zones are read-only for its people
  const hosting = useGet('/hostings/{id}', { path: { id: site.hostingId } });
  const customerActive = session.isStaff || hosting.data?.customerStatus === 'active';
  if (error) return <ErrorNotice error={error} />;
  if (!zones) return <Loading />;
  return (
    <>
      {zones.map(({ zone, names }) => (
        <section key={zone.id} className="zone" aria-labelledby={`zone-${zone.id}`}>
          <div className="section-header">
            <h2 id={`zone-${zone.id}`}>{t('zone.title', { zone: zone.nameUnicode })}</h2>
            {session.isStaff && <Link to="/staff/zones/$zone" params={{ zone: zone.name }}>{t('zone.open')}</Link>}
          </div>
          <p>
            <span className={`badge badge-dns-${zone.dns}`}>{t(`dnsMode.${zone.dns}`)}</span>{' '}
            {t('zone.holds', { names: names.map((n) => unicode(site, n)).join(', ') })}
          </p>
          <ZoneView zone={zone} writable={customerActive && zoneWritable(zone, session)} />
        </section>
      ))}
      {outside.map((name) => (
        <Notice key={name}>
          <p>{name === site.platformName ? t('zone.platformName', { name }) : t('zone.noZone', { name: unicode(site, name) })}</p>
        </Notice>
      ))}
    </>
  );
}
