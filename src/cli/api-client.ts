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

  private async send(method: string, pathAndQuery: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(this.baseUrl + pathAndQuery, {
        method,
        headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (e) {
      throw new CliError(`cannot reach the manager at ${this.baseUrl} (${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}); is \`abri serve\` running?`, 'cli.unreachable');
    }
  }

  async request<T = unknown>(method: string, pathAndQuery: string, body?: unknown): Promise<T> {
    const res = await this.send(method, pathAndQuery, body);
    if (res.status === 204) return undefined as T;
    if (!res.ok) throw await this.refusal(res);
    return (await this.json(res)) as T;
  }

  private async json(res: Response): Promise<unknown> {
    const text = await res.text();
    try {
      return text ? JSON.parse(text) : undefined;
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      throw new CliError(`unexpected answer from ${this.baseUrl} (HTTP ${res.status})`);
    }
  }

  /** The error of a refused request, from its problem document. */
  private async refusal(res: Response): Promise<CliError> {
    const p = (await this.json(res)) as Problem | undefined;
    return new CliError(describeProblem(p, res.status), p?.code);
  }

  /** A file the API answers (an invoice's PDF): its bytes; a refusal is its problem, as for request(). */
  async download(p: string): Promise<Buffer> {
    return (await this.downloadFile(p)).bytes;
  }

  /** A file the API answers, with the name its content-disposition gives (null: none). */
  async downloadFile(p: string): Promise<{ bytes: Buffer; name: string | null }> {
    const res = await this.send('GET', p);
    if (!res.ok) throw await this.refusal(res);
    const name = /filename="([^"/\\]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? null;
    return { bytes: Buffer.from(await res.arrayBuffer()), name };
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
