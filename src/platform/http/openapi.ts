// The OpenAPI 3.1 document, generated from the route declarations (JSON Schema 2020-12 from zod).
import { z } from 'zod';
import type { AnyRoute } from './route.js';
import { titles } from '../errors.js';

const problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'stable error code, e.g. site.domain_taken' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
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

export function openApiDocument(routes: AnyRoute[], info: { version: string; serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const status = String(r.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]: r.status === 204
        ? { description: 'No Content' }
        : { description: 'OK', content: { 'application/json': { schema: r.response ? schemaOf(r.response, 'output') : {} } } },
      default: { description: 'Error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    };
    const security = r.access === 'public' ? [] : [{ bearer: [] }, { session: [] }];
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: `${r.method.toLowerCase()}${r.path.replace(/^\/api\/v1/, '').replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: r.summary,
      tags: [r.tag],
      ...(r.access === 'staff' || r.access === 'admin' ? { description: `Reserved to ${r.access === 'admin' ? 'administrators' : 'staff'}.` } : {}),
      'x-abri-access': r.access,
      ...(r.tenant ? { 'x-abri-tenant': true } : {}),
      security,
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Abri API', version: info.version, description: `Errors are RFC 9457 problem documents (${Object.keys(titles).join(', ')}).` },
    servers: [{ url: info.serverUrl }],
    components: {
      schemas: { Problem: problem },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (abri token create, or POST /api/v1/tokens)' },
        session: { type: 'apiKey', in: 'cookie', name: 'abri_session', description: 'login session; state-changing requests also need the X-CSRF-Token header' },
      },
    },
    paths,
  };
}
