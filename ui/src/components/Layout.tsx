// The frame around every logged-in page: skip link, header with the navigation for the user's
// role, language switcher and logout, then the page.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { LanguageSwitcher } from './LanguageSwitcher.js';
import type { MessageKey } from '../i18n/catalog.js';

const customerNav: Array<[string, MessageKey]> = [['/', 'nav.dashboard'], ['/account', 'nav.account']];
const staffNav: Array<[string, MessageKey]> = [
  ['/staff/customers', 'nav.customers'],
  ['/staff/hostings', 'nav.hostings'],
  ['/staff/offers', 'nav.offers'],
  ['/staff/servers', 'nav.servers'],
  ['/staff/zones', 'nav.zones'],
  ['/staff/certificates', 'nav.certificates'],
  ['/staff/users', 'nav.users'],
  ['/staff/audit', 'nav.audit'],
  ['/account', 'nav.account'],
];

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const session = useSession();
  const { path } = useLocation();
  const items = session.isStaff ? staffNav : customerNav;
  const active = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));
  const logout = async () => {
    await session.logout();
    navigate('/login');
  };
  return (
    <>
      <a className="skip-link" href="#main">{t('nav.skip')}</a>
      <header className="app-header">
        <Link to="/" className="brand">Abri</Link>
        <nav aria-label={t('nav.main')} className="main-nav">
          <ul>
            {items.map(([to, key]) => (
              <li key={to}>
                <Link to={to} aria-current={active(to) ? 'page' : undefined}>{t(key)}</Link>
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
      <main id="main" className="app-main">{children}</main>
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
      <main id="main" className="app-main narrow" aria-label={t('nav.main')}>{children}</main>
    </>
  );
}
