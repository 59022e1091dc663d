// The processes a pid file names that are still running (daemons Abri started: Apache, FPM, HAProxy, PowerDNS).
import { readFile } from 'node:fs/promises';
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
  return (await readFile(file, 'utf8').catch(ifAbsent(''))).split(/\s+/).filter(Boolean).map(Number).filter((pid) => pid > 0 && processAlive(pid));
}

/** The first pid of the file if that process runs, else null. */
export async function livePid(file: string): Promise<number | null> {
  const pid = Number((await readFile(file, 'utf8').catch(ifAbsent(''))).trim().split(/\s+/)[0]);
  return pid > 0 && processAlive(pid) ? pid : null;
}
