// The manager also serves the exported works page at /works/ (ABRI_WORKS_SERVE=1): the same files
// any other web server serves, read from ABRI_WORKS_EXPORT_DIR at each request.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/errors.js';
import { fileFor, sendFile } from '../platform/http/static-ui.js';

export function serveWorksPage(server: FastifyInstance, dir: string) {
  server.get('/works', async (_request, reply) => reply.redirect('/works/'));
  server.get('/works/*', async (request, reply) => {
    const rest = request.url.split('?')[0]!.slice('/works'.length);
    // the link is followed at each request: the export swaps it to the new version
    const root = path.resolve(dir);
    const file = (await fileFor(root, rest.endsWith('/') ? `${rest}index.html` : rest)) ?? (await fileFor(root, `${rest}/index.html`));
    if (!file) throw new AppError('route.not_found', `no page ${request.url.split('?')[0]}`);
    return sendFile(reply, file, 'public, max-age=60');
  });
}
