// The processes a pid file names that are still running (daemons Abri started: Apache, FPM, HAProxy,
// PowerDNS, Postfix, Dovecot, rspamd, sshd, Pure-FTPd…), and what /proc says about one of them.
import { readFile, readlink } from 'node:fs/promises';
import { ifAbsent } from './absent.js';

/** Whether a process runs with this pid (one of another user counts: signalling it is refused, not unknown). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every live pid listed in the file (HAProxy writes one per process). */
export async function livePids(file: string): Promise<number[]> {
  return (await readFile(file, 'utf8').catch(ifAbsent('')))
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((pid) => pid > 0 && processAlive(pid));
}

/**
 * What a process must be, read from /proc (a pid file can outlive its daemon, and its pid be given to
 * another program): its program name (`comm`), a test of its command line (arguments joined by
 * spaces; some daemons rewrite it: "rspamd: main process"), or the binary it runs (`exe`, a real path).
 */
export interface ProcessIs {
  comm?: string;
  cmdline?: (args: string) => boolean;
  exe?: string;
}

/** What /proc/PID/… holds; '' for a process that ended meanwhile. */
async function proc(pid: number, entry: string): Promise<string> {
  try {
    return entry === 'exe' ? await readlink(`/proc/${pid}/exe`) : await readFile(`/proc/${pid}/${entry}`, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return '';
    return ifAbsent('')(e);
  }
}

/** Whether the process lives (not a zombie) and is what `is` says. */
export async function processIs(pid: number, is: ProcessIs): Promise<boolean> {
  if (!/^State:\s+[^Z]/m.test(await proc(pid, 'status'))) return false;
  if (is.comm !== undefined && (await proc(pid, 'comm')).trim() !== is.comm) return false;
  if (is.cmdline && !is.cmdline((await proc(pid, 'cmdline')).replace(/\0/g, ' ').trim())) return false;
  return is.exe === undefined || (await proc(pid, 'exe')) === is.exe;
}

/** The first pid of the file if that process runs (and, given `is`, is that program), else null. */
export async function livePid(file: string, is?: ProcessIs): Promise<number | null> {
  const pid = Number((await readFile(file, 'utf8').catch(ifAbsent(''))).trim().split(/\s+/)[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (!is) return processAlive(pid) ? pid : null;
  return (await processIs(pid, is)) ? pid : null;
}
