// Who is logged in (GET /api/v1/me, cached by TanStack Query), their CSRF token, and their language:
// logging in adopts the language saved on the account; creating the first administrator or accepting
// an invitation keeps the language of the page the person used, and saves it on the new account.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { ApiError, setCsrfToken, whenUnauthenticated } from './api/client.js';
import type { Locale, Me } from './api/model.js';
import { call, queryClient } from './api/query.js';
import { useReadOnly } from './api/read-only.js';
import { useI18n } from './i18n/i18n.js';

export interface Session {
  me: Me | null;
  loading: boolean;
  /**
   * After logging in, setting up or accepting an invitation: the answer is the new session.
   * `keepLocale`: the page's language wins over the account's (saved on it when they differ).
   */
  signedIn(me: Me, opts?: { keepLocale?: boolean }): Promise<void>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
  /** changes the language, and saves it on the account when logged in */
  chooseLocale(l: Locale): Promise<void>;
  isStaff: boolean;
  /** whether the user may change a customer's hostings and sites (never while the platform is read-only, but for staff) */
  canChange(customerId: string): boolean;
  /** whether the user may manage a customer's delegations */
  isOwner(customerId: string): boolean;
}

const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: async ({ signal }): Promise<Me | null> => {
    try {
      return await call('get', '/me', {}, signal);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  staleTime: 60_000,
});

const setSession = (me: Me | null) => queryClient.setQueryData(sessionQuery.queryKey, me);
/** Drops every cached answer but the session's: the next user never sees the previous one's data. */
const forgetData = () => queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });

const Ctx = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { locale, setLocale } = useI18n();
  const answer = useQuery(sessionQuery);
  const me = answer.data ?? null;
  setCsrfToken(me?.csrfToken ?? null);

  useEffect(() => {
    whenUnauthenticated(() => {
      forgetData();
      setSession(null);
    });
    return () => whenUnauthenticated(null);
  }, []);

  // a user who logs in (or comes back logged in) reads in the language saved on their account
  const userId = me?.user.id;
  useEffect(() => {
    if (me) setLocale(me.user.locale);
  }, [userId]);

  const staff = me?.user.role === 'admin' || me?.user.role === 'staff';
  // while the platform is read-only, a customer's user changes nothing (the buttons say so by being disabled)
  const frozen = !!useReadOnly()?.active && !staff;
  const roleFor = (customerId: string) => me?.customers.find((c) => c.customerId === customerId || String(c.number) === customerId)?.role;
  const value: Session = {
    me,
    loading: answer.isPending,
    async signedIn(next, opts = {}) {
      setCsrfToken(next.csrfToken ?? null);
      if (opts.keepLocale && next.user.locale !== locale) next = await call('patch', '/me', { body: { locale } });
      forgetData();
      setSession(next);
    },
    refresh: async () => {
      await queryClient.invalidateQueries({ queryKey: sessionQuery.queryKey });
    },
    async logout() {
      try {
        await call('post', '/auth/logout', {});
      } finally {
        forgetData();
        setSession(null);
      }
    },
    async chooseLocale(l) {
      setLocale(l);
      if (me && me.user.locale !== l) setSession(await call('patch', '/me', { body: { locale: l } }));
    },
    isStaff: staff,
    canChange: (id) => staff || (!frozen && ['owner', 'manager'].includes(roleFor(id) ?? '')),
    isOwner: (id) => staff || (!frozen && roleFor(id) === 'owner'),
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
