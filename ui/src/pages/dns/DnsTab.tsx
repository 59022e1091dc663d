// The site's DNS tab: each zone holding the site's names (usually one), as ZoneView shows it.
import type { Site } from '../../api/types.js';
import { useSiteZones, zoneWritable } from '../../api/dns.js';
import { ErrorNotice, Notice } from '../../components/Notice.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
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
  const { zones, outside, error, reload } = useSiteZones(site);
  if (error) return <ErrorNotice error={error} />;
  if (!zones) return <p role="status" className="loading">{t('table.loading')}</p>;
  return (
    <>
      {zones.map(({ zone, names }) => (
        <section key={zone.id} className="zone" aria-labelledby={`zone-${zone.id}`}>
          <div className="section-header">
            <h2 id={`zone-${zone.id}`}>{t('zone.title', { zone: zone.nameUnicode })}</h2>
            {session.isStaff && <Link to={`/staff/zones/${zone.id}`}>{t('zone.open')}</Link>}
          </div>
          <p>
            <span className={`badge badge-dns-${zone.dns}`}>{t(`dnsMode.${zone.dns}`)}</span>{' '}
            {t('zone.holds', { names: names.map((n) => unicode(site, n)).join(', ') })}
          </p>
          <ZoneView zone={zone} writable={zoneWritable(zone, session)} onChanged={reload} />
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
