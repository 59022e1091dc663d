// The ACME HTTP-01 responder: every edge sends /.well-known/acme-challenge/ of every host here, and
// the manager answers from the database, so any manager process answers for any certificate order
// (and for the probes Abri sends itself before ordering). Expiry is read on app.clock.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { challengeAnswer } from './store-acme.js';

const token = /^[A-Za-z0-9_-]{10,200}$/;

export function challengeResponder(server: FastifyInstance, app: AppContext) {
  server.get<{ Params: { token: string } }>('/.well-known/acme-challenge/:token', async (request, reply) => {
    const t = request.params.token;
    const answer = token.test(t) ? await challengeAnswer(app.db, t, app.clock.now()) : null;
    void reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8');
    if (answer === null) return reply.status(404).send('no such challenge\n');
    return reply.send(answer);
  });
}
