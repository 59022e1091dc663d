// Integration (root): the mail servers' certificates from a real ACME CA (Pebble), through Abri's
// PowerDNS, the edge and a mail server's agent running Abri's own Postfix and Dovecot on loopback
// ports 27000–27008 (a sink for the world on 27009; uids 68000–68099).
// - A mail server's first mail domain orders its certificate, for the name its mail records point to
//   (mail-1.<platform domain>); once issued, submission (STARTTLS) and IMAPS present it, verified
//   against Pebble's root (openssl s_client), the key file 0600 root's.
// - A renewal changes what is served, by a reload: an IMAP session open across it goes on.
// - A certificate whose key is not its own is refused by the agent: the previous one keeps serving and
//   staff see why (mail.refused on the certificate).
// - Staff only: customers never see the mail servers' certificates; no other server fetches its key,
//   and the mail server fetches no other certificate.
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-mail-certs.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import tls from 'node:tls';
import pino from 'pino';
import { until, TEST_RECONCILE_MS } from './helpers/node.js';
import { missingDnsCertsServices, useDnsCertsEnvironment } from './helpers/dns-certs.js';
import { missingMailTools } from './helpers/mail-agent.js';
import { run } from './helpers/mail-stack.js';
import { selfSignedCertificate } from './harness/certificates.js';
import { loadConfig } from '../src/platform/config.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { change } from '../src/platform/change.js';
import { systemCaller } from '../src/platform/actor.js';
import { Agent } from '../src/agent/loop.js';
import { HttpManagerLink } from '../src/agent/client.js';
import { nodeLayout } from '../src/node/layout.js';
import { MailDriver } from '../src/mail/apply-mail.js';
import { mailPaths } from '../src/mail/apply-mail-service.js';
import { inspectCertificate } from '../src/certs/model.js';

const PORTS = { smtp: 27000, submission: 27001, smtps: 27002, imap: 27003, imaps: 27004, pop3: 27005, pop3s: 27006, sieve: 27007, replies: 27008 };
const SINK = 27009;
const HOST = 'mail-1.web4me.test';
const missing = [...missingDnsCertsServices('test/agent-mail-certs.test.ts'), ...missingMailTools()];
if (missing.length && process.env.CI === 'true') test('Postfix, Dovecot and the clients are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));

describe('mail servers\' certificates from ACME, served by Postfix and Dovecot', { skip: missing.length > 0 }, () => {
  const { e, api, addSite } = useDnsCertsEnvironment({ uidBase: 68_000, acme: true });
  let root = '';
  let server: { id: string; agentToken: string } = { id: '', agentToken: '' };
  let agent: Agent | null = null;
  let driver: MailDriver | null = null;
  let rootFile = '';
  const box = { address: '', password: '' };
  const mailCert = async () => (await api('GET', `/api/v1/servers/${server.id}/mail-certificate`)).body;

  /** What a port presents (after STARTTLS on submission), and whether it verifies against Pebble's root for HOST. */
  async function served(port: number, starttls?: 'smtp'): Promise<{ fingerprint: string; issuer: string; names: string; verified: boolean }> {
    const r = await run('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...(starttls ? ['-starttls', starttls] : []), '-servername', HOST,
      '-CAfile', rootFile, '-verify_hostname', HOST], '');
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(r.stdout)?.[0];
    assert.ok(pem, `no certificate from port ${port}: ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 500)}`);
    const x = new X509Certificate(pem);
    return { fingerprint: x.fingerprint256.replace(/:/g, '').toLowerCase(), issuer: x.issuer, names: x.subjectAltName ?? '', verified: /Verify return code: 0 \(ok\)/.test(r.stdout) };
  }

  /** Waits until the mail server's certificate is valid, has not the fingerprint `not`, and is live on its server. */
  const issued = (not: string | null) => until('the mail server\'s certificate issued and live', async () => {
    const c = await mailCert();
    if (c.status === 'failing') throw new Error(`failing: ${c.lastError}`);
    if (c.provisioning?.status === 'error') throw new Error(`${c.provisioning.code}: ${c.provisioning.message}`);
    return c.status === 'valid' && c.fingerprint !== not && c.provisioning?.status === 'live' && c;
  }, 200_000, 250);

  before(async () => {
    root = await mkdtemp('/tmp/abri-mailcerts-');
    await chmod(root, 0o755); // Postfix and Dovecot's unprivileged processes reach their sockets under it
    rootFile = await e.pebble.rootFile();
    const created = await api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['127.0.0.1'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    server = created.body;
    const settings = {
      ABRI_MAIL_BIND: '127.0.0.1', ABRI_MAIL_PORTS: Object.entries(PORTS).map(([k, v]) => `${k}=${v}`).join(','), ABRI_MAIL_HOSTNAME: HOST,
      ABRI_MAIL_RELAYHOST: `[127.0.0.1]:${SINK}`, ABRI_MAIL_AUTOCONFIG_PORTS: '', ABRI_POSTSRSD: '', ABRI_RSPAMD: '',
    };
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: root, ABRI_RECONCILE_SECONDS: '1', ...settings });
    const log = pino({ level: process.env.MAIL_TEST_LOG ?? 'silent' });
    const link = new HttpManagerLink(e.m.url, server.agentToken);
    driver = new MailDriver(new LocalExecutor(), config.node, nodeLayout(root), log, (id) => link.certificate(id));
    agent = new Agent({ link, mode: 'apply', log, reconcileMs: TEST_RECONCILE_MS, waitMs: 2000, drivers: [driver] }).start();
  });

  after(async () => {
    await agent?.stop();
    // the driver's own code stops Postfix and Dovecot: no mail domain is wanted any more
    await driver?.reconcile({ revision: 0, server: { id: server.id, name: 'mail-1', roles: ['mail'] }, mail: { domains: [], mailboxes: [], aliases: [] } }).catch((err: unknown) => console.error(err));
    await driver?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('the first mail domain orders the server\'s certificate; Postfix and Dovecot present it, the key 0600 root\'s', async () => {
    assert.equal((await mailCert()).status, 'none', 'nothing ordered before the server has mail');
    await addSite({ domain: 'post-abri.test', httpsMode: 'http-only' });
    const domain = await api('POST', `/api/v1/hostings/${e.hosting.id}/mail-domains`, { name: 'post-abri.test' });
    assert.equal(domain.status, 201, JSON.stringify(domain.body));
    box.password = `pw-${Math.random().toString(36).slice(2)}`;
    const mailbox = await api('POST', '/api/v1/mail-domains/post-abri.test/mailboxes', { localPart: 'joe', quotaMb: 5, password: box.password });
    assert.equal(mailbox.status, 201, JSON.stringify(mailbox.body));
    box.address = mailbox.body.address;
    const c = await issued(null);
    assert.equal(c.kind, 'mail');
    assert.equal(c.server, 'mail-1');
    assert.deepEqual(c.wanted, [HOST]);
    assert.deepEqual(c.names, [HOST]);
    assert.match(c.issuer, /Pebble/i);
    for (const [port, starttls] of [[PORTS.submission, 'smtp'], [PORTS.imaps, undefined], [PORTS.smtps, undefined]] as const) {
      const s = await until(`port ${port} presents the ACME certificate`, async () => {
        const x = await served(port, starttls);
        return x.fingerprint === c.fingerprint && x;
      }, 30_000);
      assert.ok(s.verified, `port ${port}: the chain verifies against Pebble's root for ${HOST}`);
      assert.equal(s.names, `DNS:${HOST}`);
      assert.match(s.issuer, /Pebble Intermediate/i, 'issued by Pebble\'s intermediate');
    }
    const key = await stat(mailPaths(root).certFile);
    assert.equal(key.mode & 0o777, 0o600);
    assert.equal(key.uid, 0);
    // the list staff read shows it too, named by its server
    const listed = (await api('GET', '/api/v1/certificates?limit=100')).body.items.find((x: { id: string }) => x.id === c.id);
    assert.equal(listed?.kind, 'mail');
    assert.equal(listed?.server, 'mail-1');
  });

  test('a renewal changes what is served, by a reload: an IMAP session open across it goes on', async () => {
    const before = await mailCert();
    // a session signed in before the renewal
    const session = tls.connect({ host: '127.0.0.1', port: PORTS.imaps, rejectUnauthorized: false });
    let said = '';
    let closed = false;
    session.on('data', (d: Buffer) => (said += d.toString()));
    session.on('close', () => (closed = true));
    await until('IMAP greeting', async () => said.includes('* OK'), 20_000);
    assert.equal(session.getPeerCertificate().fingerprint256.replace(/:/g, '').toLowerCase(), before.fingerprint);
    session.write(`a1 LOGIN ${box.address} ${box.password}\r\n`);
    await until('IMAP login', async () => /a1 OK/.test(said), 20_000);
    const renew = await api('POST', `/api/v1/servers/${server.id}/mail-certificate/renew`);
    assert.equal(renew.status, 200, JSON.stringify(renew.body));
    const renewed = await issued(before.fingerprint);
    for (const [port, starttls] of [[PORTS.submission, 'smtp'], [PORTS.imaps, undefined]] as const) {
      await until(`port ${port} presents the renewed certificate`, async () => (await served(port, starttls)).fingerprint === renewed.fingerprint, 30_000);
    }
    assert.ok(!closed, `the session was closed by the reload: ${said} ${(await readFile(mailPaths(root).dovecotLog, 'utf8')).slice(-3000)}`);
    session.write('a2 NOOP\r\n');
    await until('the session opened before the reload answers', async () => /a2 OK/.test(said)).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${said} ${(await readFile(mailPaths(root).dovecotLog, 'utf8')).slice(-3000)}`);
    });
    session.end();
  });

  test('a certificate whose key is not its own is refused by the agent; the previous one keeps serving and staff see why', async () => {
    const good = await mailCert();
    const bad = await selfSignedCertificate([HOST], 30);
    const info = inspectCertificate(bad.cert);
    const app = e.m.manager.app;
    // as if the manager held a certificate and a key that do not match: the agent must not install it
    await change(app, systemCaller('test'), async (c) => {
      c.staffOnly();
      const revision = await c.bump('test: a certificate with another key', [server.id]);
      await c.db.updateTable('certificates').set({ certPem: bad.cert, chainPem: '', fingerprint: info.fingerprint, notAfter: info.notAfter, revision }).where('id', '=', good.id).execute();
      c.nothingToAudit();
    });
    const refused = await until('the mail server reports the certificate refused', async () => {
      const c = await mailCert();
      return c.fingerprint === info.fingerprint && c.provisioning?.status === 'error' && c;
    }, 30_000);
    assert.equal(refused.provisioning.code, 'mail.refused');
    assert.match(refused.provisioning.message, /private key is not the certificate's/);
    assert.equal((await served(PORTS.submission, 'smtp')).fingerprint, good.fingerprint);
    assert.equal((await served(PORTS.imaps)).fingerprint, good.fingerprint);
    // mail goes on: the mailbox still reads over IMAPS
    const read = await run('python3', ['-c', `
import imaplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[3]); ctx.check_hostname = False
m = imaplib.IMAP4_SSL('127.0.0.1', ${PORTS.imaps}, ssl_context=ctx); m.login(sys.argv[1], sys.argv[2]); print(m.select('INBOX')[0])`, box.address, box.password, rootFile], '');
    assert.equal(read.stdout.trim(), 'OK', read.stderr);
    // a good one again (renewed): served, and the error is gone
    assert.equal((await api('POST', `/api/v1/servers/${server.id}/mail-certificate/renew`)).status, 200);
    const again = await issued(info.fingerprint);
    await until('the renewed certificate served', async () => (await served(PORTS.submission, 'smtp')).fingerprint === again.fingerprint, 30_000);
  });

  test('staff only: customers never see the mail servers\' certificates; their key reaches their own server alone', async () => {
    const c = await mailCert();
    const customer = await e.m.user('owner-mailcerts@abri.test', 'customer');
    assert.equal((await e.m.join(e.hosting.customerId, 'owner-mailcerts@abri.test', 'owner')).status, 201);
    for (const [method, path] of [['GET', `/api/v1/servers/${server.id}/mail-certificate`], ['POST', `/api/v1/servers/${server.id}/mail-certificate/renew`], ['GET', '/api/v1/certificates']]) {
      const r = await e.m.api(method, path, undefined, { token: customer.token });
      assert.ok([403, 404].includes(r.status), `${method} ${path}: ${r.status}`);
    }
    // an edge (or any other server) does not get the mail server's key; the mail server gets no other certificate
    const edge = (await api('POST', '/api/v1/servers', { name: 'edge-2', roles: ['edge', 'web'], addresses: ['127.0.0.2'] })).body;
    await assert.rejects(new HttpManagerLink(e.m.url, edge.agentToken).certificate(c.id), /404|not found/i);
    const platform = (await api('GET', '/api/v1/certificates/platform')).body;
    if (platform.id) await assert.rejects(new HttpManagerLink(e.m.url, server.agentToken).certificate(platform.id), /404|not found/i);
    assert.equal((await new HttpManagerLink(e.m.url, server.agentToken).certificate(c.id)).fingerprint, c.fingerprint);
    // a server that is not a mail server has no mail certificate
    assert.equal((await api('GET', `/api/v1/servers/${edge.id}/mail-certificate`)).body.code, 'certificate.not_mail_server');
  });
});
