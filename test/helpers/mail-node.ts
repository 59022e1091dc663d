// A mail server for tests and benchmarks (root): a manager, a mail server registered on it, and that
// server's agent in this process running Abri's own Postfix and Dovecot on the given loopback ports
// (never the machine's 25 or 143), with swaks to send and Python's imaplib to read. Stop() has the
// driver stop Postfix and Dovecot (no mail domain wanted any more) and removes the temp root.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import pino from 'pino';
import { startTestManager, type TestManager } from './manager.js';
import { until } from './node.js';
import type { RawSettings } from '../../src/platform/config-values.js';
import { loadConfig } from '../../src/platform/config.js';
import { LocalExecutor } from '../../src/platform/executor.js';
import { Agent } from '../../src/agent/loop.js';
import { HttpManagerLink } from '../../src/agent/client.js';
import { nodeLayout } from '../../src/node/layout.js';
import { MailDriver } from '../../src/mail/apply-mail.js';

export const MAIL_TOOLS = ['/usr/sbin/postfix', '/usr/sbin/sendmail', '/usr/sbin/dovecot', '/usr/lib/dovecot/lmtp', '/usr/lib/dovecot/imap', '/usr/bin/swaks', '/usr/bin/python3', '/usr/bin/openssl'];
export const missingMailTools = () => MAIL_TOOLS.filter((f) => !existsSync(f));

export interface Run { code: number; stdout: string; stderr: string }
export const run = (cmd: string, args: string[], timeout = 60_000): Promise<Run> => new Promise((resolve) => {
  execFile(cmd, args, { timeout, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
});

/** Python's imaplib over TLS (the server's self-signed certificate accepted): the INBOX's messages (headers and body), or the error. */
const PY = `
import imaplib, ssl, sys, json
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
try:
    m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ctx); m.login(user, password); m.select('INBOX')
    ids = m.search(None, 'ALL')[1][0].split()
    print(json.dumps({'messages': [m.fetch(i, '(BODY.PEEK[])')[1][0][1].decode('utf-8', errors='replace') for i in ids]})); m.logout()
except Exception as e:
    print(json.dumps({'error': str(e)}))
`;

export interface MailNode {
  m: TestManager;
  root: string;
  serverId: string;
  ports: Record<'smtp' | 'submission' | 'smtps' | 'imap' | 'imaps' | 'pop3' | 'pop3s' | 'sieve' | 'replies', number>;
  /** a message through the SMTP port (swaks); extra swaks arguments */
  smtp(from: string, to: string, extra?: string[]): Promise<Run>;
  /** the INBOX's messages, read over IMAPS */
  inbox(user: string, password: string): Promise<{ messages?: string[]; error?: string }>;
  /** until the object reports live (an error fails) */
  live(kind: 'mailboxes' | 'mail-domains' | 'mail-aliases', id: string): Promise<void>;
  /** stops the agent only: Postfix and Dovecot go on with what they have (a benchmark's floor writes their files itself) */
  stopAgent(): Promise<void>;
  stop(): Promise<void>;
}

/** Ports: nine consecutive from `firstPort` (smtp, submission, smtps, imap, imaps, pop3, pop3s, sieve, replies). */
export async function startMailNode(opts: { firstPort: number; hostname: string; settings?: RawSettings; agentSettings?: RawSettings; agentLog?: string }): Promise<MailNode> {
  const names = ['smtp', 'submission', 'smtps', 'imap', 'imaps', 'pop3', 'pop3s', 'sieve', 'replies'] as const;
  const ports = Object.fromEntries(names.map((n, i) => [n, opts.firstPort + i])) as MailNode['ports'];
  const root = await mkdtemp('/tmp/abri-mail-node-');
  await chmod(root, 0o755); // Postfix and Dovecot's unprivileged processes reach their sockets under it
  const settings = { ABRI_MAIL_BIND: '127.0.0.1', ABRI_MAIL_AUTOCONFIG_PORTS: '', ABRI_POSTSRSD: '', ABRI_RSPAMD: '', ABRI_MAIL_PORTS: names.map((n) => `${n}=${ports[n]}`).join(','), ABRI_MAIL_HOSTNAME: opts.hostname, ABRI_MAIL_RELAYHOST: '[127.0.0.1]:9' };
  const m = await startTestManager({ settings: { ...settings, ...opts.settings } });
  const server = (await m.api('POST', '/api/v1/servers', { name: opts.hostname, roles: ['mail'], addresses: ['127.0.0.1'] })).body;
  const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: root, ABRI_RECONCILE_SECONDS: '1', ...settings, ...opts.agentSettings });
  const log = pino({ level: opts.agentLog ?? process.env.MAIL_TEST_LOG ?? 'silent' });
  const driver = new MailDriver(new LocalExecutor(), config.node, nodeLayout(root), log);
  const agent = new Agent({ link: new HttpManagerLink(m.url, server.agentToken), mode: 'apply', log, reconcileMs: 1000, waitMs: 2000, drivers: [driver] }).start();
  return {
    m, root, serverId: server.id, ports,
    smtp: (from, to, extra = []) => run('swaks', ['--server', '127.0.0.1', '--port', String(ports.smtp), '--helo', 'client.abri.test', '--timeout', '60', '--from', from, '--to', to, ...extra]),
    async inbox(user, password) {
      const r = await run('python3', ['-c', PY, String(ports.imaps), user, password]);
      return JSON.parse(r.stdout || JSON.stringify({ error: r.stderr }));
    },
    async live(kind, id) {
      await until(`${kind} ${id} live`, async () => {
        const p = (await m.api('GET', `/api/v1/${kind}/${id}`)).body.provisioning;
        if (p.status === 'error') throw new Error(`${p.code}: ${p.message}`);
        return p.status === 'live';
      });
    },
    stopAgent: () => agent.stop(),
    async stop() {
      await agent.stop();
      await driver.reconcile({ revision: 0, server: { id: server.id, name: opts.hostname, roles: ['mail'] }, mail: { domains: [], mailboxes: [], aliases: [] } }).catch((e: unknown) => console.error(e));
      m.manager.server.server.closeAllConnections();
      await m.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Asserts an API answer's status, showing its body when it differs. */
export function expectStatus(r: { status: number; body: unknown }, status: number): void {
  assert.equal(r.status, status, JSON.stringify(r.body));
}
