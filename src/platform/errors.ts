// Domain errors: a stable code, parameters (for translations), and per-field issues. What a code
// means is declared once, in the capability that raises it (`defineErrors`), as a kind; the HTTP
// layer maps kinds to statuses (platform/http/problem.ts). Stores and operations know nothing of HTTP.

/** What kind of failure a code is; the one thing HTTP (or the CLI) needs to know about it. */
export type ErrorKind =
  | 'invalid' // the request is malformed or a value is refused
  | 'unauthenticated' // no, or wrong, credentials
  | 'forbidden' // known, but not allowed
  | 'not_found' // does not exist, or is not visible to the caller
  | 'conflict' // the current state does not allow it (taken, in use, suspended, quota…)
  | 'locked' // the whole platform is read-only for now (platform/read-only.ts)
  | 'rate_limited'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unavailable'
  | 'internal';

/** A parameter of an error or an issue: what a translation may insert into its sentence. */
export type ErrorParam = string | number | boolean | null | string[];
export type ErrorParams = Record<string, ErrorParam>;

export interface FieldIssue {
  /** where: body.domain, body.aliases.2, query.sort… */
  path: string;
  /** stable code of the issue (too_small, invalid_format, domain.label_invalid…) */
  code: string;
  /** English explanation */
  message: string;
  params?: ErrorParams;
}

const catalog = new Map<string, ErrorKind>();

/**
 * Declares the error codes a capability raises, with their kind. Call it at module level in the
 * capability's `errors.ts`; the table is also what the OpenAPI document lists.
 */
export function defineErrors<const T extends Record<string, ErrorKind>>(table: T): T {
  for (const [code, kind] of Object.entries(table)) {
    const known = catalog.get(code);
    if (known && known !== kind) throw new Error(`error code ${code} declared twice, as ${known} and ${kind}`);
    catalog.set(code, kind);
  }
  return table;
}

/** The kind of a declared code (undefined: nobody declared it). */
export const kindOf = (code: string): ErrorKind | undefined => catalog.get(code);

/** Every declared code and its kind (the OpenAPI document and the error catalogue test read it). */
export const declaredErrors = (): ReadonlyMap<string, ErrorKind> => catalog;

export interface ErrorOptions {
  params?: ErrorParams;
  issues?: FieldIssue[];
  /** extra members of the problem document (kept for existing clients; prefer params) */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly params: ErrorParams;
  readonly issues?: FieldIssue[];
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, opts: ErrorOptions = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    const kind = catalog.get(code);
    if (!kind) throw new Error(`undeclared error code ${code} (declare it with defineErrors): ${message}`);
    this.kind = kind;
    this.params = opts.params ?? {};
    this.issues = opts.issues;
    this.details = opts.details;
  }
}

export const platformErrors = defineErrors({
  'request.validation': 'invalid',
  'request.invalid': 'invalid',
  'request.invalid_json': 'invalid',
  'request.invalid_cursor': 'invalid',
  'request.invalid_sort': 'invalid',
  'route.not_found': 'not_found',
  'asset.not_found': 'not_found',
  unsupported_media_type: 'unsupported_media_type',
  payload_too_large: 'too_large',
  internal: 'internal',
  'config.invalid': 'invalid',
  'database.in_use': 'conflict',
  'secret.unreadable': 'internal',
  'render.invalid': 'invalid',
  'auth.unauthenticated': 'unauthenticated',
  'auth.invalid_token': 'unauthenticated',
  'auth.csrf': 'forbidden',
  'auth.staff_only': 'forbidden',
  'auth.forbidden': 'forbidden',
});

/** `<what>.not_found`, declared by the capability that owns `what`. */
export const notFound = (what: string, params: ErrorParams = {}) => new AppError(`${what}.not_found`, `${what} not found`, { params });

/** A refused value of one field, as a validation error carrying the field's issue. */
export function fieldError(code: string, path: string, message: string, params: ErrorParams = {}): AppError {
  return new AppError(code, message, { params, issues: [{ path, code, message, params }] });
}
