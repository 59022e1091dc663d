// A plain HTTP request through a given port with a chosen Host header (no proxy, no redirects).
import http from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** `timeoutMs`: how long the answer may keep silent before the request fails */
export function httpGet(port: number, host: string, urlPath: string, timeoutMs = 15_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: 'GET', headers: { host }, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${host}${urlPath}`)));
    req.on('error', reject);
    req.end();
  });
}

export interface HttpsAnswer extends HttpAnswer {
  /** SHA-256 of the certificate the server presented (hex, lower case) */
  fingerprint: string;
  /** its DNS names */
  names: string[];
}

/** An HTTPS request to 127.0.0.1:port with SNI and Host `host`, verified against `ca` (PEM). */
export function httpsGet(port: number, host: string, urlPath: string, ca: string): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', servername: host, port, path: urlPath, method: 'GET', headers: { host }, ca, agent: false, timeout: 15_000 }, (res) => {
      const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, headers: res.headers, body,
        fingerprint: String(cert.fingerprint256 ?? '').replace(/:/g, '').toLowerCase(),
        names: String(cert.subjectaltname ?? '').split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)),
      }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: https://${host}${urlPath}`)));
    req.on('error', reject);
    req.end();
  });
}
