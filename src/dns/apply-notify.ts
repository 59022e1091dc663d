// NOTIFY for many zones at once, sent by the agent itself with a bounded number unanswered at a time.
// PowerDNS sends all the notifications of a bulk change in one burst: 10,000 NOTIFYs overflow the
// secondary's receive buffer, and its 10,000 answers overflow PowerDNS's, so PowerDNS sends most of
// them again four times (3, 5, 9, 17 s later) and each repeat costs the secondary a SOA check and a
// write — a renumbering then took the secondary 45 to 100 s instead of what its transfers need.
// Here each secondary gets at most `window` NOTIFYs waiting for their answer; one unanswered is sent
// again after `retryMs` (doubling), up to `attempts` times; a secondary silent for `silenceMs` while
// NOTIFYs wait is given up on, and its remaining zones are reported unanswered.
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { randomInt } from 'node:crypto';
import { notifyMessage, readNotifyAnswer } from './render-notify.js';

export interface NotifyTarget { address: string; port: number }

export interface NotifyOptions {
  /** the primary's address (secondaries accept NOTIFY from it only); null: the system chooses */
  source: string | null;
  window?: number;
  retryMs?: number;
  attempts?: number;
  silenceMs?: number;
}

export interface NotifyReport {
  target: NotifyTarget;
  acknowledged: number;
  /** zones the secondary answered with an error code (refused, not authoritative…) */
  refused: Array<{ zone: string; rcode: number }>;
  /** zones never acknowledged (after every attempt, or once the secondary fell silent) */
  unanswered: string[];
  /** the last sending error, if any (the secondary's port closed, no route…) */
  error: string | null;
}

interface Waiting { zone: string; attempt: number; due: number }

/** Sends a NOTIFY for every zone to one secondary; resolves once each is answered or given up. */
export async function notifySecondary(zones: readonly string[], target: NotifyTarget, opts: NotifyOptions): Promise<NotifyReport> {
  const window = opts.window ?? 64;
  const retryMs = opts.retryMs ?? 1000;
  const attempts = opts.attempts ?? 4;
  const silenceMs = opts.silenceMs ?? 10_000;
  const report: NotifyReport = { target, acknowledged: 0, refused: [], unanswered: [], error: null };
  if (!zones.length) return report;
  const v6 = isIP(target.address) === 6;
  const socket = dgram.createSocket(v6 ? 'udp6' : 'udp4');
  const waiting = new Map<number, Waiting>();
  let next = 0;
  let lastHeard = Date.now();
  const send = (zone: string, attempt: number) => {
    let id = randomInt(0, 0x10000);
    while (waiting.has(id)) id = (id + 1) & 0xffff;
    waiting.set(id, { zone, attempt, due: Date.now() + retryMs * 2 ** (attempt - 1) });
    socket.send(notifyMessage(zone, id), (e) => {
      if (e) report.error = e.message;
    });
  };
  const fill = () => {
    while (waiting.size < window && next < zones.length) send(zones[next++]!, 1);
  };
  try {
    // secondaries take the NOTIFY's source address for the primary's
    const source = opts.source && isIP(opts.source) === (v6 ? 6 : 4) ? opts.source : undefined;
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: source, port: 0 }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // connected: the kernel hands us only datagrams from this secondary
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(target.port, target.address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    await new Promise<void>((resolve) => {
      const finish = () => {
        clearInterval(timer);
        resolve();
      };
      socket.on('error', (e) => void (report.error = e.message));
      socket.on('message', (msg) => {
        const answer = readNotifyAnswer(msg);
        const w = answer && waiting.get(answer.id);
        if (!answer || !w || w.zone !== answer.zone) return; // stray or late duplicate
        waiting.delete(answer.id);
        lastHeard = Date.now();
        if (answer.rcode === 0) report.acknowledged++;
        else report.refused.push({ zone: w.zone, rcode: answer.rcode });
        fill();
        if (!waiting.size && next >= zones.length) finish();
      });
      const timer = setInterval(() => {
        const now = Date.now();
        if (now - lastHeard > silenceMs) {
          report.unanswered.push(...[...waiting.values()].map((w) => w.zone), ...zones.slice(next));
          waiting.clear();
          next = zones.length;
          return finish();
        }
        for (const [id, w] of waiting) {
          if (w.due > now) continue;
          waiting.delete(id);
          if (w.attempt >= attempts) report.unanswered.push(w.zone);
          else send(w.zone, w.attempt + 1);
        }
        fill();
        if (!waiting.size && next >= zones.length) finish();
      }, 50);
      fill();
    });
  } catch (e) {
    report.error = (e as Error).message;
    report.unanswered.push(...[...waiting.values()].map((w) => w.zone), ...zones.slice(next));
  } finally {
    socket.close();
  }
  return report;
}
