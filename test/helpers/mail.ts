// What the mail integration tests share: swaks as the sender, Python's imaplib/poplib as the reader,
// and an SMTP sink on loopback standing for the world (it keeps each message's envelope and body).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';

export const MAIL_TOOLS = ['/usr/sbin/postfix', '/usr/sbin/dovecot', '/usr/lib/dovecot/lmtp', '/usr/lib/dovecot/imap', '/usr/lib/dovecot/pop3', '/usr/bin/swaks', '/usr/bin/python3', '/usr/bin/openssl'];
export const missingMailTools = (extra: string[] = []) => [...MAIL_TOOLS, ...extra].filter((f) => !existsSync(f));

export interface Run { code: number; stdout: string; stderr: string }
export const run = (cmd: string, args: string[]): Promise<Run> => new Promise((resolve) => {
  execFile(cmd, args, { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
});

/** swaks to 127.0.0.1:port; the last server reply lines tell what happened. */
export const smtp = (port: number, from: string, to: string, extra: string[] = []) =>
  run('swaks', ['--server', '127.0.0.1', '--helo', 'client.abri.test', '--timeout', '30', '--port', String(port), '--from', from, '--to', to, ...extra]);
export const auth = (user: string, password: string) => ['--auth', 'PLAIN', '--auth-user', user, '--auth-password', password];

const PY = `
import imaplib, poplib, ssl, sys, json
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
proto, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
try:
    m = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ctx); m.login(user, password); m.select('INBOX')
    ids = m.search(None, 'ALL')[1][0].split()
    print(json.dumps({'bodies': [m.fetch(i, '(BODY.PEEK[])')[1][0][1].decode(errors='replace') for i in ids]})); m.logout()
except Exception as e:
    print(json.dumps({'error': str(e)}))
`;
/** The INBOX's whole messages (headers and body) over IMAPS, or the error. */
export async function readImap(port: number, user: string, password: string): Promise<{ bodies?: string[]; error?: string }> {
  const r = await run('python3', ['-c', PY, 'imap', String(port), user, password]);
  return JSON.parse(r.stdout || JSON.stringify({ error: r.stderr }));
}

export interface SunkMessage { from: string; to: string[]; lines: string[] }

/** An SMTP sink on 127.0.0.1:port keeping every message it receives (envelope and lines). */
export function smtpSink(port: number): { server: net.Server; messages: SunkMessage[] } {
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
          } else msg.lines.push(line);
        } else if (/^MAIL FROM:/i.test(line)) (msg.from = /<([^>]*)>/.exec(line)?.[1] ?? '', s.write('250 ok\r\n'));
        else if (/^RCPT TO:/i.test(line)) (msg.to.push(/<([^>]*)>/.exec(line)?.[1] ?? ''), s.write('250 ok\r\n'));
        else if (/^DATA/i.test(line)) (data = true, s.write('354 go\r\n'));
        else if (/^QUIT/i.test(line)) s.end('221 bye\r\n');
        else s.write(/^EHLO/i.test(line) ? '250 sink\r\n' : '250 ok\r\n');
      }
    });
  }).listen(port, '127.0.0.1');
  return { server, messages };
}
