// What every pure renderer returns, and the checks that keep outside input out of config syntax.
import { AppError } from './errors.js';

/** One rendered config file: a path relative to the renderer's output directory, its text and mode. */
export interface RenderedFile {
  path: string;
  content: string;
  mode: number;
}

/** Thrown by renderers on input that must never reach a config file (defence in depth). */
export const renderError = (what: string, value: unknown, reason: string) =>
  new AppError('render.invalid', `cannot render ${what} ${JSON.stringify(value)}: ${reason}`, {
    details: { what },
    params: { what, value: (JSON.stringify(value) ?? String(value)).slice(0, 300), reason },
  });

// Control characters (incl. newlines), quotes, backslashes and config-significant characters.
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029"'\\`$<>{}|;#%\s]/;

/** A token that can appear in any config file unquoted or quoted: no spaces, quotes, newlines, ... */
export function safeToken(what: string, value: unknown, pattern: RegExp = /^[A-Za-z0-9._:@+-]+$/): string {
  if (typeof value !== 'string' || value === '' || value.length > 255 || unsafe.test(value) || !pattern.test(value)) {
    throw renderError(what, value, 'contains characters that are not allowed in a config file');
  }
  return value;
}

const absolute = /^\/(?:[A-Za-z0-9._+@-]+\/)*[A-Za-z0-9._+@-]+$/;

/** An absolute, normalised path made of safe characters (no `.`/`..` segments, no trailing slash). */
export function safePath(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 1000 || !absolute.test(value)) {
    throw renderError(what, value, 'must be an absolute path of letters, digits and . _ + @ -');
  }
  if (value.split('/').some((s) => s === '.' || s === '..')) throw renderError(what, value, 'must not contain "." or ".." segments');
  return value;
}

/** A whole number within bounds. */
export function safeInt(what: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw renderError(what, value, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A single config line written verbatim by staff (extra directives): one line, no control characters. */
export function safeLine(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 2000 || /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) {
    throw renderError(what, value, 'must be one non-empty line without control characters');
  }
  return value;
}

/** A Unix user or group name (hosting names like h100000, www-data). */
export const safeUserName = (what: string, value: unknown) => safeToken(what, value, /^[a-z_][a-z0-9_-]{0,31}$/);

/** Sorted by a string key, so rendered output does not depend on input order. */
export const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
