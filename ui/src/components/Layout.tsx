// The frame around every page: the public pages (login, setup, invitation) in a plain frame; the
// others behind the login, with a skip link, the header with the navigation for the user's role,
// the language switcher and logout.
import { Link, Navigate, Outlet, useNavigate, useRouter, useRouterState, useSearch } from '@tanstack/react-router';
import { useEffect, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/catalog.js';
import { useSession } from '../session.js';
import { LanguageSwitcher } from './LanguageSwitcher.js';
import { ReadOnlyBanner } from './ReadOnlyBanner.js';

const publicPaths = new Set(['/login', '/setup', '/invitation', '/password-reset', '/order']);

/** A local address to go back to after logging in (never another site). */
export const safeNext = (next: string | undefined) => (next && next.startsWith('/') && !next.startsWith('//') ? next : '/');

/** Replaces the address with a local one given as text (?next=…), once rendered. */
function GoTo({ href }: { href: string }) {
  const router = useRouter();
  useEffect(() => router.history.replace(href), [href, router]);
  return null;
}

export function AppFrame() {
  const { t } = useI18n();
  const session = useSession();
  const location = useRouterState({ select: (s) => s.location });
  const search = useSearch({ strict: false }) as { next?: string };
  const path = location.pathname.replace(/\/+$/, '') || '/';
  if (path === '/login' && session.me) return <GoTo href={safeNext(search.next)} />;
  if (path === '/order' && session.me) return <Layout><Outlet /></Layout>; // the order page, in the customer's area
  if (publicPaths.has(path)) return <PublicLayout><Outlet /></PublicLayout>;
  if (session.loading) return <p className="loading" role="status">{t('table.loading')}</p>;
  if (!session.me) return <Navigate to="/login" search={{ next: path === '/' ? undefined : location.href }} replace />;
  return <Layout><Outlet /></Layout>;
}

const customerNav = [{ to: '/', key: 'nav.dashboard' }, { to: '/orders', key: 'nav.orders' }, { to: '/invoices', key: 'nav.invoices' }, { to: '/account', key: 'nav.account' }] as const satisfies ReadonlyArray<{ to: string; key: MessageKey }>;
const staffNav = [
  { to: '/staff/customers', key: 'nav.customers' },
  { to: '/staff/hostings', key: 'nav.hostings' },
  { to: '/staff/offers', key: 'nav.offers' },
  { to: '/staff/servers', key: 'nav.servers' },
  { to: '/staff/zones', key: 'nav.zones' },
  { to: '/staff/certificates', key: 'nav.certificates' },
  { to: '/staff/jobs', key: 'nav.jobs' },
  { to: '/staff/backups', key: 'nav.backups' },
  { to: '/staff/works', key: 'nav.works' },
  { to: '/invoices', key: 'nav.invoices' },
  { to: '/orders', key: 'nav.orders' },
  { to: '/staff/outbox', key: 'nav.outbox' },
  { to: '/staff/held-mail', key: 'nav.heldMail' },
  { to: '/staff/users', key: 'nav.users' },
  { to: '/staff/audit', key: 'nav.audit' },
  { to: '/staff/read-only', key: 'nav.readOnly' },
  { to: '/account', key: 'nav.account' },
] as const satisfies ReadonlyArray<{ to: string; key: MessageKey }>;

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const items = session.isStaff ? staffNav : customerNav;
  const logout = async () => {
    await session.logout();
    await navigate({ to: '/login', search: { next: undefined } });
  };
  return (
    <>
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <header className="app-header">
        <Link to="/" className="brand" activeOptions={{ exact: true }}>Abri</Link>
        <nav aria-label={t('nav.main')} className="main-nav">
          <ul>
            {items.map(({ to, key }) => (
              <li key={to}>
                <Link to={to} activeOptions={{ exact: to === '/' }}>{t(key)}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-tools">
          <LanguageSwitcher />
          <span className="who" data-testid="who">{session.me?.user.email}</span>
          <button type="button" onClick={logout}>{t('nav.logout')}</button>
        </div>
      </header>
      <main id="main" className="app-main"><ReadOnlyBanner staff={session.isStaff} />{children}</main>
    </>
  );
}

/** The frame of the pages seen before logging in (login, setup, invitation). */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <header className="app-header app-header-public">
        <span className="brand">Abri</span>
        <div className="header-tools"><LanguageSwitcher /></div>
      </header>
      <main id="main" className="app-main narrow" aria-label={t('nav.main')}><ReadOnlyBanner />{children}</main>
    </>
  );
}
