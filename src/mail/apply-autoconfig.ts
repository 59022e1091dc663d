// The mail server's answers to mail clients setting themselves up (side effects: it listens). The
// agent serves, on ABRI_MAIL_BIND and ABRI_MAIL_AUTOCONFIG_PORTS, Thunderbird's autoconfig and
// Outlook's autodiscover for the mail domains it serves (the autoconfig./autodiscover. CNAMEs of the
// domains point here), HTTPS with the mail server's certificate. What is answered is decided by
// render-autoconfig.ts; this file only listens, reads requests (small bodies only) and answers. A
// port it cannot take is logged and tried again at the next reconcile: mail itself goes on.
import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';
import type { MailPorts, MailSettings } from '../platform/config-mail.js';
import { readIfExists } from '../platform/if-exists.js';
import { autoconfigAnswer, type ClientSetup } from './render-autoconfig.js';

export interface AutoconfigSpec { bind: string; ports: MailSettings['autoconfig']; certFile: string; host: string; mailPorts: MailPorts; domains: string[] }

const MAX_BODY = 16 * 1024;

export class AutoconfigListener {
  private http: http.Server | null = null;
  private https: https.Server | null = null;
  private listening = { http: '', https: '' };
  private pem = '';
  private setup = new Map<string, ClientSetup>();

  constructor(private readonly log: Logger) {}

  /** Serves these domains from now on (listening if not yet, or again on another port). */
  async update(spec: AutoconfigSpec): Promise<void> {
    this.setup = new Map(spec.domains.map((domain) => [domain, { domain, host: spec.host, ports: spec.mailPorts }]));
    if (!spec.domains.length) return this.close();
    await this.listen('http', spec.bind, spec.ports.http, () => http.createServer((q, r) => this.handle(q, r)));
    const pem = spec.ports.https === null ? '' : (await readIfExists(spec.certFile)) ?? '';
    if (this.https && pem && pem !== this.pem) this.https.setSecureContext({ cert: pem, key: pem });
    this.pem = pem;
    // no certificate (yet): no HTTPS
    await this.listen('https', spec.bind, pem ? spec.ports.https : null, () => https.createServer({ cert: pem, key: pem }, (q, r) => this.handle(q, r)));
  }

  private async listen(scheme: 'http' | 'https', bind: string, port: number | null, make: () => http.Server): Promise<void> {
    const at = port === null ? '' : `${bind}:${port}`;
    if (this.listening[scheme] === at && this[scheme]) return;
    await this.stop(scheme);
    if (port === null) return;
    const server = make();
    server.requestTimeout = 10_000;
    server.headersTimeout = 10_000;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, bind, () => (server.off('error', reject), resolve()));
      });
    } catch (e) {
      this.log.warn({ err: e, scheme, at }, 'mail client settings (autoconfig) not served: the port could not be taken; tried again at the next reconcile');
      return;
    }
    server.on('error', (e) => this.log.warn({ err: e, scheme }, 'autoconfig listener'));
    this[scheme] = server as never;
    this.listening[scheme] = at;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    let size = 0;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('too large\n');
        req.destroy();
      } else body += chunk;
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const url = new URL(req.url ?? '/', 'http://client.invalid');
      let answer;
      try {
        answer = autoconfigAnswer(
          { method: req.method ?? 'GET', path: url.pathname, host: req.headers.host ?? '', emailaddress: url.searchParams.get('emailaddress'), body },
          (domain) => this.setup.get(domain) ?? null,
        );
      } catch (e) {
        this.log.warn({ err: e }, 'mail client settings could not be rendered');
        answer = { status: 500, type: 'text/plain; charset=utf-8', body: 'mail client settings unavailable\n' };
      }
      res.writeHead(answer.status, { 'content-type': answer.type, 'cache-control': 'no-store' }).end(answer.body);
    });
    req.on('error', () => res.destroy());
  }

  private async stop(scheme: 'http' | 'https'): Promise<void> {
    const server = this[scheme];
    this[scheme] = null;
    this.listening[scheme] = '';
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.stop('http');
    await this.stop('https');
  }
}
