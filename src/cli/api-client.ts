// The CLI's HTTP client for the manager's API: one clear line on any error.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../platform/config.js';
import { describeProblem, type Problem } from './output.js';

export class CliError extends Error {
  constructor(message: string, readonly code = 'cli.error') {
    super(message);
  }
}

export const tokenFile = () => path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'abri', 'token');

export interface ApiOptions { api?: string; token?: string }

/** An answer of the manager, read whole. */
interface Answer { status: number; header(name: string): string | null; bytes: Buffer }
const ok = (res: Answer) => res.status >= 200 && res.status < 300;

/** Saves a token where API commands read it (only the user may read it). */
export function saveToken(token: string): string {
  const file = tokenFile();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, token + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export class ApiClient {
  /** token null: anonymous requests (`abri login`) */
  constructor(readonly baseUrl: string, private readonly token: string | null) {}

  /** A client without a token, for logging in. */
  static anonymous(config: Config, opts: ApiOptions): ApiClient {
    return new ApiClient((opts.api || config.apiUrl).replace(/\/+$/, ''), null);
  }

  static from(config: Config, opts: ApiOptions): ApiClient {
    const token = opts.token || config.token || (existsSync(tokenFile()) ? readFileSync(tokenFile(), 'utf8').trim() : '');
    if (!token) {
      throw new CliError(`no API token: run \`abri login\`, pass --token, or set ABRI_TOKEN (offline: \`abri token create --email E --save\`)`);
    }
    return new ApiClient((opts.api || config.apiUrl).replace(/\/+$/, ''), token);
  }

  /**
   * One request. node:http(s) rather than fetch: fetch's HTTP parser (undici's, in WebAssembly) costs
   * every `abri` process as much CPU again as the rest of a command.
   */
  private async send(method: string, pathAndQuery: string, body?: unknown): Promise<Answer> {
    const payload = body !== undefined ? Buffer.from(JSON.stringify(body)) : undefined;
    const headers = { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) };
    try {
      const url = new URL(this.baseUrl + pathAndQuery);
      const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
      return await new Promise<Answer>((resolve, reject) => {
        const req = request(url, { method, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, header: (name) => String(res.headers[name] ?? '') || null, bytes: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end(payload);
      });
    } catch (e) {
      throw new CliError(`cannot reach the manager at ${this.baseUrl} (${(e as Error).message}); is \`abri serve\` running?`, 'cli.unreachable');
    }
  }

  async request<T = unknown>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
    const res = await this.send(method, pathAndQuery, body);
    if (res.status === 204) return undefined as T;
    if (!ok(res)) throw this.refusal(res);
    return this.json(res) as T;
  }

  private json(res: Answer): unknown {
    const text = res.bytes.toString('utf8');
    try {
      return text ? JSON.parse(text) : undefined;
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      throw new CliError(`unexpected answer from ${this.baseUrl} (HTTP ${res.status})`);
    }
  }

  /** The error of a refused request, from its problem document. */
  private refusal(res: Answer): CliError {
    const p = this.json(res) as Problem | undefined;
    return new CliError(describeProblem(p, res.status), p?.code);
  }

  /** A file the API answers (an invoice's PDF): its bytes; a refusal is its problem, as for request(). */
  async download(p: string): Promise<Buffer> {
    return (await this.downloadFile(p)).bytes;
  }

  /** A file the API answers, with the name its content-disposition gives (null: none). */
  async downloadFile(p: string): Promise<{ bytes: Buffer; name: string | null }> {
    const res = await this.send('GET', p);
    if (!ok(res)) throw this.refusal(res);
    const name = /filename="([^"/\\]+)"/.exec(res.header('content-disposition') ?? '')?.[1] ?? null;
    return { bytes: res.bytes, name };
  }

  get<T = unknown>(p: string, query: Record<string, string | number | undefined> = {}) {
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));
    return this.request<T>('GET', qs.size ? `${p}?${qs}` : p);
  }
  post<T = unknown>(p: string, body: unknown = {}) { return this.request<T>('POST', p, body); }
  patch<T = unknown>(p: string, body: unknown) { return this.request<T>('PATCH', p, body); }
  put<T = unknown>(p: string, body: unknown) { return this.request<T>('PUT', p, body); }
  delete<T = unknown>(p: string) { return this.request<T>('DELETE', p); }
}
