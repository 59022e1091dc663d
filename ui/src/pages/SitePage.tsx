// One site (/sites/<domain>), in tabs that are child routes: Web (settings and provisioning state),
// DNS (its zones and records) and Certificate. The site is read once and stays cached from tab to
// tab; while its servers apply a change, it is asked again every few seconds.
import { getRouteApi, Link, Outlet, useNavigate } from '@tanstack/react-router';
import type { Site } from '../api/model.js';
import { call, refreshAll, useGet } from '../api/query.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { Loaded, Loading, Page, Section } from '../components/Page.js';
import { ProvisioningServers, ProvisioningState, StatusBadge } from '../components/Status.js';
import { TabLinks } from '../components/Tabs.js';
import { useI18n } from '../i18n/i18n.js';
import { CertificateTab } from './certs/CertificateTab.js';
import { DnsTab } from './dns/DnsTab.js';
import { PhpSettings } from './php/PhpSettings.js';
import { LogsTab } from './logs/LogsTab.js';
import { HostingStateNotice } from './HostingPage.js';
import { useSiteWritable } from './site-writable.js';

export type SiteTab = 'web' | 'dns' | 'certificate' | 'logs';
export const POLL_MS = 2000;

const route = getRouteApi('/sites/$site');

/**
 * The site of the current address, from the cache: its tabs share the page's answer (kept fresh by
 * the page: polling while pending, and after every change) and never ask again when they open.
 */
function useSite(opts: { tab?: boolean } = {}) {
  const { site } = route.useParams();
  return useGet('/sites/{id}', { path: { id: site } }, opts.tab
    ? { refetchOnMount: false }
    : { refetchInterval: (q) => (q.state.data?.provisioning?.status === 'pending' ? POLL_MS : false) });
}

export function SitePage() {
  const answer = useSite();
  return <Loaded query={answer}>{(s) => <SiteFrame site={s} />}</Loaded>;
}

function SiteFrame({ site }: { site: Site }) {
  const { t } = useI18n();
  const hosting = useGet('/hostings/{id}', { path: { id: site.hostingId } });
  const params = { site: route.useParams().site };
  const tabs = [
    { id: 'web', link: <Link to="/sites/$site" params={params} activeOptions={{ exact: true }}>{t('siteTab.web')}</Link> },
    { id: 'dns', link: <Link to="/sites/$site/dns" params={params}>{t('siteTab.dns')}</Link> },
    { id: 'certificate', link: <Link to="/sites/$site/certificate" params={params}>{t('siteTab.certificate')}</Link> },
    { id: 'logs', link: <Link to="/sites/$site/logs" params={params}>{t('siteTab.logs')}</Link> },
  ];
  return (
    <Page title={site.domainUnicode} crumbs={[<Link to="/hostings/$hosting" params={{ hosting: site.hostingName }}>{site.hostingName}</Link>]}
      subtitle={<ProvisioningState provisioning={site.provisioning} />}>
      {hosting.data && <HostingStateNotice hosting={hosting.data} />}
      <TabLinks label={t('siteTab.label')} tabs={tabs} />
      <div className="tab-panel">
        <Outlet />
      </div>
    </Page>
  );
}

export function SiteTabPanel({ tab }: { tab: SiteTab }) {
  const { data: site } = useSite({ tab: true });
  if (!site) return <Loading />;
  if (tab === 'dns') return <DnsTab site={site} />;
  if (tab === 'certificate') return <CertificateTab site={site} />;
  if (tab === 'logs') return <LogsTab site={site} />;
  return <WebTab site={site} />;
}

function WebTab({ site }: { site: Site }) {
  const { t, fmt } = useI18n();
  const navigate = useNavigate();
  const writable = useSiteWritable(site);
  const remove = async () => {
    await call('delete', '/sites/{id}', { path: { id: site.id } });
    await navigate({ to: '/hostings/$hosting', params: { hosting: site.hostingName } });
    refreshAll();
  };
  return (
    <>
      <Section title={t('site.provisioning')}>
        <ProvisioningState provisioning={site.provisioning} detailed />
        <ProvisioningServers provisioning={site.provisioning} />
      </Section>
      <Section title={t('site.settings')}
        actions={writable ? <Link to="/sites/$site/edit" params={{ site: site.domain }} className="button primary">{t('site.edit')}</Link> : undefined}>
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
      <PhpSettings site={site} writable={writable} />
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
