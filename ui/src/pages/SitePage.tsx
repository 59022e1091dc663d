// One site, in tabs: Web (settings and provisioning state), DNS (its zones and records) and Certificate.
import { useEffect } from 'react';
import { api } from '../api/client.js';
import type { Site } from '../api/types.js';
import { useResource } from '../api/use-resource.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { Loaded, Page, Section } from '../components/Page.js';
import { ProvisioningServers, ProvisioningState, StatusBadge } from '../components/Status.js';
import { TabLinks } from '../components/Tabs.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';
import { CertificateTab } from './certs/CertificateTab.js';
import { DnsTab } from './dns/DnsTab.js';

export type SiteTab = 'web' | 'dns' | 'certificate';

export function SitePage({ id, tab }: { id: string; tab: SiteTab }) {
  const site = useResource<Site>(`/api/v1/sites/${encodeURIComponent(id)}`);
  // while the servers apply a change, ask again every few seconds so the state turns live by itself
  const pending = site.data?.provisioning?.status === 'pending';
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void site.reload(), 2000);
    return () => clearInterval(timer);
  }, [pending, site.reload]);
  return <Loaded resource={site}>{(s) => <SiteView site={s} tab={tab} />}</Loaded>;
}

function SiteView({ site, tab }: { site: Site; tab: SiteTab }) {
  const { t } = useI18n();
  const base = `/sites/${site.id}`;
  const tabs = [
    { id: 'web', label: t('siteTab.web'), to: base },
    { id: 'dns', label: t('siteTab.dns'), to: `${base}/dns` },
    { id: 'certificate', label: t('siteTab.certificate'), to: `${base}/certificate` },
  ];
  return (
    <Page title={site.domainUnicode} crumbs={[{ label: site.hostingName, to: `/hostings/${site.hostingId}` }]}
      subtitle={<ProvisioningState provisioning={site.provisioning} />}>
      <TabLinks label={t('siteTab.label')} tabs={tabs} current={tab} />
      <div className="tab-panel">
        {tab === 'web' && <WebTab site={site} />}
        {tab === 'dns' && <DnsTab site={site} />}
        {tab === 'certificate' && <CertificateTab site={site} />}
      </div>
    </Page>
  );
}

function WebTab({ site }: { site: Site }) {
  const { t, fmt } = useI18n();
  const session = useSession();
  const hosting = useResource<{ customerId: string; status: string }>(`/api/v1/hostings/${site.hostingId}`);
  const writable = !!hosting.data && hosting.data.status !== 'terminated' && session.canChange(hosting.data.customerId);
  const remove = async () => {
    await api('DELETE', `/api/v1/sites/${site.id}`);
    navigate(`/hostings/${site.hostingId}`);
  };
  return (
    <>
      <Section title={t('site.provisioning')}>
        <ProvisioningState provisioning={site.provisioning} detailed />
        <ProvisioningServers provisioning={site.provisioning} />
      </Section>
      <Section title={t('site.settings')}
        actions={writable ? <Link to={`/sites/${site.id}/edit`} className="button primary">{t('site.edit')}</Link> : undefined}>
        <dl className="facts">
          <dt>{t('site.domain')}</dt><dd>{site.domainUnicode}{site.domain !== site.domainUnicode && <> (<code>{site.domain}</code>)</>}</dd>
          <dt>{t('site.aliases')}</dt><dd>{site.aliasesUnicode.join(', ') || t('site.noAliases')}</dd>
          {site.platformName && <><dt>{t('site.platformName')}</dt><dd data-testid="site-platform-name">{site.platformName}</dd></>}
          <dt>{t('site.documentRoot')}</dt><dd><code>var/www/{site.documentRoot}</code></dd>
          <dt>{t('site.php')}</dt><dd data-testid="site-php">PHP {site.phpVersion}</dd>
          <dt>{t('site.https')}</dt><dd>{t(`https.${site.httpsMode}`)} — {t(`https.${site.httpsMode}.explained`)}</dd>
          <dt>{t('site.status')}</dt><dd><StatusBadge status={site.status} /></dd>
          <dt>{t('site.updated')}</dt><dd>{fmt.dateTime(site.updatedAt)}</dd>
        </dl>
      </Section>
      {writable && (
        <Section title={t('site.removeSection')}>
          <ConfirmButton label={t('site.remove')} title={t('site.removeTitle', { domain: site.domainUnicode })} confirmLabel={t('site.removeConfirm')} onConfirm={remove}>
            <p>{t('site.removeLoses', { domain: site.domainUnicode, count: site.aliases.length })}</p>
            <p>{t('site.removeKeeps', { path: `var/www/${site.documentRoot}` })}</p>
          </ConfirmButton>
        </Section>
      )}
    </>
  );
}
