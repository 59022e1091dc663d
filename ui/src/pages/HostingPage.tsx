// One hosting (/hostings/<name>), in tabs that are child routes: its sites and quotas (what it is,
// its quota bars, its sites table) and its databases; staff also suspend, reactivate or terminate it
// here. "Add a site" is offered only while the offer allows one more.
import { getRouteApi, Link, Outlet } from '@tanstack/react-router';
import type { Hosting } from '../api/model.js';
import { useOffers } from '../api/offers.js';
import { useGet } from '../api/query.js';
import { HostingQuotas } from '../components/HostingQuotas.js';
import { HostingService } from './billing/HostingService.js';
import { Notice } from '../components/Notice.js';
import { Loaded, Loading, Page, Section } from '../components/Page.js';
import { HostingWorksSection } from './works/WorkParts.js';
import { StatusBadge } from '../components/Status.js';
import { TabLinks } from '../components/Tabs.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession, type Session } from '../session.js';
import { CustomersCrumb } from './CustomerPage.js';
import { DatabasesTab } from './databases/DatabasesTab.js';
import { SftpTab } from './files/SftpTab.js';
import { FtpTab } from './ftp/FtpTab.js';
import { MailTab } from './mail/MailTab.js';
import { CronTab } from './cron/CronTab.js';
import { SnapshotsTab } from './snapshots/SnapshotsTab.js';
import { BackupsTab } from './backups/BackupsTab.js';
import { HostingActions } from './HostingActions.js';
import { SitesTable } from './SitesTable.js';

const route = getRouteApi('/hostings/$hosting');

export type HostingTab = 'overview' | 'databases' | 'sftp' | 'ftp' | 'cron' | 'mail' | 'snapshots' | 'backups';

/** The hosting of the current address, from the cache: its tabs share the page's answer and do not ask again when they open. */
function useHosting(opts: { tab?: boolean } = {}) {
  const { hosting } = route.useParams();
  return useGet('/hostings/{id}', { path: { id: hosting } }, opts.tab ? { refetchOnMount: false } : {});
}

export function HostingPage() {
  const answer = useHosting();
  return <Loaded query={answer}>{(h) => <HostingFrame hosting={h} />}</Loaded>;
}

export function HostingTabPanel({ tab }: { tab: HostingTab }) {
  const { data: hosting } = useHosting({ tab: true });
  const session = useSession();
  if (!hosting) return <Loading />;
  const writable = hostingWritable(hosting, session);
  if (tab === 'sftp') return <SftpTab hosting={hosting} writable={writable} />;
  if (tab === 'cron') return <CronTab hosting={hosting} writable={writable} />;
  if (tab === 'ftp') return <FtpTab hosting={hosting} writable={writable} />;
  if (tab === 'mail') return <MailTab hosting={hosting} writable={writable} />;
  if (tab === 'snapshots') return <SnapshotsTab hosting={hosting} writable={writable} />;
  if (tab === 'backups') return <BackupsTab hosting={hosting} writable={writable} />;
  return tab === 'databases' ? <DatabasesTab hosting={hosting} writable={writable} /> : <OverviewTab hosting={hosting} />;
}

/**
 * Whether the user may change this hosting's sites: not once terminated; while the hosting or its
 * customer is suspended (or the customer closed), only staff.
 */
export const hostingWritable = (h: Pick<Hosting, 'status' | 'customerId' | 'customerStatus'>, session: Session) =>
  h.status !== 'terminated' && ((h.status === 'active' && h.customerStatus === 'active') || session.isStaff) && session.canChange(h.customerId);

/**
 * Why a hosting (and its sites) cannot be changed, said once at the top of its pages: terminated;
 * its customer closed or suspended; the hosting suspended. Customers' users read that they may only
 * look; staff read what the customer's users see.
 */
export function HostingStateNotice({ hosting: h }: { hosting: Pick<Hosting, 'status' | 'customerStatus' | 'terminatedAt' | 'customerName'> }) {
  const { t, fmt } = useI18n();
  const { isStaff } = useSession();
  const notice = (text: string) => <Notice kind="warning"><p data-testid="read-only-notice">{text}</p></Notice>;
  if (h.status === 'terminated') return notice(t('hosting.terminatedNotice', { when: fmt.date(h.terminatedAt) }));
  if (h.customerStatus !== 'active') {
    const key = h.customerStatus === 'closed' ? (isStaff ? 'hosting.customerClosedStaff' : 'hosting.customerClosed') : isStaff ? 'hosting.customerSuspendedStaff' : 'hosting.customerSuspended';
    return notice(t(key, { customer: h.customerName }));
  }
  if (h.status === 'suspended') return notice(t(isStaff ? 'hosting.suspendedNotice' : 'hosting.suspendedReadOnly'));
  return null;
}

/** The crumbs of a hosting's pages: where it is listed, then its customer (for staff). */
export function useHostingCrumbs(h: Pick<Hosting, 'customerName' | 'customerNumber'>) {
  const { t } = useI18n();
  const session = useSession();
  return session.isStaff
    ? [<Link to="/staff/hostings" activeOptions={{ exact: true }}>{t('nav.hostings')}</Link>,
       <Link to="/customers/$customer" params={{ customer: String(h.customerNumber) }}>{h.customerName}</Link>]
    : [<CustomersCrumb />];
}

function HostingFrame({ hosting: h }: { hosting: Hosting }) {
  const { t } = useI18n();
  const session = useSession();
  const crumbs = useHostingCrumbs(h);
  const params = { hosting: route.useParams().hosting };
  const tabs = [
    { id: 'overview', link: <Link to="/hostings/$hosting" params={params} activeOptions={{ exact: true }}>{t('hostingTab.overview')}</Link> },
    { id: 'databases', link: <Link to="/hostings/$hosting/databases" params={params}>{t('hostingTab.databases')}</Link> },
    { id: 'sftp', link: <Link to="/hostings/$hosting/sftp" params={params}>{t('hostingTab.sftp')}</Link> },
    { id: 'ftp', link: <Link to="/hostings/$hosting/ftp" params={params}>{t('hostingTab.ftp')}</Link> },
    { id: 'mail', link: <Link to="/hostings/$hosting/mail" params={params}>{t('hostingTab.mail')}</Link> },
    { id: 'cron', link: <Link to="/hostings/$hosting/cron" params={params}>{t('hostingTab.cron')}</Link> },
    { id: 'snapshots', link: <Link to="/hostings/$hosting/snapshots" params={params}>{t('hostingTab.snapshots')}</Link> },
    { id: 'backups', link: <Link to="/hostings/$hosting/backups" params={params}>{t('hostingTab.backups')}</Link> },
  ];
  return (
    <Page title={t('hosting.title', { name: h.name })} crumbs={crumbs} subtitle={<>{h.customerName} · <StatusBadge status={h.status} /></>}
      actions={session.isStaff ? <HostingActions hosting={h} /> : undefined}>
      <HostingStateNotice hosting={h} />
      <TabLinks label={t('hostingTab.label')} tabs={tabs} />
      <div className="tab-panel">
        <Outlet />
      </div>
    </Page>
  );
}

function OverviewTab({ hosting: h }: { hosting: Hosting }) {
  const { t, fmt } = useI18n();
  const session = useSession();
  const { byId } = useOffers();
  const writable = hostingWritable(h, session);
  const sites = h.usage.sites;
  const full = !!sites && sites.used >= sites.max;
  return (
    <>
      <dl className="facts">
        <dt>{t('hosting.offer')}</dt><dd>{h.offerName}</dd>
        <dt>{t('hosting.phpDefault')}</dt><dd>{h.phpVersion}</dd>
        <dt>{t('hosting.home')}</dt><dd><code>{h.home}</code></dd>
        <dt>{t('hosting.created')}</dt><dd>{fmt.date(h.createdAt)}</dd>
      </dl>
      <Section title={t('hosting.quotas')}>
        <HostingQuotas hosting={h} offer={byId(h.offerId)} />
      </Section>
      <Section title={t('hosting.sites')}
        actions={writable && !full ? <Link to="/hostings/$hosting/sites/new" params={{ hosting: h.name }} className="button primary">{t('site.add')}</Link> : undefined}>
        {writable && full && <p className="hint" data-testid="sites-full">{t('hosting.sitesFull', { max: sites.max, offer: h.offerName })}</p>}
        <SitesTable hostingId={h.id} />
      </Section>
      <HostingService hosting={h} />
      <HostingWorksSection hostingId={h.id} title={t('works.forHosting')} />
    </>
  );
}
