// The ACME HTTP-01 responder: every edge sends /.well-known/acme-challenge/ of every host here, and
// the manager answers from the database, so any manager process answers for any certificate order
// (and for the probes Abri sends itself before ordering).
import type { FastifyInstance } from 'fastify';
import type { Db } from '../platform/db/database.js';

const token = /^[A-Za-z0-9_-]{10,200}$/;

export function challengeResponder(server: FastifyInstance, db: Db) {
  server.get<{ Params: { token: string } }>('/.well-known/acme-challenge/:token', async (request, reply) => {
    const t = request.params.token;
    const row = token.test(t)
      ? await db.selectFrom('acmeChallenges').select('value').where('token', '=', t).where('kind', 'in', ['http-01', 'probe']).where('expiresAt', '>', new Date()).executeTakeFirst()
      : undefined;
    void reply.header('cache-control', 'no-store').type('text/plain; charset=utf-8');
    if (!row) return reply.status(404).send('no such challenge\n');
    return reply.send(row.value);
  });
}
