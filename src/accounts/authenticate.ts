// Resolves the actor of a request: Authorization: Bearer <token>, else the session cookie.
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.js';
import type { Actor } from '../platform/actor.js';
import { AppError } from '../platform/errors.js';
import { actorFromSession, actorFromToken } from './store-auth.js';

export const SESSION_COOKIE = 'abri_session';

export async function authenticate(app: AppContext, req: FastifyRequest): Promise<Actor | null> {
  const header = req.headers.authorization;
  if (header) {
    const m = /^Bearer\s+([A-Za-z0-9_\-.~+/]{8,200}=*)$/.exec(header);
    if (!m) throw new AppError('auth.invalid_token', 'Authorization must be "Bearer <token>"');
    return actorFromToken(app.db, m[1], app.clock.now(), req.ip);
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (cookie && cookie.length <= 200) return actorFromSession(app.db, cookie, app.clock.now());
  return null;
}
