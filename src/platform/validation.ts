// Shared input rules: every string that comes from outside goes through one of these.
import { z } from 'zod';

// C0/C1 control characters and the Unicode line/paragraph separators; \t and \n allowed where said.
const controlChars = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const anyNewline = /[\r\n\t]/;

/** A one-line text: trimmed, no control characters, bounded. */
export const singleLine = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !controlChars.test(s) && !anyNewline.test(s), 'must not contain control characters or line breaks');

/** A multi-line text (postal address): line breaks allowed, other control characters not. */
export const multiLine = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !controlChars.test(s.replace(/\r?\n/g, '')) && !/\t/.test(s), 'must not contain control characters')
    .transform((s) => s.replace(/\r\n/g, '\n').trim());

export const email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .regex(/^[^\s@<>()[\]\\,;:"\u0000-\u001f\u007f]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/, 'must be an email address')
  .transform((s) => s.toLowerCase());

export const password = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(1024, 'must be at most 1024 characters')
  .refine((s) => !/\u0000/.test(s), 'must not contain NUL characters');

export const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path parameter: an id (or another reference the store understands); never trusted as found. */
export const ref = z.string().min(1).max(255);
export const idParams = z.object({ id: ref });

export const isoDate = z.iso.datetime({ offset: true });
