// Checks that a page shows no string of the other language: every visible text (and the labels
// screen readers hear) is collected in English and in French; a text of the other catalog, or one
// that stays the same across the switch without being data or a word both languages share, fails.
import type { Page } from 'playwright-core';
import { en, formsOf, fr, type Message } from '../../ui/src/i18n/catalog.js';

type Catalog = Record<string, Message>;
/** Every sentence without variables, by key (plural messages give one entry per form). */
const withoutVars = (c: Catalog) => Object.entries(c).flatMap(([k, m]) => formsOf(m).map((v, i) => [`${k}#${i}`, v] as const)).filter(([, v]) => !v.includes('{'));
const enForms = new Map(withoutVars(en));
const frForms = new Map(withoutVars(fr));
const enOnly = new Set([...enForms].filter(([k, v]) => frForms.get(k) !== v).map(([, v]) => v));
const frOnly = new Set([...frForms].filter(([k, v]) => enForms.get(k) !== v).map(([, v]) => v));
const shared = new Set([...enForms].filter(([k, v]) => frForms.get(k) === v).map(([, v]) => v));

/** Pieces of text that are data, not words of the UI: emails, domains, system names, ids, numbers. */
const dataPatterns = [
  /[\w.+-]+@[\w.-]+/g,
  /\b[\p{L}\d-]+(\.[\p{L}\d-]+)+\b/gu,
  /\bh\d{6}\b/g,
  /\b[0-9a-f]{8}-[0-9a-f-]{27}\b/g,
  /\b(PHP|Abri|Français|English|EUR|abri_\w+)\b/g,
];

export function isData(text: string, extra: string[]): boolean {
  let rest = text;
  for (const token of extra) rest = rest.split(token).join(' ');
  for (const re of dataPatterns) rest = rest.replace(re, ' ');
  return !/\p{L}/u.test(rest);
}

/** Visible texts of the page, plus aria-labels, option texts and the document title. */
export async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      const text = walker.currentNode.textContent?.trim();
      if (!el || !text || el.closest('code, script, style')) continue;
      if (!el.checkVisibility()) continue;
      // text marked as another language on purpose (the language switcher's "Français" / "English")
      if (el.closest('[lang]')?.getAttribute('lang') !== document.documentElement.lang) continue;
      out.push(text);
    }
    for (const el of document.querySelectorAll('[aria-label]')) {
      if ((el as HTMLElement).checkVisibility?.() !== false) out.push(el.getAttribute('aria-label')!.trim());
    }
    for (const o of document.querySelectorAll('option')) if (o.textContent?.trim()) out.push(o.textContent.trim());
    out.push(document.title.replace(/ · Abri$/, ''));
    return out;
  });
}

export interface LanguageReport {
  /** strings of the other language found on the page */
  foreign: string[];
  /** strings unchanged by the switch that are neither data nor shared words */
  unchanged: string[];
}

/** Compares the texts seen in one language with those seen in the other, on the same page. */
export function compareLanguages(texts: { en: string[]; fr: string[] }, data: string[]): { en: LanguageReport; fr: LanguageReport } {
  const inBoth = new Set(texts.en.filter((s) => texts.fr.includes(s)));
  const report = (mine: string[], other: Set<string>): LanguageReport => ({
    foreign: [...new Set(mine.filter((s) => other.has(s)))],
    unchanged: [...new Set(mine.filter((s) => inBoth.has(s) && !shared.has(s) && !isData(s, data)))],
  });
  return { en: report(texts.en, frOnly), fr: report(texts.fr, enOnly) };
}

/**
 * The error codes the API declares (every operation's error responses in the OpenAPI document, built
 * from the route declarations) that a catalog does not translate as `error.<code>`.
 */
export function untranslatedErrorCodes(doc: { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> }): { en: string[]; fr: string[]; declared: string[] } {
  const declared = new Set<string>();
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      for (const response of Object.values(op.responses ?? {})) {
        const schema = (response as { content?: Record<string, { schema?: { allOf?: Array<{ properties?: { code?: { enum?: string[] } } }> } }> }).content?.['application/problem+json']?.schema;
        for (const part of schema?.allOf ?? []) for (const code of part.properties?.code?.enum ?? []) declared.add(code);
      }
    }
  }
  const missing = (c: Catalog) => [...declared].filter((code) => !(`error.${code}` in c)).sort();
  return { en: missing(en), fr: missing(fr), declared: [...declared].sort() };
}
