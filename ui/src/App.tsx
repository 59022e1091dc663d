// Which page answers which address, for whom: public pages (login, setup, invitation), then the
// customer area and the staff area behind the login.
import type { ReactNode } from 'react';
import { Layout, PublicLayout } from './components/Layout.js';
import { NotFound } from './components/Page.js';
import { useI18n } from './i18n/i18n.js';
import { AccountPage } from './pages/account/AccountPage.js';
import { CustomerPage } from './pages/CustomerPage.js';
import { DashboardPage } from './pages/DashboardPage.js';
import { HostingPage } from './pages/HostingPage.js';
import { InvitationPage } from './pages/InvitationPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { SetupPage } from './pages/SetupPage.js';
import { EditSitePage, NewSitePage } from './pages/SiteFormPage.js';
import { SitePage } from './pages/SitePage.js';
import { AuditPage } from './pages/staff/AuditPage.js';
import { CertificatesPage } from './pages/staff/CertificatesPage.js';
import { EditCustomerPage, NewCustomerPage } from './pages/staff/CustomerFormPage.js';
import { CustomersPage } from './pages/staff/CustomersPage.js';
import { HostingsPage, NewHostingPage } from './pages/staff/HostingsPage.js';
import { NewServerPage } from './pages/staff/NewServerPage.js';
import { EditOfferPage, NewOfferPage } from './pages/staff/OfferFormPage.js';
import { OffersPage } from './pages/staff/OffersPage.js';
import { ServersPage } from './pages/staff/ServersPage.js';
import { UsersPage } from './pages/staff/UsersPage.js';
import { ZonePage } from './pages/staff/ZonePage.js';
import { ZonesPage } from './pages/staff/ZonesPage.js';
import { match, Redirect, useLocation } from './router.js';
import { useSession } from './session.js';

type Params = Record<string, string>;
type Route = [pattern: string, render: (p: Params) => ReactNode, staffOnly?: boolean];

const routes: Route[] = [
  ['/customers/:id', (p) => <CustomerPage key={p.id} id={p.id} />],
  ['/customers/:id/edit', (p) => <EditCustomerPage key={p.id} id={p.id} />],
  ['/hostings/:id', (p) => <HostingPage key={p.id} id={p.id} />],
  ['/hostings/:id/sites/new', (p) => <NewSitePage key={p.id} hostingId={p.id} />],
  ['/sites/:id', (p) => <SitePage key={p.id} id={p.id} tab="web" />],
  ['/sites/:id/dns', (p) => <SitePage key={p.id} id={p.id} tab="dns" />],
  ['/sites/:id/certificate', (p) => <SitePage key={p.id} id={p.id} tab="certificate" />],
  ['/sites/:id/edit', (p) => <EditSitePage key={p.id} siteId={p.id} />],
  ['/account', () => <AccountPage />],
  ['/staff/customers', () => <CustomersPage />, true],
  ['/staff/customers/new', () => <NewCustomerPage />, true],
  ['/staff/offers', () => <OffersPage />, true],
  ['/staff/offers/new', () => <NewOfferPage />, true],
  ['/staff/offers/:id', (p) => <EditOfferPage key={p.id} id={p.id} />, true],
  ['/staff/hostings', () => <HostingsPage />, true],
  ['/staff/hostings/new', () => <NewHostingPage />, true],
  ['/staff/servers', () => <ServersPage />, true],
  ['/staff/servers/new', () => <NewServerPage />, true],
  ['/staff/zones', () => <ZonesPage />, true],
  ['/staff/zones/:id', (p) => <ZonePage key={p.id} id={p.id} />, true],
  ['/staff/certificates', () => <CertificatesPage />, true],
  ['/staff/users', () => <UsersPage />, true],
  ['/staff/audit', () => <AuditPage />, true],
];

function LoggedInPage({ path }: { path: string }) {
  const { isStaff } = useSession();
  if (path === '/') {
    return isStaff ? <Redirect to="/staff/customers" /> : <DashboardPage />;
  }
  for (const [pattern, render, staffOnly] of routes) {
    const params = match(pattern, path);
    if (params && (!staffOnly || isStaff)) return <>{render(params)}</>;
  }
  return <NotFound />;
}

export function App() {
  const { t } = useI18n();
  const session = useSession();
  const { path } = useLocation();
  if (path === '/setup') return <PublicLayout><SetupPage /></PublicLayout>;
  if (path === '/invitation') return <PublicLayout><InvitationPage /></PublicLayout>;
  if (session.loading) return <p className="loading" role="status">{t('table.loading')}</p>;
  if (!session.me) {
    if (path !== '/login') return <Redirect to={`/login${path === '/' ? '' : `?next=${encodeURIComponent(path + location.search)}`}`} />;
    return <PublicLayout><LoginPage /></PublicLayout>;
  }
  if (path === '/login') return <Redirect to="/" />;
  return <Layout><LoggedInPage key={path} path={path} /></Layout>;
}
