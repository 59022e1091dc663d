// The sending-rate policy service of a mail server (side effects): a Postfix policy server
// (SMTPD_POLICY_README's protocol: "name=value" lines, an empty line, answered "action=…") on a
// unix socket of the agent, asked by the submission and smtps listeners at the end of each
// authenticated message. It counts the messages of each SASL login over the last hour and the last
// day (sliding windows, so a limit never resets at a clock boundary) and answers HOLD past the
// mailbox's limit: the message waits in Postfix's hold queue, neither lost nor sent, until staff
// release or delete it. The counts are kept on disk (written atomically after each message, read
// back at start): an agent restart forgets nothing. While the agent is down, Postfix answers
// 451 4.3.5 to the client, which retries: nothing leaves uncounted.
import { chown, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { readIfExists } from '../platform/if-exists.js';
import { systemUser } from '../platform/system-accounts.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface SendLimit { perHour: number; perDay: number }

/** What a count says of one more message: its answer for Postfix. */
export function rateDecision(sent: number[], limit: SendLimit | undefined, now: number): { hold: string | null; kept: number[] } {
  const kept = sent.filter((t) => t > now - DAY && t <= now);
  if (!limit) return { hold: null, kept };
  const lastHour = kept.filter((t) => t > now - HOUR).length;
  if (lastHour >= limit.perHour) return { hold: `sending limit reached (${limit.perHour} messages per hour)`, kept };
  if (kept.length >= limit.perDay) return { hold: `sending limit reached (${limit.perDay} messages per day)`, kept };
  return { hold: null, kept: [...kept, now] };
}

export class RatePolicy {
  private server: net.Server | null = null;
  private counts = new Map<string, number[]>();
  private limits = new Map<string, SendLimit>();
  private saving: Promise<void> = Promise.resolve();
  /** Postfix's open connections: its smtpd processes keep theirs until they exit (max_idle, 100 s) */
  private readonly conns = new Set<net.Socket>();
  /** how many messages it has held since the agent started (the hold queue is read again when it moves) */
  holds = 0;

  constructor(readonly socket: string, private readonly stateFile: string, private readonly log: Logger) {}

  /** The limits of the mailboxes that may sign in (address → per hour, per day). */
  setLimits(limits: Map<string, SendLimit>) {
    this.limits = limits;
  }

  /** The messages counted for an address in the last day. */
  counted(address: string): number {
    return rateDecision(this.counts.get(address) ?? [], undefined, Date.now()).kept.length;
  }

  /** Forgets an address's count (staff released its held mail), on disk too. */
  async reset(address: string): Promise<void> {
    this.counts.delete(address);
    await this.save();
  }

  /** Listens (once) on the socket, for Postfix's user only; the counts are read back from disk. */
  async start(): Promise<void> {
    if (this.server) return;
    const saved = JSON.parse((await readIfExists(this.stateFile)) ?? '{}') as Record<string, unknown>;
    for (const [address, times] of Object.entries(saved)) {
      if (Array.isArray(times)) this.counts.set(address, times.filter((t): t is number => typeof t === 'number'));
    }
    await mkdir(path.dirname(this.socket), { recursive: true, mode: 0o755 });
    await rm(this.socket, { force: true });
    const server = net.createServer((conn) => this.serve(conn));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.socket, () => resolve()));
    server.on('error', (e) => this.log.error({ err: e }, 'mail rate policy'));
    const postfix = await systemUser('postfix');
    if (!postfix) throw new Error('there is no postfix user on this machine');
    await chown(this.socket, postfix.uid, postfix.gid);
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      // close() waits for every connection to end: hang up on Postfix, which asks again on a new one
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const conn of this.conns) conn.destroy();
      await closed;
    }
    await this.saving;
  }

  private serve(conn: net.Socket) {
    let buf = '';
    this.conns.add(conn);
    conn.on('close', () => this.conns.delete(conn));
    conn.on('error', () => conn.destroy()); // Postfix hanging up is no failure of the policy
    conn.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      if (buf.length > 64 * 1024) return conn.destroy();
      for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
        const attrs = new Map(buf.slice(0, end).split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const));
        buf = buf.slice(end + 2);
        void this.answer(attrs).then((action) => conn.write(`action=${action}\n\n`), (e: unknown) => {
          this.log.error({ err: e }, 'mail rate policy');
          conn.write('action=DEFER_IF_PERMIT 4.3.5 sending limit unavailable, try again later\n\n');
        });
      }
    });
  }

  private async answer(attrs: Map<string, string>): Promise<string> {
    const login = (attrs.get('sasl_username') ?? '').toLowerCase();
    // the policy is asked at the end of data of authenticated listeners only; anything else passes
    if (!login || attrs.get('protocol_state') !== 'END-OF-MESSAGE') return 'DUNNO';
    const { hold, kept } = rateDecision(this.counts.get(login) ?? [], this.limits.get(login), Date.now());
    this.counts.set(login, kept);
    if (hold) {
      this.holds++;
      this.log.warn({ login }, `mail held: ${hold}`);
      return `HOLD ${hold}`;
    }
    await this.save();
    return 'DUNNO';
  }

  /** Writes the counts atomically, one write after the other. */
  private save(): Promise<void> {
    const next = this.saving.then(async () => {
      await mkdir(path.dirname(this.stateFile), { recursive: true, mode: 0o700 });
      const tmp = `${this.stateFile}.tmp`;
      await writeFile(tmp, JSON.stringify(Object.fromEntries(this.counts)), { mode: 0o600 });
      await rename(tmp, this.stateFile);
    });
    this.saving = next.catch((e: unknown) => this.log.error({ err: e }, 'mail rate counts not saved')); // the caller gets the error too
    return next;
  }
}
