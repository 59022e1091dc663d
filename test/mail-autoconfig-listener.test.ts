// The mail server's autoconfig listener (src/mail/apply-autoconfig.ts) on loopback ports 25510–25512,
// without Postfix or Dovecot (test/agent-mail-clients.test.ts asks it through the real agent): a port
// it cannot take is logged, never thrown (mail goes on), and taken at a later update; HTTPS follows a
// new certificate without a restart; a body too large is refused; no domain left: it stops listening.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { run } from './helpers/mail-agent.js';
import { AutoconfigListener, type AutoconfigSpec } from '../src/mail/apply-autoconfig.js';

const [HTTP, HTTPS, OTHER] = [25510, 25511, 25512];
const ports = { smtp: 25, submission: 587, smtps: 465, imap: 143, imaps: 993, pop3: 110, pop3s: 995 };

/** a certificate and its key in one PEM, as the mail server keeps them */
const selfSigned = (dir: string, cn: string) => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-days', '2', '-keyout', path.join(dir, 'k'), '-out', path.join(dir, 'c')], { stdio: 'ignore' });
  return execFileSync('cat', [path.join(dir, 'c'), path.join(dir, 'k')]).toString();
};
/** curl (the listener runs in this process: never a synchronous child); status 0 when nothing answers */
const get = async (scheme: 'http' | 'https', port: number, pathAndQuery: string, body?: string) => {
  const r = await run('curl', ['-sS', '-k', '--max-time', '10', '-H', 'host: autoconfig.example.org', '-o', '-', '-w', '\n%{http_code}',
    ...(body === undefined ? [] : ['--data-binary', body]), `${scheme}://127.0.0.1:${port}${pathAndQuery}`]);
  return { status: r.code === 0 ? Number(r.stdout.slice(r.stdout.lastIndexOf('\n') + 1)) : 0, body: r.stdout };
};
const certCn = async (port: number) => (await run('sh', ['-c', `echo | openssl s_client -connect 127.0.0.1:${port} 2>/dev/null | openssl x509 -noout -subject`])).stdout;

test('the autoconfig listener: a taken port, a new certificate, a large body, no domain left', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'abri-autoconf-listener-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const certFile = path.join(dir, 'mail.pem');
  await writeFile(certFile, selfSigned(dir, 'first.example.net'));
  const warnings: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
  const listener = new AutoconfigListener(log);
  t.after(() => listener.close());
  const spec: AutoconfigSpec = { bind: '127.0.0.1', ports: { http: HTTP, https: HTTPS }, certFile, host: 'mail-1.example.net', mailPorts: ports, domains: ['example.org'] };

  // someone else holds the HTTP port: the update goes on, HTTPS is served, the refusal is logged
  const squatter = net.createServer().listen(HTTP, '127.0.0.1');
  await new Promise((r) => squatter.once('listening', r));
  await listener.update(spec);
  assert.ok(warnings.some((w) => w.includes('could not be taken')), warnings.join('\n'));
  assert.equal((await get('https', HTTPS, '/mail/config-v1.1.xml')).status, 200);
  await new Promise((r) => squatter.close(r));
  await listener.update(spec);
  assert.equal((await get('http', HTTP, '/mail/config-v1.1.xml?emailaddress=joe%40example.org')).status, 200, 'taken at the next update');

  // a renewed certificate is presented without a restart
  assert.match(await certCn(HTTPS), /first\.example\.net/);
  await writeFile(certFile, selfSigned(dir, 'second.example.net'));
  await listener.update(spec);
  assert.match(await certCn(HTTPS), /second\.example\.net/);

  // a request body beyond 16 KB is refused; an unknown domain is 404
  const big = await get('https', HTTPS, '/autodiscover/autodiscover.xml', `<EMailAddress>joe@example.org</EMailAddress>${'x'.repeat(40_000)}`);
  assert.equal(big.status, 413);
  assert.equal((await get('http', HTTP, '/mail/config-v1.1.xml?emailaddress=x%40other.example')).status, 404);

  // another port asked: the old one is let go
  await listener.update({ ...spec, ports: { http: OTHER, https: null } });
  assert.equal((await get('http', OTHER, '/mail/config-v1.1.xml')).status, 200);
  assert.equal((await get('https', HTTPS, '/mail/config-v1.1.xml')).status, 0);
  // no domain left: nothing listens
  await listener.update({ ...spec, domains: [] });
  assert.equal((await get('http', OTHER, '/mail/config-v1.1.xml')).status, 0);
});
