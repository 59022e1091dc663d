// A real HTTP listener on loopback (an ephemeral port) standing for a webhook receiver or a Mastodon
// instance: it keeps every request (method, path, headers, body) and answers the next ones with the
// statuses a test queues (503: try again), 200 with `answer` otherwise.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpListener {
  url: string;
  received: ReceivedRequest[];
  answerNext(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startHttpListener(answer: (r: ReceivedRequest) => unknown = () => ({ ok: true })): Promise<HttpListener> {
  const received: ReceivedRequest[] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? answer(r) : { error: 'unavailable (test)' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerNext: (...s) => void statuses.push(...s),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
