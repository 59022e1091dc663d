// Serves the built web UI (ui/ → dist/ui by `npm run build`) at `/`: hashed assets with immutable
// caching, every other non-API GET answered with index.html so the single-page app routes it.
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../errors.js';
import { isAbsent } from '../absent.js';

/** dist/ui of this checkout: the same three levels up from src/platform/http and dist/platform/http. */
export const builtUiDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../dist/ui');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
};

const notBuilt = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Abri</title></head>
<body><main><h1>The web UI is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>), then reload.</p></main></body></html>`;

/** The file under `root` a URL path names, or null when it would leave `root` or is not a file. */
export async function fileFor(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch (e) {
    if (e instanceof URIError) return null; // a malformed %-escape names no file
    throw e;
  }
  if (decoded.includes('\0')) return null;
  const full = resolve(root, '.' + decoded);
  if (full !== root && !full.startsWith(root + sep)) return null;
  try {
    return (await stat(full)).isFile() ? full : null;
  } catch (e) {
    if (isAbsent(e)) return null;
    throw e;
  }
}

export async function sendFile(reply: FastifyReply, file: string, cache: string) {
  const body = await readFile(file);
  if (extname(file) === '.html') {
    reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'");
  }
  return reply
    .header('cache-control', cache)
    .header('x-content-type-options', 'nosniff')
    .type(contentTypes[extname(file)] ?? 'application/octet-stream')
    .send(body);
}

export function staticUi(server: FastifyInstance, opts: { dir?: string } = {}) {
  const root = opts.dir ?? builtUiDir;
  const index = resolve(root, 'index.html');
  server.get('/*', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (path === '/api' || path.startsWith('/api/')) {
      throw new AppError('route.not_found', `no route ${request.method} ${path}`);
    }
    const file = path === '/' ? null : await fileFor(root, path);
    if (file && file !== index) {
      const hashed = path.startsWith('/assets/');
      return sendFile(reply, file, hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    }
    if (path.startsWith('/assets/')) throw new AppError('asset.not_found', `no asset ${path}`);
    try {
      await stat(index);
    } catch (e) {
      if (!isAbsent(e)) throw e;
      return reply.status(503).type('text/html; charset=utf-8').send(notBuilt);
    }
    return sendFile(reply, index, 'no-cache');
  });
}
