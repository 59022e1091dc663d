// Who is logged in (GET /api/v1/me), their CSRF token, and the language saved on their account.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken, whenUnauthenticated } from './api/client.js';
import type { Locale, Me } from './api/types.js';
import { useI18n } from './i18n/i18n.js';

export interface Session {
  me: Me | null;
  loading: boolean;
  /** after login, setup or accepting an invitation: the answer is the new session */
  signedIn(me: Me): void;
  logout(): Promise<void>;
  refresh(): Promise<void>;
  /** changes the language, and saves it on the account when logged in */
  chooseLocale(l: Locale): Promise<void>;
  isStaff: boolean;
  /** whether the user may change a customer's hostings and sites */
  canChange(customerId: string): boolean;
  /** whether the user may manage a customer's delegations */
  isOwner(customerId: string): boolean;
}

const Ctx = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { setLocale } = useI18n();
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);

  const accept = useCallback(
    (m: Me | null) => {
      setCsrfToken(m?.csrfToken ?? null);
      setMe(m);
      if (m) setLocale(m.user.locale);
    },
    [setLocale],
  );

  const refresh = useCallback(async () => {
    try {
      accept(await api<Me>('GET', '/api/v1/me'));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
      accept(null);
    } finally {
      setLoading(false);
    }
  }, [accept]);

  useEffect(() => {
    whenUnauthenticated(() => accept(null));
    void refresh();
    return () => whenUnauthenticated(null);
  }, []);

  const staff = me?.user.role === 'admin' || me?.user.role === 'staff';
  const roleFor = (customerId: string) => me?.customers.find((c) => c.customerId === customerId)?.role;
  const value: Session = {
    me,
    loading,
    signedIn: accept,
    refresh,
    async logout() {
      try {
        await api('POST', '/api/v1/auth/logout');
      } finally {
        accept(null);
      }
    },
    async chooseLocale(l) {
      setLocale(l);
      if (me && me.user.locale !== l) accept(await api<Me>('PATCH', '/api/v1/me', { locale: l }));
    },
    isStaff: staff,
    canChange: (id) => staff || ['owner', 'manager'].includes(roleFor(id) ?? ''),
    isOwner: (id) => staff || roleFor(id) === 'owner',
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
