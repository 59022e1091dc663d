// Which page answers which address (TanStack Router): the public pages (login, setup, invitation),
// then the customer area and the staff area behind the login. Addresses name things the way people
// do: customers by number, hostings by name, sites and zones by domain.
import { createRootRoute, createRoute, createRouter, Outlet } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { AppFrame } from './components/Layout.js';
import { NotFound } from './components/Page.js';
import { AccountPage } from './pages/account/AccountPage.js';
import { CustomerPage } from './pages/CustomerPage.js';
import { HomePage } from './pages/DashboardPage.js';
import { HostingPage, HostingTabPanel } from './pages/HostingPage.js';
import { InvitationPage } from './pages/InvitationPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { PasswordResetPage } from './pages/PasswordResetPage.js';
import { SetupPage } from './pages/SetupPage.js';
import { EditSitePage, NewSitePage } from './pages/SiteFormPage.js';
import { SitePage, SiteTabPanel } from './pages/SitePage.js';
import { AuditPage } from './pages/staff/AuditPage.js';
import { BackupsPage } from './pages/staff/BackupsPage.js';
import { CertificatesPage } from './pages/staff/CertificatesPage.js';
import { EditCustomerPage, NewCustomerPage } from './pages/staff/CustomerFormPage.js';
import { CustomersPage } from './pages/staff/CustomersPage.js';
import { HostingsPage, NewHostingPage } from './pages/staff/HostingsPage.js';
import { JobPage } from './pages/staff/JobPage.js';
import { JobsPage } from './pages/staff/JobsPage.js';
import { OutboxPage, OutgoingMailPage } from './pages/staff/OutboxPage.js';
import { HeldMailPage } from './pages/staff/HeldMailPage.js';
import { NewServerPage } from './pages/staff/NewServerPage.js';
import { EditOfferPage, NewOfferPage } from './pages/staff/OfferFormPage.js';
import { OffersPage } from './pages/staff/OffersPage.js';
import { ReadOnlyPage } from './pages/staff/ReadOnlyPage.js';
import { MailHealthPage } from './pages/staff/MailHealthPage.js';
import { ServersPage } from './pages/staff/ServersPage.js';
import { StaffOnly } from './pages/staff/StaffOnly.js';
import { UsersPage } from './pages/staff/UsersPage.js';
import { ZonePage } from './pages/staff/ZonePage.js';
import { ZonesPage } from './pages/staff/ZonesPage.js';
import { CustomerWorkPage, StaffWorkPage } from './pages/works/WorkPage.js';
import { NewWorkPage, WorksPage } from './pages/works/WorksPage.js';
import { InvoicePage } from './pages/billing/InvoicePage.js';
import { InvoicesPage } from './pages/billing/InvoicesPage.js';
import { SellerPage } from './pages/billing/SellerPage.js';
import { OrderPublicPage } from './pages/orders/OrderPublicPage.js';
import { OrdersPage } from './pages/orders/OrdersPage.js';
import { OrderPage } from './pages/orders/OrderPage.js';
import { WorkChannelsPage } from './pages/works/WorkChannelsPage.js';
import { PublicationPage } from './pages/works/PublicationPage.js';

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

const root = createRootRoute({ component: AppFrame, notFoundComponent: NotFound });

const login = createRoute({ getParentRoute: () => root, path: '/login', component: LoginPage, validateSearch: (s: Record<string, unknown>) => ({ next: text(s.next) }) });
const setup = createRoute({ getParentRoute: () => root, path: '/setup', component: SetupPage });
const invitation = createRoute({ getParentRoute: () => root, path: '/invitation', component: InvitationPage });
const passwordReset = createRoute({ getParentRoute: () => root, path: '/password-reset', component: PasswordResetPage });

const home = createRoute({ getParentRoute: () => root, path: '/', component: HomePage });
const account = createRoute({ getParentRoute: () => root, path: '/account', component: AccountPage });
const customer = createRoute({ getParentRoute: () => root, path: '/customers/$customer', component: CustomerPage });
const work = createRoute({ getParentRoute: () => root, path: '/works/$work', component: CustomerWorkPage });
const invoices = createRoute({ getParentRoute: () => root, path: '/invoices', component: InvoicesPage });
const orderPublic = createRoute({ getParentRoute: () => root, path: '/order', component: OrderPublicPage });
const orders = createRoute({ getParentRoute: () => root, path: '/orders', component: OrdersPage });
const order = createRoute({ getParentRoute: () => root, path: '/orders/$order', component: OrderPage });
const invoice = createRoute({ getParentRoute: () => root, path: '/invoices/$invoice', component: InvoicePage });
const customerEdit = createRoute({ getParentRoute: () => root, path: '/customers/$customer/edit', component: EditCustomerPage });
// a hosting's tabs are child routes too (its sites and quotas, its databases, its FTP users)
const hosting = createRoute({ getParentRoute: () => root, path: '/hostings/$hosting', component: HostingPage });
const hostingOverview = createRoute({ getParentRoute: () => hosting, path: '/', component: () => <HostingTabPanel tab="overview" /> });
const hostingDatabases = createRoute({ getParentRoute: () => hosting, path: '/databases', component: () => <HostingTabPanel tab="databases" /> });
const hostingSftp = createRoute({ getParentRoute: () => hosting, path: '/sftp', component: () => <HostingTabPanel tab="sftp" /> });
const hostingFtp = createRoute({ getParentRoute: () => hosting, path: '/ftp', component: () => <HostingTabPanel tab="ftp" /> });
const hostingMail = createRoute({ getParentRoute: () => hosting, path: '/mail', component: () => <HostingTabPanel tab="mail" /> });
const hostingCron = createRoute({ getParentRoute: () => hosting, path: '/cron', component: () => <HostingTabPanel tab="cron" /> });
const hostingSnapshots = createRoute({ getParentRoute: () => hosting, path: '/snapshots', component: () => <HostingTabPanel tab="snapshots" /> });
const hostingBackups = createRoute({ getParentRoute: () => hosting, path: '/backups', component: () => <HostingTabPanel tab="backups" /> });
const siteNew = createRoute({ getParentRoute: () => root, path: '/hostings/$hosting/sites/new', component: NewSitePage });

// a site's tabs are child routes: the site page stays mounted (and its data cached) from tab to tab
const site = createRoute({ getParentRoute: () => root, path: '/sites/$site', component: SitePage });
const siteWeb = createRoute({ getParentRoute: () => site, path: '/', component: () => <SiteTabPanel tab="web" /> });
const siteDns = createRoute({ getParentRoute: () => site, path: '/dns', component: () => <SiteTabPanel tab="dns" /> });
const siteCertificate = createRoute({ getParentRoute: () => site, path: '/certificate', component: () => <SiteTabPanel tab="certificate" /> });
const siteLogs = createRoute({ getParentRoute: () => site, path: '/logs', component: () => <SiteTabPanel tab="logs" /> });
const siteEdit = createRoute({ getParentRoute: () => root, path: '/sites/$site/edit', component: EditSitePage });

const staff = createRoute({ getParentRoute: () => root, path: '/staff', component: () => <StaffOnly><Outlet /></StaffOnly> });
const staffChild = <P extends string>(path: P, component: () => ReactNode) => createRoute({ getParentRoute: () => staff, path, component });
const staffRoutes = [
  staffChild('/customers', CustomersPage),
  staffChild('/customers/new', NewCustomerPage),
  staffChild('/offers', OffersPage),
  staffChild('/offers/new', NewOfferPage),
  createRoute({ getParentRoute: () => staff, path: '/offers/$offer', component: EditOfferPage }),
  staffChild('/hostings', HostingsPage),
  createRoute({ getParentRoute: () => staff, path: '/hostings/new', component: NewHostingPage, validateSearch: (s: Record<string, unknown>) => ({ customer: text(s.customer) }) }),
  staffChild('/servers', ServersPage),
  staffChild('/servers/new', NewServerPage),
  createRoute({ getParentRoute: () => staff, path: '/servers/$server/mail-health', component: MailHealthPage }),
  createRoute({ getParentRoute: () => staff, path: '/zones', component: ZonesPage, validateSearch: (s: Record<string, unknown>) => ({ customer: text(s.customer) }) }),
  createRoute({ getParentRoute: () => staff, path: '/zones/$zone', component: ZonePage }),
  staffChild('/certificates', CertificatesPage),
  staffChild('/jobs', JobsPage),
  staffChild('/backups', BackupsPage),
  createRoute({ getParentRoute: () => staff, path: '/jobs/$job', component: JobPage }),
  staffChild('/works', WorksPage),
  staffChild('/works/new', NewWorkPage),
  staffChild('/work-channels', WorkChannelsPage),
  staffChild('/works/publication', PublicationPage),
  createRoute({ getParentRoute: () => staff, path: '/works/$work', component: StaffWorkPage }),
  staffChild('/outbox', OutboxPage),
  createRoute({ getParentRoute: () => staff, path: '/outbox/$message', component: OutgoingMailPage }),
  staffChild('/held-mail', HeldMailPage),
  staffChild('/users', UsersPage),
  staffChild('/audit', AuditPage),
  staffChild('/read-only', ReadOnlyPage),
  staffChild('/billing', SellerPage),
] as const;

const routeTree = root.addChildren([
  login, setup, invitation, passwordReset, home, account, customer, customerEdit, work, invoices, invoice, orderPublic, orders, order, hosting.addChildren([hostingOverview, hostingDatabases, hostingSftp, hostingFtp, hostingMail, hostingCron, hostingSnapshots, hostingBackups]), siteNew,
  site.addChildren([siteWeb, siteDns, siteCertificate, siteLogs]), siteEdit,
  staff.addChildren(staffRoutes),
]);

// a page opened for another object (another site) starts afresh: its title takes the focus again
export const router = createRouter({ routeTree, scrollRestoration: true, defaultNotFoundComponent: NotFound, defaultRemountDeps: ({ params }) => params });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
