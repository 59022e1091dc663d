// Shared input rules: every string that comes from outside goes through one of these.
import { z } from 'zod';
import { checkRegistrable, normaliseDocumentRoot, normaliseDomain, normaliseLabel, type Checked } from './names.js';

// C0/C1 control characters and the Unicode line/paragraph separators; \t and \n allowed where said.
const controlChars = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const anyNewline = /[\r\n\t]/;
// a lone UTF-16 surrogate has no UTF-8 form: PostgreSQL refuses it (in jsonb) instead of storing it
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed = (s: string) => !loneSurrogate.test(s);

/** A one-line text: trimmed, no control characters, bounded. */
export const singleLine = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !controlChars.test(s) && !anyNewline.test(s), 'must not contain control characters or line breaks')
    .refine(wellFormed, 'must be well-formed Unicode');

/** A multi-line text (postal address): line breaks allowed, other control characters not. */
export const multiLine = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !controlChars.test(s.replace(/\r?\n/g, '')) && !/\t/.test(s), 'must not contain control characters')
    .refine(wellFormed, 'must be well-formed Unicode')
    .transform((s) => s.replace(/\r\n/g, '\n').trim());

export const email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .refine(wellFormed, 'must be well-formed Unicode')
  .regex(/^[^\s@<>()[\]\\,;:"\u0000-\u001f\u007f]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/, 'must be an email address')
  .transform((s) => s.toLowerCase());

export const password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(1024, 'must be at most 1024 characters')
  .refine((s) => !/\u0000/.test(s), 'must not contain NUL characters')
  .refine(wellFormed, 'must be well-formed Unicode');

export const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reference to an object: an id, or a name/number/domain/email the store understands; never trusted as found. */
export const reference = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !controlChars.test(s) && !anyNewline.test(s) && wellFormed(s), 'must not contain control characters or line breaks');

/** A path parameter. */
export const ref = reference(255);
export const idParams = z.object({ id: ref });

/** An ISO 8601 date-time with offset, within what the database stores (years 1–9999 in UTC). */
export const isoDate = z.iso.datetime({ offset: true }).refine((s) => {
  const t = Date.parse(s);
  const year = new Date(t).getUTCFullYear();
  return Number.isFinite(t) && year >= 1 && year <= 9999;
}, 'must be a date between the years 1 and 9999');

/**
 * The PATCH schema of a creation shape: every field optional and without its default, so a PATCH
 * changes only the fields it names (zod would otherwise fill the defaults in and reset them).
 */
export function patchOf<T extends z.ZodRawShape>(shape: T) {
  const fields = Object.fromEntries(
    Object.entries(shape).map(([name, field]) => {
      let inner = field as z.ZodType;
      if (field instanceof z.ZodDefault) {
        inner = field.unwrap() as z.ZodType;
        if (field.description) inner = inner.describe(field.description);
      }
      return [name, inner.optional()];
    }),
  );
  return z.strictObject(fields) as unknown as z.ZodObject<
    { [K in keyof T]: z.ZodOptional<T[K] extends z.ZodDefault<infer Inner extends z.ZodType> ? Inner : T[K]> },
    z.core.$strict
  >;
}

// The API's schemas of these names: the same functions, their codes on the field.
const checked = <T>(check: (s: string) => Checked<T>) => (s: string, ctx: z.RefinementCtx) => {
  const r = check(s);
  if (r.ok) return r.value;
  ctx.addIssue({ code: 'custom', message: r.reason, params: { code: r.code ?? 'invalid', ...r.params } });
  return z.NEVER;
};

/** Any host name (to find an object by name, a target). */
export const hostName = z.string().max(300).transform(checked(normaliseDomain));

/** A name a customer takes: a site's domain or alias, a zone. */
export const domainName = z.string().max(300).transform(checked((s) => {
  const r = normaliseDomain(s);
  return r.ok ? checkRegistrable(r.value) : r;
}));

/** A site's label under the platform domain. */
export const platformLabelName = z.string().max(63).transform(checked(normaliseLabel));

/** A document root under var/www/. */
export const documentRootPath = z.string().max(300).transform(checked(normaliseDocumentRoot));
