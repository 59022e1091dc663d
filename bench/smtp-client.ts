// A small SMTP/LMTP client for the mail benchmarks: one session per connection sends its messages
// one after the other (MAIL, RCPT, DATA, then RSET-free next transaction), as a busy sender would.
// SMTP over TCP to Postfix's port 25; LMTP over Dovecot's unix socket (LHLO, one reply per recipient).
import net from 'node:net';

export interface Message { from: string; to: string; data: string }

class Session {
  private buf = '';
  private waiting: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  private lines: string[] = [];
  private failure: Error | null = null;

  constructor(private readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buf += chunk;
      for (let i = this.buf.indexOf('\r\n'); i >= 0; i = this.buf.indexOf('\r\n')) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        const w = this.waiting.shift();
        if (w) w.resolve(line);
        else this.lines.push(line);
      }
    });
    socket.on('error', (e) => (this.failure = e));
    socket.on('close', () => {
      this.failure ??= new Error('the server closed the connection');
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    });
  }

  private line(): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** One reply (its continuation lines too); refuses any other code than `code`. */
  async reply(code: number, what: string): Promise<void> {
    for (;;) {
      const l = await this.line();
      if (l[3] === '-') continue;
      if (Number(l.slice(0, 3)) !== code) throw new Error(`${what}: ${l}`);
      return;
    }
  }

  send(text: string): void {
    this.socket.write(text, 'latin1');
  }
}

const connect = (target: { port: number; host: string } | { path: string }) => new Promise<net.Socket>((resolve, reject) => {
  const s = net.connect(target as net.NetConnectOpts, () => resolve(s));
  s.once('error', reject);
});

/** Sends the messages over one connection; `lmtp`: LHLO and a reply per recipient after DATA. */
export async function sendAll(target: { port: number; host: string } | { path: string }, messages: Message[], lmtp = false): Promise<void> {
  const s = new Session(await connect(target));
  await s.reply(220, 'greeting');
  s.send(`${lmtp ? 'LHLO' : 'EHLO'} bench.abri.test\r\n`);
  await s.reply(250, 'hello');
  for (const m of messages) {
    s.send(`MAIL FROM:<${m.from}>\r\n`);
    await s.reply(250, 'MAIL');
    s.send(`RCPT TO:<${m.to}>\r\n`);
    await s.reply(250, `RCPT ${m.to}`);
    s.send('DATA\r\n');
    await s.reply(354, 'DATA');
    s.send(`${m.data.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')}\r\n.\r\n`);
    await s.reply(250, `end of data for ${m.to}`);
  }
  s.send('QUIT\r\n');
  await s.reply(221, 'QUIT');
}

/** The messages spread over `connections` sessions at once. */
export async function sendSpread(target: { port: number; host: string } | { path: string }, messages: Message[], connections: number, lmtp = false): Promise<void> {
  const parts = Array.from({ length: connections }, (_, i) => messages.filter((_, j) => j % connections === i)).filter((p) => p.length);
  await Promise.all(parts.map((p) => sendAll(target, p, lmtp)));
}

/** A plain message of about `bytes` bytes. */
export function message(from: string, to: string, n: number, bytes: number): Message {
  const line = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n';
  const body = line.repeat(Math.max(1, Math.ceil(bytes / line.length)));
  return { from, to, data: `From: <${from}>\nTo: <${to}>\nSubject: bench message ${n}\nMessage-ID: <bench-${n}@bench.abri.test>\n\n${body}` };
}
