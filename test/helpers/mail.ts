// What the mail integration tests share: swaks as the sender, Python's imaplib/poplib as the reader,
// an SMTP sink on loopback standing for the world (it keeps each message's envelope and body), and a
// mail server for real: a manager, a mail server registered on it and that server's agent in this
// process, running Abri's own Postfix and Dovecot on loopback ports (never the machine's 25 or 143).
// test/helpers/mail-agent.ts, mail-node.ts and mail-stack.ts are the setups of the tests on top of it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import pino from 'pino';
import { startTestManager, type TestManager } from './manager.js';
import { until, TEST_RECONCILE_MS } from './node.js';
import type { RawSettings } from '../../src/platform/config-values.js';
import { loadConfig } from '../../src/platform/config.js';
import { LocalExecutor, type ExecResult, type RunOptions } from '../../src/platform/executor.js';
import { Agent } from '../../src/agent/loop.js';
import { HttpManagerLink } from '../../src/agent/client.js';
import { nodeLayout } from '../../src/node/layout.js';
import { MailDriver } from '../../src/mail/apply-mail.js';

export const MAIL_TOOLS = ['/usr/sbin/postfix', '/usr/sbin/sendmail', '/usr/sbin/dovecot', '/usr/lib/dovecot/lmtp', '/usr/lib/dovecot/imap', '/usr/lib/dovecot/pop3', '/usr/bin/swaks', '/usr/bin/python3', '/usr/bin/openssl'];
export const missingMailTools = (extra: string[] = []) => [...MAIL_TOOLS, ...extra].filter((f) => !existsSync(f));

export interface Run { code: number; stdout: string; stderr: string }
/** Runs a command (60 s at most) with `input`, or nothing, on its standard input (closed: swaks asks there for what it lacks). */
export const run = (cmd: string, args: string[], input?: string): Promise<Run> => new Promise((resolve) => {
  const child = execFile(cmd, args, { timeout: 60_000, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  child.stdin?.on('error', () => undefined); // a command that exits without reading it (EPIPE): its exit code tells
  child.stdin?.end(input);
});

/** swaks to 127.0.0.1:port; the last server reply lines tell what happened. */
export const smtp = (port: number, from: string, to: string, extra: string[] = []) =>
  run('swaks', ['--server', '127.0.0.1', '--helo', 'client.abri.test', '--timeout', '30', '--port', String(port), '--from', from, '--to', to, ...extra]);
export const auth = (user: string, password: string) => ['--auth', 'PLAIN', '--auth-user', user, '--auth-password', password];

// Python started without site (-I -S) and a bare TLS context (the system CA store loaded for nothing
// otherwise: verification is off): a third less CPU per read, which tests repeat while they wait.
const READER = `
import imaplib, poplib, ssl, sys, json
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
proto, port, user, password, folder, part = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
try:
    if proto == 'imap':
        m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ctx); m.login(user, password)
        typ, _ = m.select('"' + folder + '"')
        if typ != 'OK':
            print(json.dumps({'error': 'no folder ' + folder})); sys.exit(0)
        ids = m.search(None, 'ALL')[1][0].split()
        print(json.dumps({'messages': [m.fetch(i, '(BODY.PEEK[' + part + '])')[1][0][1].decode(errors='replace') for i in ids]})); m.logout()
    else:
        p = poplib.POP3('127.0.0.1', port); p.stls(ctx); p.user(user); p.pass_(password)
        print(json.dumps({'messages': [b'\\n'.join(p.retr(i + 1)[1]).decode(errors='replace') for i in range(len(p.list()[1]))]})); p.quit()
except Exception as e:
    print(json.dumps({'error': str(e)}))
`;

/**
 * A mailbox's messages, or the error: over IMAPS (a folder, the whole messages or their `TEXT` part)
 * or over POP3 with STARTTLS (whole, the INBOX); the server's self-signed certificate is accepted.
 */
export async function readMail(proto: 'imap' | 'pop3', port: number, user: string, password: string, o: { folder?: string; part?: '' | 'TEXT' } = {}): Promise<{ messages?: string[]; error?: string }> {
  const r = await run('python3', ['-I', '-S', '-c', READER, proto, String(port), user, password, o.folder ?? 'INBOX', o.part ?? '']);
  return JSON.parse(r.stdout || JSON.stringify({ error: r.stderr }));
}

/** The INBOX's whole messages (headers and body) over IMAPS, or the error. */
export async function readImap(port: number, user: string, password: string): Promise<{ bodies?: string[]; error?: string }> {
  const { messages, error } = await readMail('imap', port, user, password);
  return messages ? { bodies: messages } : { error };
}

export interface SunkMessage { from: string; to: string[]; lines: string[] }

/** An SMTP sink on 127.0.0.1:port keeping every message it receives (envelope and lines, dot-unstuffed). */
export function smtpSink(port: number): { server: net.Server; messages: SunkMessage[]; close: () => void } {
  const messages: SunkMessage[] = [];
  const server = net.createServer((s) => {
    let buf = '';
    let msg: SunkMessage = { from: '', to: [], lines: [] };
    let data = false;
    s.on('error', () => s.destroy()); // a client that hangs up is no failure of the sink
    s.write('220 sink ESMTP\r\n');
    s.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (data) {
          if (line === '.') {
            data = false;
            messages.push(msg);
            msg = { from: '', to: [], lines: [] };
            s.write('250 ok\r\n');
          } else msg.lines.push(line.startsWith('..') ? line.slice(1) : line);
        } else if (/^MAIL FROM:/i.test(line)) (msg.from = /<([^>]*)>/.exec(line)?.[1] ?? '', s.write('250 ok\r\n'));
        else if (/^RCPT TO:/i.test(line)) (msg.to.push(/<([^>]*)>/.exec(line)?.[1] ?? ''), s.write('250 ok\r\n'));
        else if (/^DATA/i.test(line)) (data = true, s.write('354 go\r\n'));
        else if (/^QUIT/i.test(line)) s.end('221 bye\r\n');
        else s.write(/^EHLO/i.test(line) ? '250 sink\r\n' : '250 ok\r\n');
      }
    });
  }).listen(port, '127.0.0.1');
  return { server, messages, close: () => server.close() };
}

/** The product's executor, keeping the programs it ran with their arguments (a test sees what an apply ran). */
class RecordingExecutor extends LocalExecutor {
  readonly ran: string[][] = [];
  override run(cmd: string, args: string[], opts: RunOptions = {}): Promise<ExecResult> {
    this.ran.push([cmd.split('/').pop()!, ...args]);
    return super.run(cmd, args, opts);
  }
}

export interface MailServer {
  m: TestManager;
  /** the node's root (ABRI_NODE_ROOT): every file the agent writes is under it */
  root: string;
  serverId: string;
  driver: MailDriver;
  /** every program the driver ran, in order: its name, then its arguments */
  ran: string[][];
  /** stops the agent only: Postfix and Dovecot go on with what they have */
  stopAgent(): Promise<void>;
  /** the driver stops Postfix, Dovecot and the autoconfig listener (no mail domain wanted any more), then the manager; the root is removed */
  stop(): Promise<void>;
}

/**
 * A manager (with `settings` and `managerSettings`), a mail server `serverName` registered on it, and
 * that server's agent in this process applying for real (`settings` and `agentSettings`) under a new
 * root /tmp/abri-<tag>-…; `beforeAgent` runs before the agent starts.
 */
export async function startMailServer(o: {
  tag: string; serverName: string; settings: RawSettings; managerSettings?: RawSettings; agentSettings?: RawSettings; logLevel?: string;
  beforeAgent?: (m: TestManager) => Promise<void>;
}): Promise<MailServer> {
  const root = await mkdtemp(`/tmp/abri-${o.tag}-`);
  await chmod(root, 0o755); // Postfix and Dovecot's unprivileged processes reach their sockets under it
  const m = await startTestManager({ settings: { ...o.settings, ...o.managerSettings } });
  const server = (await m.api('POST', '/api/v1/servers', { name: o.serverName, roles: ['mail'], addresses: ['127.0.0.1'] })).body;
  if (!server.id) throw new Error(`the mail server was not registered: ${JSON.stringify(server)}`);
  await o.beforeAgent?.(m);
  const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: root, ABRI_RECONCILE_SECONDS: '1', ...o.settings, ...o.agentSettings });
  const log = pino({ level: o.logLevel ?? process.env.MAIL_TEST_LOG ?? 'silent' });
  const exec = new RecordingExecutor();
  const driver = new MailDriver(exec, config.node, nodeLayout(root), log);
  const agent = new Agent({ link: new HttpManagerLink(m.url, server.agentToken), mode: 'apply', log, reconcileMs: TEST_RECONCILE_MS, waitMs: 2000, drivers: [driver] }).start();
  return {
    m, root, serverId: server.id, driver, ran: exec.ran,
    stopAgent: () => agent.stop(),
    async stop() {
      await agent.stop();
      await driver.reconcile({ revision: 0, server: { id: server.id, name: o.serverName, roles: ['mail'] }, mail: { domains: [], mailboxes: [], aliases: [] } }).catch((e: unknown) => console.error(e));
      await driver.close();
      m.manager.server.server.closeAllConnections();
      await m.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Until the object reports live on the mail server (an error state fails at once). */
export const live = (m: TestManager, kind: 'mailboxes' | 'mail-domains' | 'mail-aliases', id: string) => until(`${kind} ${id} live`, async () => {
  const p = (await m.api('GET', `/api/v1/${kind}/${id}`)).body.provisioning;
  if (p.status === 'error') throw new Error(`${p.code}: ${p.message}`);
  return p.status === 'live';
});
