// The web database admin in tests: what it needs on the machine, its test user (uids 66100–66199 are
// this feature's), and requests to it through the edge with a chosen Host header.
import { existsSync } from 'node:fs';
import http from 'node:http';
import { run } from '../harness/run.js';

export const USER = 'abt-dbadmin';
export const UID = 66199;

export function dbadminMissing(): string[] {
  return ['/usr/share/adminer/adminer.php', '/usr/lib/php/20220829/mysqli.so'].filter((f) => !existsSync(f));
}

/** Removes the admin's test user left by a run (its processes are stopped by the node's cleanup). */
export async function removeDbadminUser() {
  if ((await run('id', ['-u', USER], { allowFailure: true })).code === 0) await run('userdel', [USER]);
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, host: string, method: string, path: string, body?: string, cookie?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host, ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } : {}) };
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${host}${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

export const adminerGet = (port: number, host: string, path: string, cookie?: string) => request(port, host, 'GET', path, undefined, cookie);
export const adminerPost = (port: number, host: string, form: Record<string, string>, cookie?: string) =>
  request(port, host, 'POST', '/dbadmin/', new URLSearchParams(form).toString(), cookie);
