// Translation: t(key, vars) over the catalogs, the current language (browser, then the user's saved
// choice), and Intl formatters. In test mode (window.__ABRI_I18N_STRICT__) every missing key is
// recorded in window.__abriMissingKeys so browser tests fail on an untranslated string.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Locale } from '../api/types.js';
import { catalogs, type MessageKey } from './catalog.js';
import { formattersFor, type Formatters } from './format.js';

export type Vars = Record<string, string | number>;

declare global {
  interface Window {
    __ABRI_I18N_STRICT__?: boolean;
    __abriMissingKeys?: string[];
  }
}

function recordMissing(locale: Locale, key: string) {
  const entry = `${locale}:${key}`;
  if (typeof window === 'undefined') return;
  window.__abriMissingKeys ??= [];
  if (!window.__abriMissingKeys.includes(entry)) window.__abriMissingKeys.push(entry);
  if (window.__ABRI_I18N_STRICT__) console.error(`missing translation ${entry}`);
}

const interpolate = (s: string, vars?: Vars) => (vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s);

export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const s = catalogs[locale][key];
  if (s === undefined) {
    recordMissing(locale, key);
    return key;
  }
  return interpolate(s, vars);
}

export const isMessageKey = (key: string): key is MessageKey => key in catalogs.en;

export function browserLocale(): Locale {
  const saved = localStorage.getItem('abri.locale');
  if (saved === 'fr' || saved === 'en') return saved;
  for (const l of navigator.languages ?? [navigator.language]) {
    if (l.toLowerCase().startsWith('fr')) return 'fr';
    if (l.toLowerCase().startsWith('en')) return 'en';
  }
  return 'fr';
}

export interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  t(key: MessageKey, vars?: Vars): string;
  /** a key built at run time (error codes, enum values): the fallback when the catalog has none */
  tMaybe(key: string, fallback: string, vars?: Vars): string;
  fmt: Formatters;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(browserLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale(l) {
        localStorage.setItem('abri.locale', l);
        setLocaleState(l);
      },
      t: (key, vars) => translate(locale, key, vars),
      tMaybe: (key, fallback, vars) => (isMessageKey(key) ? translate(locale, key, vars) : fallback),
      fmt: formattersFor(locale),
    }),
    [locale],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
