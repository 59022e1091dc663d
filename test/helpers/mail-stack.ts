// A mail server for integration tests: a real manager, and a mail server's agent running Abri's own
// Postfix and Dovecot on loopback ports (never the machine's 25/143), with an SMTP sink standing for
// the world (Postfix's relay host) that keeps every message it receives; swaks sends, Python's
// imaplib reads. Used by test/agent-mail-sieve.test.ts (test/agent-mail.test.ts has its own copy).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import pino from 'pino';
import { startTestManager, seedHosting, type TestManager } from './manager.js';
import { until } from './node.js';
import { loadConfig } from '../../src/platform/config.js';
import { LocalExecutor } from '../../src/platform/executor.js';
import { Agent } from '../../src/agent/loop.js';
import { HttpManagerLink } from '../../src/agent/client.js';
import { nodeLayout } from '../../src/node/layout.js';
import { MailDriver } from '../../src/mail/apply-mail.js';
import { mailPaths } from '../../src/mail/apply-mail-service.js';
import type { MailPorts } from '../../src/platform/config-mail.js';

export interface Run { code: number; stdout: string; stderr: string }
export const run = (cmd: string, args: string[], input?: string): Promise<Run> => new Promise((resolve) => {
  const child = execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  child.stdin?.end(input ?? '');
});

/** One message the world received: its envelope and its lines. */
export interface SinkMessage { from: string; to: string[]; lines: string[] }

/** An SMTP server on loopback that accepts everything and keeps it. */
export function smtpSink(port: number): { messages: SinkMessage[]; close: () => void } {
  const messages: SinkMessage[] = [];
  const server = net.createServer((s) => {
    let data = false;
    let buf = '';
    let current: SinkMessage = { from: '', to: [], lines: [] };
    s.on('error', () => undefined); // a client that hangs up is no failure of the sink
    s.write('220 sink ESMTP\r\n');
    s.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (data) {
          if (line === '.') (data = false, messages.push(current), current = { from: '', to: [], lines: [] }, s.write('250 ok\r\n'));
          else current.lines.push(line.startsWith('..') ? line.slice(1) : line);
        } else if (/^MAIL FROM:/i.test(line)) (current.from = /<([^>]*)>/.exec(line)?.[1] ?? '', s.write('250 ok\r\n'));
        else if (/^RCPT TO:/i.test(line)) (current.to.push(/<([^>]*)>/.exec(line)?.[1] ?? ''), s.write('250 ok\r\n'));
        else if (/^DATA/i.test(line)) (data = true, s.write('354 go\r\n'));
        else if (/^QUIT/i.test(line)) s.end('221 bye\r\n');
        else s.write(/^EHLO/i.test(line) ? '250 sink\r\n' : '250 ok\r\n');
      }
    });
  }).listen(port, '127.0.0.1');
  return { messages, close: () => server.close() };
}

const IMAP = `
import imaplib, ssl, sys, json
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
port, user, password, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
try:
    m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ctx); m.login(user, password)
    typ, _ = m.select('"' + folder + '"')
    if typ != 'OK':
        print(json.dumps({'error': 'no folder ' + folder})); sys.exit(0)
    ids = m.search(None, 'ALL')[1][0].split()
    print(json.dumps({'messages': [m.fetch(i, '(BODY.PEEK[])')[1][0][1].decode(errors='replace') for i in ids]})); m.logout()
except Exception as e:
    print(json.dumps({'error': str(e)}))
`;

export interface MailStack {
  m: TestManager;
  root: string;
  ports: MailPorts;
  sink: SinkMessage[];
  hostings: Record<string, { id: string; name: string; uid: number; customerId: string }>;
  /** a mailbox of a mail domain, live on the mail server */
  mailbox(domain: string, localPart: string, quotaMb?: number): Promise<{ id: string; address: string; password: string }>;
  /** swaks against a port of the mail server */
  smtp(port: number, from: string, to: string, extra?: string[]): Promise<Run>;
  /** a folder's messages (whole), over IMAPS */
  imap(user: string, password: string, folder?: string): Promise<{ messages?: string[]; error?: string }>;
  /** waits until Postfix has nothing left in its queue (every message delivered or bounced) */
  drained(): Promise<void>;
  /** how many messages Postfix handed to Dovecot for this address (LMTP, "status=sent") */
  delivered(address: string): Promise<number>;
  close(): Promise<void>;
}

/** Starts a manager with one mail server, two hostings (customers Alpha and Bravo) each with mail.<k>-<tag>.example. */
export async function startMailStack(opts: { tag: string; ports: MailPorts; sink: number; uidMin: number; uidMax: number; prefix: string }): Promise<MailStack> {
  const root = await mkdtemp(`/tmp/abri-${opts.tag}-`);
  await chmod(root, 0o755); // Postfix and Dovecot's unprivileged processes reach their sockets under it
  const sink = smtpSink(opts.sink);
  const settings = {
    ABRI_MAIL_BIND: '127.0.0.1', ABRI_MAIL_AUTOCONFIG_PORTS: '', ABRI_POSTSRSD: '', ABRI_RSPAMD: '', ABRI_MAIL_PORTS: Object.entries(opts.ports).map(([k, v]) => `${k}=${v}`).join(','),
    ABRI_MAIL_HOSTNAME: 'mail.abri.test', ABRI_MAIL_RELAYHOST: `[127.0.0.1]:${opts.sink}`, ABRI_MAIL_LOGIN_DELAY: 'none',
  };
  const m = await startTestManager({ settings: { ABRI_HOSTING_PREFIX: opts.prefix, ABRI_UID_MIN: String(opts.uidMin), ABRI_UID_MAX: String(opts.uidMax), ...settings } });
  const server = (await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['127.0.0.1'] })).body;
  const hostings: MailStack['hostings'] = {};
  for (const [k, customer] of [['a', 'Alpha'], ['b', 'Bravo']] as const) {
    const h = (await seedHosting(m, { customer, offer: { maxMailboxes: 4, mailMb: 20 } })).hosting;
    hostings[k] = (await m.api('GET', `/api/v1/hostings/${h.id}`)).body;
    const domain = `mail.${k}-${opts.tag}.example`;
    assert.equal((await m.api('POST', `/api/v1/hostings/${h.id}/sites`, { domain })).status, 201);
    assert.equal((await m.api('POST', `/api/v1/hostings/${h.id}/mail-domains`, { name: domain })).status, 201);
  }
  const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: root, ABRI_RECONCILE_SECONDS: '1', ...settings });
  const log = pino({ level: process.env.MAIL_TEST_LOG ?? 'silent' });
  const driver = new MailDriver(new LocalExecutor(), config.node, nodeLayout(root), log);
  const agent = new Agent({ link: new HttpManagerLink(m.url, server.agentToken), mode: 'apply', log, reconcileMs: 1000, waitMs: 2000, drivers: [driver] }).start();
  const paths = mailPaths(root);
  const postfixLog = async () => (await readFile(paths.postfixLog, 'utf8').catch(() => ''));
  return {
    m, root, ports: opts.ports, sink: sink.messages, hostings,
    async mailbox(domain, localPart, quotaMb = 5) {
      const password = `pw-${localPart}-${Math.random().toString(36).slice(2)}`;
      const r = await m.api('POST', `/api/v1/mail-domains/${domain}/mailboxes`, { localPart, quotaMb, password });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      await until(`mailbox ${r.body.address} live`, async () => {
        const p = (await m.api('GET', `/api/v1/mailboxes/${r.body.id}`)).body.provisioning;
        if (p.status === 'error') throw new Error(`${p.code}: ${p.message}`);
        return p.status === 'live';
      });
      return { id: r.body.id, address: r.body.address, password };
    },
    smtp: (port, from, to, extra = []) => run('swaks', ['--server', '127.0.0.1', '--helo', 'client.abri.test', '--timeout', '30', '--port', String(port), '--from', from, '--to', to, ...extra]),
    async imap(user, password, folder = 'INBOX') {
      const r = await run('python3', ['-c', IMAP, String(opts.ports.imaps), user, password, folder]);
      return JSON.parse(r.stdout || JSON.stringify({ error: r.stderr }));
    },
    async drained() {
      await until('Postfix\'s queue empty', async () => /Mail queue is empty/.test((await run('postqueue', ['-c', paths.postfixDir, '-p'])).stdout));
    },
    async delivered(address) {
      return (await postfixLog()).split('\n').filter((l) => l.includes(`to=<${address}>`) && l.includes('status=sent')).length;
    },
    async close() {
      await agent.stop();
      // the driver's own code stops Postfix and Dovecot: no mail domain is wanted any more
      await driver.reconcile({ revision: 0, server: { id: server.id, name: 'mail-1', roles: ['mail'] }, mail: { domains: [], mailboxes: [], aliases: [] } }).catch((e: unknown) => console.error(e));
      sink.close();
      m.manager.server.server.closeAllConnections();
      await m.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
