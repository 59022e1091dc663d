// The OpenAPI 3.1 document, generated from the route declarations (JSON Schema 2020-12 from zod).
// Each operation lists the errors it can answer, grouped by status, with their codes.
import { z } from 'zod';
import type { AnyRoute } from './route.js';
import { kindOf } from '../errors.js';
import { statusOfKind, titles } from './problem.js';

const issue = {
  type: 'object',
  required: ['path', 'code', 'message'],
  properties: {
    path: { type: 'string', description: 'where: body.domain, query.sort…' },
    code: { type: 'string', description: 'stable code of the issue (too_small, invalid_format, domain.label_invalid…)' },
    message: { type: 'string', description: 'English explanation' },
    params: { type: 'object', description: 'values a translation may insert (minimum, maximum, label…)' },
  },
};

const problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'stable error code, e.g. site.domain_taken' },
    detail: { type: 'string', description: 'English explanation' },
    params: { type: 'object', description: 'values a translation of the code may insert' },
    instance: { type: 'string' },
    errors: { type: 'array', items: { $ref: '#/components/schemas/Issue' } },
  },
};

function schemaOf(s: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

function parametersOf(s: z.ZodType | undefined, where: 'path' | 'query') {
  if (!s) return [];
  const json = schemaOf(s, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(schema.description ? { description: schema.description } : {}),
    schema,
  }));
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A change customers (or anonymous callers) may ask for, refused while the platform is read-only (platform/read-only.ts). */
const refusedWhileReadOnly = (r: AnyRoute) =>
  unsafe.has(r.method) && (((r.access === 'public' || r.access === 'user') && !r.whileReadOnly) || r.refusedForStaffWhileReadOnly === true);

/** Every error code a route may answer: the ones its kind implies, and the ones it declares. */
export function errorCodesOf(r: AnyRoute): string[] {
  const codes = new Set<string>();
  if (r.params || r.query || r.body) codes.add('request.validation');
  if (r.body) ['request.invalid_json', 'unsupported_media_type', 'payload_too_large'].forEach((c) => codes.add(c));
  else if (unsafe.has(r.method)) codes.add('request.validation');
  const q = r.query ? (schemaOf(r.query, 'input') as { properties?: Record<string, unknown> }).properties ?? {} : {};
  if ('sort' in q) codes.add('request.invalid_sort');
  if ('cursor' in q) codes.add('request.invalid_cursor');
  if (r.access !== 'public') ['auth.unauthenticated', 'auth.invalid_token'].forEach((c) => codes.add(c));
  if (r.access !== 'public' && r.access !== 'agent' && unsafe.has(r.method)) codes.add('auth.csrf');
  if (r.access === 'staff' || r.access === 'admin') codes.add('auth.staff_only');
  if (refusedWhileReadOnly(r)) codes.add('platform.read_only');
  for (const c of r.errors ?? []) codes.add(c);
  return [...codes].sort();
}

/** The error responses of a route: one per status, its codes listed (and enumerated in the schema). */
export function errorResponsesOf(r: AnyRoute): Record<string, unknown> {
  const byStatus = new Map<number, string[]>();
  for (const code of errorCodesOf(r)) {
    const kind = kindOf(code);
    if (!kind) throw new Error(`route ${r.method} ${r.path} declares the undeclared error code ${code}`);
    const status = statusOfKind[kind];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[String(status)] = {
      description: `${titles[status] ?? 'Error'}: ${codes.join(', ')}`,
      content: {
        'application/problem+json': {
          schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { type: 'object', properties: { code: { enum: codes } } }] },
        },
      },
    };
  }
  return out;
}

export function operationIdOf(r: AnyRoute): string {
  return `${r.method.toLowerCase()}${r.path.replace(/^\/(api|agent)\/v1/, '').replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_, c: string) => c.toUpperCase())}`;
}

export function openApiDocument(routes: AnyRoute[], info: { version: string; serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const status = String(r.status ?? 200);
    const ok = r.status === 204
      ? { description: 'No Content' }
      : r.produces
        ? { description: 'OK', content: { [r.produces]: { schema: { type: 'string', contentMediaType: r.produces } } } }
        : { description: 'OK', content: { 'application/json': { schema: r.response ? schemaOf(r.response, 'output') : {} } } };
    const responses: Record<string, unknown> = {
      [status]: ok,
      ...Object.fromEntries((r.alsoAnswers ?? []).map((s) => [String(s), { ...ok, description: s === 201 ? 'Created' : 'OK' }])),
      ...errorResponsesOf(r),
      '500': { description: 'Internal Server Error: internal (logged on the manager)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    };
    const security = r.access === 'public' ? [] : [{ bearer: [] }, { session: [] }];
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: operationIdOf(r),
      summary: r.summary,
      description: r.access === 'staff' || r.access === 'admin' ? `${r.summary}. Reserved to ${r.access === 'admin' ? 'administrators' : 'staff'}.` : `${r.summary}.`,
      tags: [r.tag],
      'x-abri-access': r.access,
      ...(r.tenant ? { 'x-abri-tenant': true } : {}),
      ...(unsafe.has(r.method) && r.access !== 'agent' ? { 'x-abri-read-only': refusedWhileReadOnly(r) ? 'refused' : r.whileReadOnly ? 'open' : 'staff' } : {}),
      security,
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  const tags = [...new Set(routes.map((r) => r.tag))].sort().map((name) => ({ name, description: `Operations on ${name}` }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Abri API',
      version: info.version,
      description: 'The REST API of Abri, the hosting platform for small and associative hosts. Errors are RFC 9457 problem documents with a stable `code`, its `params`, and per-field `errors`.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    servers: [{ url: info.serverUrl }],
    tags,
    components: {
      schemas: { Problem: problem, Issue: issue },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (abri login, or POST /api/v1/tokens)' },
        session: { type: 'apiKey', in: 'cookie', name: 'abri_session', description: 'login session; state-changing requests also need the X-CSRF-Token header' },
      },
    },
    paths,
  };
}
