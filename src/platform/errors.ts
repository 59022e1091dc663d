// Domain errors carry a stable code; HTTP status is derived from the code family, once, here.

export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

const statusByCode: Array<[RegExp, number]> = [
  [/^auth\.rate_limited$/, 429],
  [/^auth\.(unauthenticated|invalid_credentials|totp_required|totp_invalid|invalid_token)$/, 401],
  [/(^|\.)forbidden$|^auth\.csrf$|^auth\.staff_only$/, 403],
  [/(^|\.)not_found$/, 404],
  [/^quota\.|(^|[._])(taken|conflict|in_use|not_empty|exists)$/, 409],
  [/^validation\.|\.invalid$|^request\./, 400],
  [/^unsupported_media_type$/, 415],
  [/^payload_too_large$/, 413],
];

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly issues?: FieldIssue[];
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, opts: { status?: number; issues?: FieldIssue[]; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = opts.status ?? statusFor(code);
    this.issues = opts.issues;
    this.details = opts.details;
  }
}

export function statusFor(code: string): number {
  for (const [re, status] of statusByCode) if (re.test(code)) return status;
  return 400;
}

export const notFound = (what: string) => new AppError(`${what}.not_found`, `${what} not found`);

export const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** RFC 9457 problem document for an error. */
export function problemOf(err: AppError, instance?: string) {
  return {
    type: `https://abri.invalid/problems/${err.code}`,
    title: titles[err.status] ?? 'Error',
    status: err.status,
    code: err.code,
    detail: err.message,
    ...(instance ? { instance } : {}),
    ...(err.issues ? { errors: err.issues } : {}),
    ...(err.details ?? {}),
  };
}
