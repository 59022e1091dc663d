// The web server's side of a site's logs: the `site-logs` query (src/node/query.ts). Only the logs
// of a site this server serves, at the paths its own desired state gives (never a path the query
// names), opened without following a symbolic link, checked (a regular file with one link, owned by
// root or the hosting, at the very path asked), and read from the end: a bounded tail, never the
// whole file. Control characters are shown as \xNN.
import { constants } from 'node:fs';
import { open, readlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isAbsent } from '../platform/absent.js';
import { QueryRefusal, type QueryContext } from '../node/query.js';
import { logFile, MAX_LOG_LINE, siteLogsArgs, type SiteLogsAnswer } from './model-logs.js';

/** At most this much of the end of a file is searched. */
export const MAX_SCAN_BYTES = 8 * 1024 * 1024;
const CHUNK = 256 * 1024;

export interface SafeLog {
  handle: FileHandle;
  size: number;
  mtime: Date;
}

/**
 * Opens a log of a hosting for reading, or null when it is not there. Refuses (site.log_unsafe) a
 * symbolic link, anything but a regular file, a file with other hard links, a file owned by someone
 * else than root or the hosting, or a file reached through a link in its directories.
 */
export async function openLog(file: string, uid: number, flags = constants.O_RDONLY): Promise<SafeLog | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    if (isAbsent(e)) return null;
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw unsafe(file, 'it is a symbolic link');
    throw e;
  }
  try {
    const st = await handle.stat();
    const why = !st.isFile() ? 'it is not a regular file'
      : st.nlink !== 1 ? 'it has other hard links'
      : st.uid !== 0 && st.uid !== uid ? `it belongs to uid ${st.uid}`
      : (await readlink(`/proc/self/fd/${handle.fd}`)) !== path.resolve(file) ? 'it is reached through a symbolic link'
      : null;
    if (why) throw unsafe(file, why);
    return { handle, size: st.size, mtime: st.mtime };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

const unsafe = (file: string, detail: string) =>
  new QueryRefusal('site.log_unsafe', `${path.basename(file)} was not read: ${detail}`, { file: path.basename(file), detail });

/** A line as shown: control characters (but tabs) as \xNN, cut at MAX_LOG_LINE characters. */
export function showLine(line: string): string {
  const cut = line.length > MAX_LOG_LINE ? `${line.slice(0, MAX_LOG_LINE)}…` : line;
  return cut.replace(/[\x00-\x08\x0a-\x1f\x7f\u0080-\u009f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The last `want` lines containing `q` (case-insensitive), oldest first, reading backwards from the end by chunks. */
export async function tailLines(log: SafeLog, want: number, q: string | null): Promise<{ lines: string[]; complete: boolean }> {
  const needle = q?.toLowerCase() || null;
  const found: string[] = [];
  const limit = Math.max(0, log.size - MAX_SCAN_BYTES); // the searched part starts there
  let end = log.size;
  let carry = Buffer.alloc(0); // a line whose start is in an earlier chunk
  let last = true; // the chunk that holds the end of the file
  while (end > limit && found.length < want) {
    const start = Math.max(limit, end - CHUNK);
    const buf = Buffer.alloc(end - start);
    const { bytesRead } = await log.handle.read(buf, 0, buf.length, start);
    end = start;
    let data = Buffer.concat([buf.subarray(0, bytesRead), carry]);
    carry = Buffer.alloc(0);
    if (end > limit) {
      const nl = data.indexOf(0x0a);
      if (nl < 0) {
        carry = data;
        continue;
      }
      carry = data.subarray(0, nl);
      data = data.subarray(nl + 1);
    }
    const lines = data.toString('utf8').split('\n');
    if (last && lines.at(-1) === '') lines.pop(); // the file's last newline
    last = false;
    if (end === limit && limit > 0) lines.shift(); // cut by the bound: not a whole line
    for (let i = lines.length - 1; i >= 0 && found.length < want; i--) {
      if (!needle || lines[i].toLowerCase().includes(needle)) found.push(showLine(lines[i]));
    }
  }
  return { lines: found.reverse(), complete: end === 0 };
}

/** The `site-logs` query: a site of this server, one of its logs. */
export async function siteLogsQuery(args: unknown, ctx: QueryContext): Promise<SiteLogsAnswer> {
  const a = siteLogsArgs.parse(args);
  const hosting = ctx.state?.web?.hostings.find((h) => h.id === a.hosting);
  const site = hosting?.sites.find((s) => s.id === a.site);
  if (!hosting || !site) throw new QueryRefusal('site.logs_not_here', 'this site is not (yet) on its web server');
  const log = await openLog(path.join(hosting.home, logFile(a.kind, site.domain)), hosting.uid);
  if (!log) return { exists: false, lines: [], size: 0, modifiedAt: null, complete: true };
  try {
    const { lines, complete } = await tailLines(log, a.lines, a.q);
    return { exists: true, lines, size: log.size, modifiedAt: log.mtime.toISOString(), complete };
  } finally {
    await log.handle.close();
  }
}
