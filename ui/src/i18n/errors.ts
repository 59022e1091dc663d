// What the API's errors say, in the reader's language: by the problem's `code` and `params`, by each
// field issue's `code` and `params`, and by the `code`/`params` servers report on an object. Never by
// reading the English sentences; a code without a translation shows the API's English, marked so.
import { ApiError, type FieldIssue, type Params } from '../api/client.js';
import type { I18n, Phrase } from './i18n.js';

type Translator = Pick<I18n, 'has' | 'phrase' | 'english' | 't'>;

/** The first key the catalog has, rendered with the params; else the English sentence. */
function firstOf(i18n: Translator, keys: string[], params: Params, english: string): Phrase {
  const key = keys.find((k) => i18n.has(k));
  return key ? i18n.phrase(key, english, params) : i18n.english(english);
}

/** Keys for a code whose sentence may use one of its params (`error.<code>.<param>` when it is there). */
const withParams = (base: string, params: Params) => [...Object.keys(params).filter((k) => params[k] !== null && params[k] !== undefined).sort().map((k) => `${base}.${k}`), base];

/** A wait of two minutes or more is said in minutes (rounded up): "wait 5 minutes", not "wait 287 seconds". */
function withMinutes(params: Params): Params {
  const seconds = Number(params.retryAfterSeconds);
  return Number.isFinite(seconds) && seconds >= 120 ? { ...params, retryAfterMinutes: Math.ceil(seconds / 60) } : params;
}

/** A problem (or any error) as a sentence for the reader. */
export function problemPhrase(e: unknown, i18n: Translator): Phrase {
  if (!(e instanceof ApiError)) return { text: i18n.t('error.unknown') };
  if (e.code === 'network') return { text: i18n.t('error.network') };
  const english = e.detail || i18n.t('error.unknown');
  const params = withMinutes(e.params);
  return firstOf(i18n, withParams(`error.${e.code}`, params), params, english);
}

/** One field's issue as a sentence: by field and code, zod's codes by their kind (origin, format), then the API's own codes. */
export function issuePhrase(issue: FieldIssue, i18n: Translator): Phrase {
  const params = issue.params ?? {};
  const keys: string[] = [];
  // a field may say it its own way (a TTL's minimum is in seconds)
  const field = issue.path.split('.')[1];
  if (field) keys.push(`issue.${field}.${issue.code}`);
  if (issue.code === 'too_small' && params.origin === 'string' && Number(params.minimum) === 1) keys.push('issue.required');
  for (const kind of [params.origin, params.format]) if (typeof kind === 'string') keys.push(`issue.${issue.code}.${kind}`);
  keys.push(...withParams(`issue.${issue.code}`, params), ...withParams(`error.${issue.code}`, params));
  return firstOf(i18n, keys, params, issue.message);
}

/** What a server reported on an object (a site, a zone, a certificate): by code, else its message as it is. */
export function reportPhrase(report: { code?: unknown; params?: unknown; message?: string | null }, i18n: Translator): Phrase | null {
  const params = (report.params && typeof report.params === 'object' ? report.params : {}) as Params;
  if (typeof report.code === 'string' && report.code) {
    return firstOf(i18n, [...withParams(`report.${report.code}`, params), ...withParams(`error.${report.code}`, params)], params, report.message ?? report.code);
  }
  return report.message ? i18n.english(report.message) : null;
}
