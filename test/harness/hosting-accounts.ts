// Real Unix accounts of test hostings (uids in test-only ranges) are made by the web driver itself;
// this removes them afterwards (userdel/groupdel), also what a crashed run left behind.
import { run } from './run.js';

async function exists(kind: 'passwd' | 'group', name: string): Promise<boolean> {
  return (await run('getent', [kind, name], { allowFailure: true })).code === 0;
}

/** Removes the user and group (if a crashed run left them behind); `force`: even while a process of the user runs. */
export async function removeAccount(name: string, opts: { force?: boolean } = {}): Promise<void> {
  if (await exists('passwd', name)) await retryWhileLocked(() => run('userdel', [...(opts.force ? ['-f'] : []), name]));
  if (await exists('group', name)) await retryWhileLocked(() => run('groupdel', [name]));
}

/**
 * The shadow tools give up at once when another writer holds /etc/passwd.lock (an agent of a test
 * running in parallel adding its accounts): try again a few times, as "try again later" says.
 */
async function retryWhileLocked<T>(f: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await f();
    } catch (e) {
      if (attempt >= 20 || !/cannot lock|already used by PID/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 100 + 50 * attempt));
    }
  }
}
