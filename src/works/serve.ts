// The manager also serves the exported works page at /works/ (ABRI_WORKS_SERVE=1): the same files
// any other web server serves, read from ABRI_WORKS_EXPORT_DIR at each request.
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';
import { fileFor, sendFile } from '../platform/http/static-ui.js';

export function serveWorksPage(server: FastifyInstance, dir: string) {
  const root = path.resolve(dir);
  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const urlPath = request.url.split('?')[0]!;
    const rest = urlPath.slice('/works'.length);
    // the page's links are relative: /works is /works/
    if (rest === '') return reply.redirect('/works/');
    // the link is followed at each request: the export swaps it to the new version
    const file = await fileFor(root, rest.endsWith('/') ? `${rest}index.html` : rest);
    if (!file && (await fileFor(root, `${rest}/index.html`))) return reply.redirect(`${urlPath}/`);
    if (!file) throw new AppError('route.not_found', `no page ${urlPath}`);
    return sendFile(reply, file, 'public, max-age=60');
  };
  server.get('/works', page);
  server.get('/works/*', page);
}
