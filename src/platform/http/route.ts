// A route is declared once: method, path, who may call it, and the zod schemas of its parameters,
// query, body and answer. The same declaration validates requests and produces the OpenAPI document.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor, Caller } from '../actor.js';
import type { AppContext } from '../context.js';

/** public · user (any logged-in user) · staff · admin · agent (a server's agent token; not in the public OpenAPI) */
export type Access = 'public' | 'user' | 'staff' | 'admin' | 'agent';

/** The server an agent request comes from. */
export interface AgentIdentity {
  serverId: string;
  name: string;
}
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestInfo {
  address: string;
  userAgent: string | undefined;
  request: FastifyRequest;
  reply: FastifyReply;
  /** the exact bytes of the body, on routes that declare `rawBody` (a signature covers them) */
  rawBody?: Buffer;
}

export interface HandlerArgs<P, Q, B, A extends Access> {
  params: P;
  query: Q;
  body: B;
  actor: A extends 'public' | 'agent' ? Actor | null : Actor;
  /** the actor and the address it calls from: what operations take */
  caller: Caller;
  /** set on agent routes only */
  agent: A extends 'agent' ? AgentIdentity : null;
  app: AppContext;
  req: RequestInfo;
}

export interface RouteDef<
  PS extends z.ZodType = z.ZodType,
  QS extends z.ZodType = z.ZodType,
  BS extends z.ZodType = z.ZodType,
  A extends Access = Access,
  RS extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** OpenAPI-style path: /api/v1/sites/{id} */
  path: string;
  summary: string;
  tag: string;
  access: A;
  params?: PS;
  query?: QS;
  body?: BS;
  response?: RS;
  /**
   * error codes this route may answer besides the ones every route of its kind may (validation,
   * authentication, not found of its path objects): listed in the OpenAPI document with their status
   */
  errors?: string[];
  /** the answer is a file of this media type (the handler returns a Buffer or a string), not JSON */
  produces?: 'application/pdf' | 'text/csv' | 'text/plain';
  /** success status (default 200; 201 for creations, 204 for no content) */
  status?: number;
  /** other success statuses its handler sets (`req.reply.status`), answered with the same body: an idempotent create's 201 */
  alsoAnswers?: number[];
  /** the route reads/changes objects of one customer: the isolation walk tests it */
  tenant?: boolean;
  /**
   * a POST, PUT, PATCH or DELETE that goes on while the platform is read-only (signing in or out, the
   * caller's own account, a read sent as POST): its operation decides with signingIn() or
   * ownAccount(), or changes nothing. The others answer platform.read_only (423) to customers then.
   */
  whileReadOnly?: boolean;
  /** a staff route refused (423) while the platform is read-only all the same: its operation refuses it (a billing tool's calls, made for customers) */
  refusedForStaffWhileReadOnly?: boolean;
  /**
   * the handler gets the body's exact bytes (`req.rawBody`, JSON only) and verifies them itself (a
   * provider's signed webhook): the body schema documents the route but is not applied
   */
  rawBody?: boolean;
  handler(args: HandlerArgs<z.output<PS>, z.output<QS>, z.output<BS>, A>): Promise<z.input<RS> | undefined>;
}

export type AnyRoute = RouteDef<z.ZodType, z.ZodType, z.ZodType, Access, z.ZodType>;

/** Declares a route with inferred types; the result goes into a capability's `routes` list. */
export function route<PS extends z.ZodType, QS extends z.ZodType, BS extends z.ZodType, A extends Access, RS extends z.ZodType = z.ZodVoid>(
  def: RouteDef<PS, QS, BS, A, RS>,
): AnyRoute {
  return def as unknown as AnyRoute;
}
