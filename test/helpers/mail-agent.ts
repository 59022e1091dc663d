// A mail server's agent with its own Postfix and Dovecot on loopback ports, for integration tests
// (root): a manager, a mail server, the MailDriver applying for real, an SMTP sink standing for the
// world, and the clients (swaks, Python's imaplib/poplib). The setup of test/agent-mail.test.ts,
// shared: a test gives its own ports, uid range and hosting prefix.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import pino from 'pino';
import { startTestManager, type TestManager } from './manager.js';
import { until } from './node.js';
import { loadConfig } from '../../src/platform/config.js';
import { LocalExecutor } from '../../src/platform/executor.js';
import { Agent } from '../../src/agent/loop.js';
import { HttpManagerLink } from '../../src/agent/client.js';
import { nodeLayout } from '../../src/node/layout.js';
import { MailDriver } from '../../src/mail/apply-mail.js';
import type { MailPorts } from '../../src/platform/config-mail.js';

export const missingMailTools = () => ['/usr/sbin/postfix', '/usr/sbin/dovecot', '/usr/lib/dovecot/lmtp', '/usr/lib/dovecot/imap', '/usr/lib/dovecot/pop3', '/usr/bin/swaks', '/usr/bin/python3', '/usr/bin/openssl']
  .filter((f) => !existsSync(f));

export interface Run { code: number; stdout: string; stderr: string }
export const run = (cmd: string, args: string[]): Promise<Run> => new Promise((resolve) => {
  execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
});

/** swaks; the last server reply lines tell what happened */
export const smtp = (port: number, from: string, to: string, extra: string[] = []) =>
  run('swaks', ['--server', '127.0.0.1', '--helo', 'client.abri.test', '--timeout', '30', '--port', String(port), '--from', from, '--to', to, ...extra]);
export const auth = (user: string, password: string) => ['--auth', 'PLAIN', '--auth-user', user, '--auth-password', password];

const PY = `
import imaplib, poplib, ssl, sys, json
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
proto, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
try:
    if proto == 'imap':
        m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ctx); m.login(user, password); m.select('INBOX')
        ids = m.search(None, 'ALL')[1][0].split()
        print(json.dumps({'bodies': [m.fetch(i, '(BODY.PEEK[TEXT])')[1][0][1].decode(errors='replace') for i in ids]})); m.logout()
    else:
        p = poplib.POP3('127.0.0.1', port); p.stls(ctx); p.user(user); p.pass_(password)
        print(json.dumps({'bodies': [b'\\n'.join(p.retr(i + 1)[1]).decode(errors='replace') for i in range(len(p.list()[1]))]})); p.quit()
except Exception as e:
    print(json.dumps({'error': str(e)}))
`;

export interface MailAgent {
  m: TestManager;
  root: string;
  serverId: string;
  driver: MailDriver;
  /** what the sink (the world) received, line by line */
  relayed: string[];
  /** Python's imaplib (IMAPS) or poplib (POP3 + STARTTLS): the INBOX's bodies, or the error */
  read(proto: 'imap' | 'pop3', user: string, password: string): Promise<{ bodies?: string[]; error?: string }>;
  live(kind: 'mailboxes' | 'mail-domains' | 'mail-aliases', id: string): Promise<unknown>;
  close(): Promise<void>;
}

/** An SMTP sink on loopback that keeps what it receives. */
function startSink(port: number, relayed: string[]): net.Server {
  return net.createServer((s) => {
    let data = false;
    let buf = '';
    s.on('error', (e) => relayed.push(`sink error: ${e.message}`)); // a client that hangs up is no failure of the sink
    s.write('220 sink ESMTP\r\n');
    s.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (data) {
          if (line === '.') (data = false, s.write('250 ok\r\n'));
          else relayed.push(line);
        } else if (/^DATA/i.test(line)) (data = true, s.write('354 go\r\n'));
        else if (/^QUIT/i.test(line)) s.end('221 bye\r\n');
        else s.write(/^EHLO/i.test(line) ? '250 sink\r\n' : '250 ok\r\n');
      }
    });
  }).listen(port, '127.0.0.1');
}

export async function startMailAgent(o: { name: string; ports: MailPorts; sink: number; prefix: string; uids: [number, number]; settings?: Record<string, string> }): Promise<MailAgent> {
  const root = await mkdtemp(`/tmp/abri-${o.name}-`);
  await chmod(root, 0o755); // Postfix and Dovecot's unprivileged processes reach their sockets under it
  const relayed: string[] = [];
  const sink = startSink(o.sink, relayed);
  const settings = {
    ABRI_MAIL_BIND: '127.0.0.1', ABRI_MAIL_PORTS: Object.entries(o.ports).map(([k, v]) => `${k}=${v}`).join(','), ABRI_MAIL_HOSTNAME: 'mail.abri.test',
    ABRI_MAIL_RELAYHOST: `[127.0.0.1]:${o.sink}`, ABRI_MAIL_AUTOCONFIG_PORTS: '', ABRI_POSTSRSD: '', ABRI_RSPAMD: '', ABRI_MAIL_LOGIN_DELAY: 'none', ...o.settings,
  };
  const m = await startTestManager({ settings: { ABRI_HOSTING_PREFIX: o.prefix, ABRI_UID_MIN: String(o.uids[0]), ABRI_UID_MAX: String(o.uids[1]), ...settings } });
  const server = (await m.api('POST', '/api/v1/servers', { name: 'mail-1', roles: ['mail'], addresses: ['127.0.0.1'] })).body;
  assert.ok(server.id, JSON.stringify(server));
  const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: root, ABRI_RECONCILE_SECONDS: '1', ...settings });
  const log = pino({ level: process.env.MAIL_TEST_LOG ?? 'silent' });
  const driver = new MailDriver(new LocalExecutor(), config.node, nodeLayout(root), log);
  const agent = new Agent({ link: new HttpManagerLink(m.url, server.agentToken), mode: 'apply', log, reconcileMs: 1000, waitMs: 2000, drivers: [driver] }).start();
  return {
    m, root, serverId: server.id, driver, relayed,
    async read(proto, user, password) {
      const r = await run('python3', ['-c', PY, proto, String(proto === 'imap' ? o.ports.imaps : o.ports.pop3), user, password]);
      return JSON.parse(r.stdout || JSON.stringify({ error: r.stderr }));
    },
    live: (kind, id) => until(`${kind} ${id} live`, async () => {
      const p = (await m.api('GET', `/api/v1/${kind}/${id}`)).body.provisioning;
      if (p.status === 'error') throw new Error(`${p.code}: ${p.message}`);
      return p.status === 'live';
    }),
    async close() {
      await agent.stop();
      // the driver's own code stops Postfix, Dovecot and the autoconfig listener: no mail domain is wanted any more
      await driver.reconcile({ revision: 0, server: { id: server.id, name: 'mail-1', roles: ['mail'] }, mail: { domains: [], mailboxes: [], aliases: [] } }).catch((e: unknown) => console.error(e));
      await driver.close();
      sink.close();
      m.manager.server.server.closeAllConnections();
      await m.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
