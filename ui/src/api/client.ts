// The only way the UI talks to the manager: the public REST API, through openapi-fetch typed by the
// types generated from the OpenAPI document (src/api/generated, paths relative to /api/v1). The
// session cookie goes with every request, the CSRF token with state-changing ones. A problem+json
// answer becomes an ApiError carrying its code, params and per-field issues.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './generated/schema.js';

/** What a translation may insert into an error's sentence. */
export type Params = Record<string, unknown>;

export interface FieldIssue {
  /** where: body.domain, body.aliases.2, query.sort… */
  path: string;
  code: string;
  /** English explanation (shown when the code has no translation) */
  message: string;
  params?: Params;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** the API's English explanation */
    readonly detail: string,
    readonly errors: FieldIssue[] = [],
    readonly params: Params = {},
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

/** Called when a request answers 401 auth.unauthenticated (the session expired or ended elsewhere). */
export const whenUnauthenticated = (f: (() => void) | null) => {
  onUnauthenticated = f;
};

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function issuesOf(v: unknown): FieldIssue[] {
  if (!Array.isArray(v)) return [];
  return v.map(asRecord).map((i) => ({ path: String(i.path ?? ''), code: String(i.code ?? 'invalid'), message: String(i.message ?? ''), params: asRecord(i.params) }));
}

/** The ApiError of a problem+json answer (or of a body that is not one). */
export async function problemOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = asRecord(text ? JSON.parse(text) : undefined);
  } catch (e) {
    // not JSON (a proxy's error page): the status says enough
    if (!(e instanceof SyntaxError)) throw e;
    body = {};
  }
  return new ApiError(
    res.status,
    typeof body.code === 'string' ? body.code : `http.${res.status}`,
    typeof body.detail === 'string' ? body.detail : res.statusText,
    issuesOf(body.errors),
    asRecord(body.params),
  );
}

const middleware: Middleware = {
  onRequest({ request }) {
    if (unsafe.has(request.method) && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  async onResponse({ response }) {
    if (response.ok) return undefined;
    const err = await problemOf(response);
    if (err.status === 401 && err.code === 'auth.unauthenticated') onUnauthenticated?.();
    throw err;
  },
  onError({ error }) {
    if (error instanceof ApiError) return error;
    if (error instanceof DOMException && error.name === 'AbortError') return error;
    return new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  },
};

export const api = createClient<paths>({ baseUrl: '/api/v1', credentials: 'same-origin', headers: { accept: 'application/json' } });
api.use(middleware);
