// One hosting: what it is, its quotas, its sites table; staff also suspend or terminate it here.
import type { Hosting } from '../api/types.js';
import { useOffers } from '../api/offers.js';
import { useResource } from '../api/use-resource.js';
import { HostingQuotas } from '../components/HostingQuotas.js';
import { Notice } from '../components/Notice.js';
import { Loaded, Page, Section } from '../components/Page.js';
import { StatusBadge } from '../components/Status.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { HostingActions } from './HostingActions.js';
import { SitesTable } from './SitesTable.js';

export function HostingPage({ id }: { id: string }) {
  const hosting = useResource<Hosting>(`/api/v1/hostings/${encodeURIComponent(id)}`);
  return <Loaded resource={hosting}>{(h) => <HostingView hosting={h} changed={hosting.set} />}</Loaded>;
}

function HostingView({ hosting: h, changed }: { hosting: Hosting; changed(h: Hosting): void }) {
  const { t, fmt } = useI18n();
  const session = useSession();
  const { byId } = useOffers();
  const writable = h.status !== 'terminated' && session.canChange(h.customerId);
  const crumbs = session.isStaff
    ? [{ label: t('nav.hostings'), to: '/staff/hostings' }, { label: h.customerName, to: `/customers/${h.customerId}` }]
    : [{ label: t('nav.dashboard'), to: '/' }];
  return (
    <Page title={t('hosting.title', { name: h.name })} crumbs={crumbs} subtitle={<>{h.customerName} · <StatusBadge status={h.status} /></>}
      actions={session.isStaff ? <HostingActions hosting={h} changed={changed} /> : undefined}>
      {h.status === 'suspended' && <Notice kind="warning"><p>{t('hosting.suspendedNotice')}</p></Notice>}
      {h.status === 'terminated' && <Notice kind="warning"><p>{t('hosting.terminatedNotice', { when: fmt.date(h.terminatedAt) })}</p></Notice>}
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
        actions={writable ? <Link to={`/hostings/${h.id}/sites/new`} className="button primary">{t('site.add')}</Link> : undefined}>
        <SitesTable hostingId={h.id} />
      </Section>
    </Page>
  );
}
