// Translation: t(key, vars) over the catalogs, with plural forms chosen by Intl.PluralRules; the
// current language (the one chosen in this browser, else the browser's, then the user's saved
// choice once logged in); and Intl formatters. In test mode (window.__ABRI_I18N_STRICT__) every
// missing key is recorded in window.__abriMissingKeys so browser tests fail on an untranslated string.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Locale } from '../api/model.js';
import { catalogs, type Message, type MessageKey } from './catalog.js';
import { formattersFor, type Formatters } from './format.js';

export type Vars = Record<string, unknown>;

/** A sentence to show, and its language when it is not the reader's (the API's English, untranslated). */
export interface Phrase {
  text: string;
  lang?: Locale;
}

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

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * A value inserted in a sentence: lists and dates written the reader's way; numbers too when they are
 * quantities from the API (`numbers: true`), as they are otherwise (a caller formats its own counts).
 */
function show(fmt: Formatters, v: unknown, numbers: boolean): string {
  if (typeof v === 'number') return numbers ? fmt.number(v) : String(v);
  if (Array.isArray(v)) return fmt.list(v.map((x) => show(fmt, x, numbers)));
  if (typeof v === 'string' && isoDate.test(v)) return fmt.date(v);
  if (v === null || v === undefined) return '';
  return String(v);
}

const plurals = new Map<Locale, Intl.PluralRules>();
function pluralOf(locale: Locale, n: number) {
  let rules = plurals.get(locale);
  if (!rules) plurals.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules.select(n);
}

/** The form of a message for these variables: a plural message picks its form by its count. */
function form(locale: Locale, m: Message, vars: Vars | undefined): string {
  if (typeof m === 'string') return m;
  const n = Number(vars?.[m.n ?? 'count'] ?? 0);
  if (n === 0 && m.zero !== undefined) return m.zero;
  const category = pluralOf(locale, n);
  return (category === 'one' ? m.one : m.other) ?? m.other;
}

export function render(locale: Locale, m: Message, vars?: Vars, fmt: Formatters = formattersFor(locale), numbers = false): string {
  const s = form(locale, m, vars);
  return vars ? s.replace(/\{(\w+)\}/g, (all, k: string) => (k in vars ? show(fmt, vars[k], numbers) : all)) : s;
}

export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const m = catalogs[locale][key];
  if (m === undefined) {
    recordMissing(locale, key);
    return key;
  }
  return render(locale, m, vars);
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
  /** whether the catalog has this key (built at run time from an error code, say) */
  has(key: string): boolean;
  /** the phrase of a key built at run time (numbers in `vars` are quantities), or the API's English sentence marked as such */
  phrase(key: string, english: string, vars?: Vars): Phrase;
  /** a sentence of the API that has no translation: shown as it is, marked as English */
  english(text: string): Phrase;
  fmt: Formatters;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(browserLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(() => {
    const fmt = formattersFor(locale);
    const known = (key: string) => isMessageKey(key) && catalogs[locale][key] !== undefined;
    return {
      locale,
      setLocale(l) {
        localStorage.setItem('abri.locale', l);
        setLocaleState(l);
      },
      t: (key, vars) => (catalogs[locale][key] === undefined ? translate(locale, key, vars) : render(locale, catalogs[locale][key], vars, fmt)),
      tMaybe: (key, fallback, vars) => (known(key) ? render(locale, catalogs[locale][key as MessageKey], vars, fmt) : fallback),
      has: known,
      phrase: (key, english, vars) => (known(key) ? { text: render(locale, catalogs[locale][key as MessageKey], vars, fmt, true) } : { text: english, lang: locale === 'en' ? undefined : 'en' }),
      english: (text) => ({ text, lang: locale === 'en' ? undefined : 'en' }),
      fmt,
    };
  }, [locale]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** A phrase in the page: marked with its language when it is not the reader's, for screen readers. */
export function Say({ phrase }: { phrase: Phrase }) {
  return phrase.lang ? <span lang={phrase.lang}>{phrase.text}</span> : <>{phrase.text}</>;
}
