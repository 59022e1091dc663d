// Real Unix accounts and home trees for test hostings (uids in a test-only range), removed afterwards.
// Creation goes through the web agent's own code (ensureAccounts), removal through userdel/groupdel.
import { ensureAccounts } from '../../src/hosting/apply-accounts.js';
import type { WebHostingSpec } from '../../src/hosting/spec.js';
import { LocalExecutor } from '../../src/platform/executor.js';
import { run } from './run.js';

/** Test-only uid range: never allocated by a real node (ABRI_UID_MAX stays below it in tests). */
export const TEST_UID_MIN = 193_000;
export const TEST_UID_MAX = 193_999;

export interface TestAccount {
  name: string;
  uid: number;
  home: string;
}

async function exists(kind: 'passwd' | 'group', name: string): Promise<boolean> {
  return (await run('getent', [kind, name], { allowFailure: true })).code === 0;
}

/** Removes the user and group (if a crashed run left them behind). */
export async function removeAccount(name: string): Promise<void> {
  if (await exists('passwd', name)) await retryWhileLocked(() => run('userdel', [name]));
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

/**
 * Creates group + user <name> (gid = uid, no login shell) and the home tree exactly as the web agent
 * does (src/hosting/apply-accounts.ts: root-owned home, var and var/log, ACL for the web server).
 */
export async function createAccount(account: TestAccount, webServerUser: string): Promise<void> {
  const { name, uid, home } = account;
  if (uid < TEST_UID_MIN || uid > TEST_UID_MAX) throw new Error(`test uid ${uid} outside ${TEST_UID_MIN}–${TEST_UID_MAX}`);
  await removeAccount(name);
  const hosting: WebHostingSpec = { id: name, name, uid, gid: uid, home, status: 'active', sites: [],
    fpm: { maxChildren: 1, idleTimeoutSeconds: 10, maxRequests: 100, memoryLimitMb: 64, requestTimeoutSeconds: 30, uploadMaxMb: 1 } };
  const errors = await ensureAccounts(new LocalExecutor(), [hosting], webServerUser);
  if (errors.size) throw new Error([...errors.values()].join('; '));
}
