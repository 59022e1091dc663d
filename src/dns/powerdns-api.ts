// A small client of the PowerDNS Authoritative HTTP API (zones and rrsets), over node:http: PowerDNS
// closes every connection, and fetch's per-request cost doubles the time of a bulk change.
import http from 'node:http';

export interface PdnsZoneSummary {
  /** with the final dot */
  name: string;
  kind: string;
  serial: number;
  account: string;
}

export interface PdnsRrset {
  name: string;
  type: string;
  ttl: number;
  records: Array<{ content: string; disabled: boolean }>;
}

export interface PdnsRrsetChange {
  name: string;
  type: string;
  changetype: 'REPLACE' | 'DELETE';
  ttl?: number;
  records?: Array<{ content: string; disabled: boolean }>;
}

export class PdnsError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'PdnsError';
  }
}

export class PowerDnsApi {
  constructor(private readonly port: number, private readonly apiKey: string, private readonly host = '127.0.0.1') {}

  /**
   * One request; a change PowerDNS answers 500 to is tried again a few times: its SQLite backend
   * refuses a write while another one (a parallel change, a notification's bookkeeping) holds the lock.
   */
  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, body);
      } catch (e) {
        if (!(e instanceof PdnsError) || e.status !== 500 || method === 'GET' || attempt >= 12) throw e;
        await new Promise((r) => setTimeout(r, Math.min(5 * 2 ** attempt, 500) * (0.5 + Math.random())));
      }
    }
  }

  private once<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        {
          host: this.host, port: this.port, method, path: `/api/v1/servers/localhost${path}`, timeout: 60_000,
          headers: { 'X-API-Key': this.apiKey, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (text += d));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 400) {
              let detail = text.trim().slice(0, 500);
              try {
                detail = (JSON.parse(text) as { error?: string }).error ?? detail;
              } catch (e) {
                if (!(e instanceof SyntaxError)) throw e; // not JSON: the text is the detail
              }
              return reject(new PdnsError(status, `PowerDNS answered ${status} to ${method} ${path}: ${detail}`));
            }
            try {
              resolve((text ? JSON.parse(text) : undefined) as T);
            } catch (e) {
              reject(e);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`PowerDNS API timed out (${method} ${path})`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  server() {
    return this.request<{ version: string }>('GET', '');
  }

  listZones() {
    return this.request<PdnsZoneSummary[]>('GET', '/zones');
  }

  zone(name: string) {
    return this.request<PdnsZoneSummary & { rrsets: PdnsRrset[] }>('GET', `/zones/${encodeURIComponent(`${name}.`)}`);
  }

  /** Creates the zone; PowerDNS answers with it, serial included. */
  createZone(name: string, rrsets: PdnsRrset[], account: string) {
    return this.request<PdnsZoneSummary>('POST', '/zones', {
      name: `${name}.`, kind: 'Master', soa_edit_api: 'DEFAULT', account, nameservers: [], rrsets,
    });
  }

  patchZone(name: string, rrsets: PdnsRrsetChange[]) {
    return this.request<void>('PATCH', `/zones/${encodeURIComponent(`${name}.`)}`, { rrsets });
  }

  deleteZone(name: string) {
    return this.request<void>('DELETE', `/zones/${encodeURIComponent(`${name}.`)}`);
  }

  notify(name: string) {
    return this.request<unknown>('PUT', `/zones/${encodeURIComponent(`${name}.`)}/notify`);
  }
}
