// The one table from error kinds to HTTP statuses, and the RFC 9457 problem document of an error.
import type { AppError, ErrorKind } from '../errors.js';

export const statusOfKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  locked: 423,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const statusOf = (err: AppError) => statusOfKind[err.kind];

/** RFC 9457 problem document for an error. */
export function problemOf(err: AppError, instance?: string) {
  const status = statusOf(err);
  return {
    type: `https://abri.invalid/problems/${err.code}`,
    title: titles[status] ?? 'Error',
    status,
    code: err.code,
    detail: err.message,
    params: err.params,
    ...(instance ? { instance } : {}),
    ...(err.issues ? { errors: err.issues } : {}),
    ...(err.details ?? {}),
  };
}
