// The HTTP server: registers declared routes on Fastify, validates with their schemas, resolves the
// actor once per request, enforces access and CSRF, and maps every error to problem+json.
import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyError } from 'fastify';
import cookie from '@fastify/cookie';
import { z } from 'zod';
import type { Actor } from '../actor.js';
import type { AppContext } from '../context.js';
import { AppError, type ErrorParams, type FieldIssue } from '../errors.js';
import { problemOf, statusOf } from './problem.js';
import { openApiDocument } from './openapi.js';
import type { AgentIdentity, AnyRoute } from './route.js';

export type Authenticate = (app: AppContext, req: FastifyRequest) => Promise<Actor | null>;
export type AuthenticateAgent = (app: AppContext, req: FastifyRequest) => Promise<AgentIdentity>;

export interface ServerOptions {
  app: AppContext;
  routes: AnyRoute[];
  authenticate: Authenticate;
  authenticateAgent: AuthenticateAgent;
  /** extra non-API handlers (setup page, later the UI) */
  extend?: (server: FastifyInstance) => void | Promise<void>;
}

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** the exact bytes of bodies of `rawBody` routes, by request */
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/** The value at a zod issue's path in what was parsed (undefined when a level is missing). */
function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * zod's issue → a field issue with a stable code and the parameters a translation needs. A field
 * left out is `required`; a value of the wrong type says which type it must be.
 */
export function issueOf(i: z.core.$ZodIssue, where: string, input?: unknown): FieldIssue {
  const path = [where, ...i.path.map(String)].join('.');
  const raw = i as unknown as Record<string, unknown>;
  if (i.code === 'custom') {
    const { code, ...params } = (i.params ?? {}) as { code?: string } & ErrorParams;
    return { path, code: code ?? 'invalid', message: i.message, params };
  }
  const params: ErrorParams = {};
  for (const k of ['minimum', 'maximum', 'origin', 'format', 'expected', 'keys', 'values', 'inclusive']) {
    const v = raw[k];
    if (v === undefined) continue;
    params[k] = Array.isArray(v) ? v.map(String) : typeof v === 'bigint' ? Number(v) : typeof v === 'object' ? String(v) : (v as ErrorParam);
  }
  if (i.code === 'invalid_type' && valueAt(input, i.path) === undefined) return { path, code: 'required', message: 'is required', params };
  if (i.code === 'invalid_type' && /^Invalid input: expected /.test(i.message)) return { path, code: i.code, message: `must be ${article(i.expected)}`, params };
  return { path, code: i.code, message: i.message, params };
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

type ErrorParam = ErrorParams[string];

function issuesOf(err: z.ZodError, where: string, input: unknown): FieldIssue[] {
  return err.issues.map((i) => issueOf(i, where, input));
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> | undefined {
  if (!schema) return undefined;
  const input = value ?? (where === 'body' ? undefined : {});
  const r = schema.safeParse(input);
  if (!r.success) {
    const issues = issuesOf(r.error, where, input);
    throw new AppError('request.validation', `invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  return r.data;
}

/** A route that declares no body accepts none (or an empty object), rather than ignoring what it was sent. */
function refuseBody(value: unknown): undefined {
  const empty = value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
  if (!empty) throw new AppError('request.validation', 'this request takes no body', { issues: [{ code: 'request.validation', path: 'body', message: 'must be empty' }] });
  return undefined;
}

const fastifyCodes: Record<string, [string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'send the body as application/json'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large', 'the request body is larger than 1 MiB'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['request.invalid_json', 'the JSON body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['request.invalid_json', 'the body is not valid JSON'],
};

function toAppError(error: Error): AppError {
  if (error instanceof AppError) return error;
  const f = error as FastifyError;
  const known = f.code ? fastifyCodes[f.code] : undefined;
  if (known) return new AppError(known[0], known[1]);
  if (error instanceof SyntaxError) return new AppError('request.invalid_json', `the body is not valid JSON: ${error.message}`);
  if (f.statusCode && f.statusCode < 500) return new AppError('request.invalid', error.message, { params: { status: f.statusCode } });
  return new AppError('internal', 'internal error; it was logged');
}

/**
 * The OpenAPI document of these routes as served (its JSON and an ETag, its digest), made once per
 * process (a tenth of a second of CPU): the managers of a test file, or an agent's and a manager's
 * servers, share it. It is 3 MB: a client holding it revalidates it (If-None-Match) for a 304.
 */
interface ServedDocument {
  json: string;
  etag: string;
}
const documents = new WeakMap<AnyRoute[], Map<string, ServedDocument>>();
function documentOf(routes: AnyRoute[], version: string, serverUrl: string): ServedDocument {
  let byServer = documents.get(routes);
  if (!byServer) documents.set(routes, (byServer = new Map()));
  const key = `${version} ${serverUrl}`;
  let doc = byServer.get(key);
  if (!doc) {
    const json = JSON.stringify(openApiDocument(routes.filter((r) => r.access !== 'agent'), { version, serverUrl }));
    byServer.set(key, (doc = { json, etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"` }));
  }
  return doc;
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const { app } = opts;
  const server = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
  });
  await server.register(cookie);

  server.decorateRequest('actor', null);

  server.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    const appErr = toAppError(error);
    if (statusOf(appErr) >= 500) app.log.error({ err: error, url: request.url, method: request.method }, 'request failed');
    void reply.status(statusOf(appErr)).type('application/problem+json').send(problemOf(appErr, request.url.split('?')[0]));
  });

  server.setNotFoundHandler((request, reply) => {
    const err = new AppError('route.not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
    void reply.status(404).type('application/problem+json').send(problemOf(err));
  });

  const routes = opts.routes;
  server.get('/api/v1/openapi.json', async (request, reply) => {
    const { json, etag } = documentOf(routes, app.version, app.config.publicUrl);
    void reply.header('etag', etag).header('cache-control', 'no-cache');
    const held = request.headers['if-none-match']?.split(/\s*,\s*/) ?? [];
    if (held.includes(etag) || held.includes('*')) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(json);
  });

  const register = (target: FastifyInstance, r: AnyRoute) =>
    target.route({
      method: r.method,
      url: r.path.replace(/\{(\w+)\}/g, ':$1'),
      // an agent reports every object of its node (20,000 for 10,000 sites): more than 1 MiB of JSON
      ...(r.access === 'agent' ? { bodyLimit: 64 * 1024 * 1024 } : {}),
      handler: async (request, reply) => {
        const agent = r.access === 'agent' ? await opts.authenticateAgent(app, request) : null;
        const actor = r.access === 'agent' ? null : await opts.authenticate(app, request);
        if (r.access !== 'public' && r.access !== 'agent') {
          if (!actor) throw new AppError('auth.unauthenticated', 'log in or send Authorization: Bearer <token>');
          if ((r.access === 'staff' && actor.role === 'customer') || (r.access === 'admin' && actor.role !== 'admin')) {
            throw new AppError('auth.staff_only', `this route is reserved to ${r.access === 'admin' ? 'administrators' : 'staff'}`);
          }
        }
        if (actor?.via === 'session' && unsafe.has(r.method) && request.headers['x-csrf-token'] !== actor.csrfToken) {
          throw new AppError('auth.csrf', 'missing or wrong X-CSRF-Token header (it is returned by login and GET /api/v1/me)');
        }
        const params = parse(r.params, request.params, 'path');
        const query = parse(r.query, request.query, 'query');
        const rawBody = r.rawBody ? rawBodies.get(request) : undefined;
        const body = r.rawBody ? undefined : r.body ? parse(r.body, request.body, 'body') : refuseBody(request.body);
        const result = await r.handler({
          params,
          query,
          body,
          actor: actor as Actor,
          caller: { actor, address: request.ip },
          agent: agent as AgentIdentity,
          app,
          req: { address: request.ip, userAgent: request.headers['user-agent'], request, reply, ...(rawBody ? { rawBody } : {}) },
        });
        // a handler may choose another success status (e.g. 204 for "nothing new" on a long poll)
        if (reply.statusCode === 200 && r.status) reply.status(r.status);
        if (reply.statusCode === 204) return reply.send();
        if (r.produces) return reply.type(r.produces).send(result);
        return result;
      },
    });
  for (const r of routes) if (!r.rawBody) register(server, r);
  // routes that verify a signature over the body's bytes: JSON parsed as usual, the bytes kept
  await server.register(async (scope) => {
    const json = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, bytes, done) => {
      rawBodies.set(request, bytes as Buffer);
      void json(request, (bytes as Buffer).toString('utf8'), done);
    });
    for (const r of routes) if (r.rawBody) register(scope, r);
  });

  if (opts.extend) await opts.extend(server);
  return server;
}
