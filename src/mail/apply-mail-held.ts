// The held mail of a mail server and Abri's postsrsd (side effects). Held mail: what the sending-rate
// policy put in the hold queue of Abri's Postfix, read with `postqueue -j` (one JSON object per
// message) only when it may have changed (HeldCounts), counted per sender (an authenticated client sends only as its own address), released
// with `postsuper -H` and `postqueue -i` (delivered now) or deleted with `postsuper -d`, message by message, only those
// of the address asked. postsrsd: an instance of Abri's (own secret, made here and kept on the mail
// server, its own pid file and loopback ports), restarted when its arguments change.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Executor } from '../platform/executor.js';
import type { Clock } from '../platform/clock.js';
import { readIfExists } from '../platform/if-exists.js';
import { livePid } from '../platform/pid-file.js';
import { QueryRefusal } from '../node/query.js';

export interface HeldMessage { queueId: string; sender: string; recipients: string[]; arrivedAt: string; size: number }

const queued = z.object({
  queue_name: z.string(), queue_id: z.string(), sender: z.string(), arrival_time: z.number(), message_size: z.number(),
  recipients: z.array(z.object({ address: z.string() })),
});

/** The messages in the hold queue of Abri's Postfix. */
export async function heldMessages(exec: Executor, postfixDir: string): Promise<HeldMessage[]> {
  const r = await exec.run('postqueue', ['-c', postfixDir, '-j']);
  return r.stdout.split('\n').filter((l) => l.trim()).flatMap((l) => {
    const m = queued.safeParse(JSON.parse(l));
    if (!m.success || m.data.queue_name !== 'hold') return [];
    return [{ queueId: m.data.queue_id, sender: m.data.sender.toLowerCase(), recipients: m.data.recipients.map((x) => x.address), arrivedAt: new Date(m.data.arrival_time * 1000).toISOString(), size: m.data.message_size }];
  });
}

/** A count of the hold queue is kept this long, unless the policy held a message since (or staff acted). */
export const HELD_RECOUNT_MS = 10 * 60_000;
/** After the policy held a message, the queue is read again until a count made this much later (Postfix files it after the answer). */
export const HELD_SETTLE_MS = 30_000;

/**
 * The held messages of each sender, read from the queue (postqueue -j) only when it may have changed:
 * the rate policy held a message (its `holds` moved), staff released or deleted some (`stale()`), or the
 * last count is older than HELD_RECOUNT_MS (held mail deleted by hand with postsuper), by the Clock.
 */
export class HeldCounts {
  private last: { at: number; bySender: Map<string, number> } | null = null;
  private holds = 0;
  private holdSeenAt = -Infinity;
  /** how many times the queue was read (tests) */
  reads = 0;

  constructor(private readonly exec: Executor, private readonly postfixDir: string, private readonly clock: Clock) {}

  stale(): void {
    this.last = null;
  }

  async bySender(holds: number): Promise<Map<string, number>> {
    const now = this.clock.now().getTime();
    if (holds !== this.holds) [this.holds, this.holdSeenAt] = [holds, now];
    const last = this.last;
    if (last && now - last.at < HELD_RECOUNT_MS && last.at >= this.holdSeenAt + HELD_SETTLE_MS) return last.bySender;
    const bySender = new Map<string, number>();
    for (const m of await heldMessages(this.exec, this.postfixDir)) bySender.set(m.sender, (bySender.get(m.sender) ?? 0) + 1);
    this.reads++;
    this.last = { at: now, bySender };
    return bySender;
  }
}

export const mailHeldArgs = z.strictObject({ address: z.string().min(3).max(254), action: z.enum(['list', 'release', 'delete']) });
export type MailHeldArgs = z.infer<typeof mailHeldArgs>;

/** Lists, releases or deletes the held messages of one sender; returns those it found. */
export async function actOnHeld(exec: Executor, postfixDir: string, args: MailHeldArgs): Promise<HeldMessage[]> {
  const mine = (await heldMessages(exec, postfixDir)).filter((m) => m.sender === args.address);
  if (args.action === 'list' || !mine.length) return mine;
  // postsuper reads the queue ids from its input, one a line ("-" = stdin)
  await exec.run('postsuper', ['-c', postfixDir, args.action === 'release' ? '-H' : '-d', '-'], { input: mine.map((m) => `${m.queueId}\n`).join('') });
  // a released message waits in the deferred queue: delivered now, not at the next queue run
  if (args.action === 'release') for (const m of mine) await exec.run('postqueue', ['-c', postfixDir, '-i', m.queueId], { allowFailure: true });
  return mine;
}

export const notServedHere = (address: string) => new QueryRefusal('mailbox.not_on_server', `${address} is not (yet) served by this mail server`, { address });

/** Abri's postsrsd: started with the wanted arguments, restarted when they change, stopped when SRS is off. */
export class SrsService {
  constructor(private readonly exec: Executor, private readonly dir: string, private readonly postsrsd: string) {}

  private get pidFile() {
    return path.join(this.dir, 'postsrsd.pid');
  }

  private pid(): Promise<number | null> {
    return livePid(this.pidFile, { comm: 'postsrsd' });
  }

  async ensure(srs: { domain: string; forwardPort: number; reversePort: number }): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const secret = path.join(this.dir, 'secret');
    if (!(await readIfExists(secret))) await writeFile(secret, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    // postsrsd reads its secret as root, then runs as nobody; it rewrites no address of the SRS domain itself
    const args = [`-s${secret}`, `-d${srs.domain}`, '-l127.0.0.1', `-f${srs.forwardPort}`, `-r${srs.reversePort}`, `-p${this.pidFile}`, '-unobody', '-4', '-D'];
    const argsFile = path.join(this.dir, 'args');
    const running = await this.pid();
    if (running && (await readIfExists(argsFile)) === args.join('\n')) return;
    await this.stop();
    await this.exec.run(this.postsrsd, args, { daemonizes: true });
    await writeFile(argsFile, args.join('\n'), { mode: 0o600 });
  }

  async stop(): Promise<void> {
    const pid = await this.pid();
    if (!pid) return;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && (await this.pid()); i++) await new Promise((r) => setTimeout(r, 100));
  }
}

/** Where the limits keep their files under the node's root. */
export const limitPaths = (root: string) => ({
  ratePolicy: path.join(root, 'run/abri/mail-policy/rate'), rateState: path.join(root, 'var/lib/abri/mail-rate/counts.json'), srsDir: path.join(root, 'etc/abri/postsrsd'),
});
