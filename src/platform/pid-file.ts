// The processes a pid file names that are still running (daemons Abri started: Apache, FPM, HAProxy, PowerDNS).
import { readFile } from 'node:fs/promises';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every live pid listed in the file (HAProxy writes one per process). */
export async function livePids(file: string): Promise<number[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean).map(Number).filter((pid) => pid > 0 && alive(pid));
}

/** The first pid of the file if that process runs, else null. */
export async function livePid(file: string): Promise<number | null> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim().split(/\s+/)[0]);
  return pid > 0 && alive(pid) ? pid : null;
}
