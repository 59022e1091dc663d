// The only way the UI talks to the manager: the public REST API under /api/v1, with the session
// cookie and the CSRF token on state-changing requests. Errors become ApiError (problem+json).

export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldIssue[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  get notFound() {
    return this.status === 404;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

/** Called when a request of a logged-in page answers 401 (session expired or ended elsewhere). */
export const whenUnauthenticated = (f: (() => void) | null) => {
  onUnauthenticated = f;
};

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (unsafe.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'network', (e as Error).message);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: any = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const err = new ApiError(res.status, parsed?.code ?? `http.${res.status}`, parsed?.detail ?? res.statusText, parsed?.errors ?? []);
    if (res.status === 401 && err.code === 'auth.unauthenticated') onUnauthenticated?.();
    throw err;
  }
  return parsed as T;
}

/** A path with its query string; undefined and empty values are left out. */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
