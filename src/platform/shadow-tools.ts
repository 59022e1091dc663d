// The shadow tools (useradd, usermod, userdel, groupadd, groupdel) through the Executor. Each takes the
// accounts files' locks (<file>.lock, as src/hosting/unix-accounts.ts does) and gives up at once when
// another writer holds one.
import { ExecError, type ExecResult, type Executor, type RunOptions } from './executor.js';

/** What the shadow tools say when another writer holds the accounts files' lock. */
const LOCKED = /cannot lock .*try again later/;

/**
 * Runs a shadow tool (useradd, usermod, userdel, groupadd, groupdel). Each gives up at once when another
 * writer holds the accounts files' lock ("cannot lock /etc/passwd; try again later": another agent of the
 * machine, an administrator's command): it is tried again for up to `lockWaitMs`, as addAccounts waits for
 * the lock, instead of failing the apply.
 */
export async function shadowTool(exec: Executor, cmd: string, args: string[], opts: RunOptions & { lockWaitMs?: number } = {}): Promise<ExecResult> {
  const until = Date.now() + (opts.lockWaitMs ?? 10_000);
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    const r = await exec.run(cmd, args, { ...opts, allowFailure: true });
    if (r.code !== 0 && LOCKED.test(r.stderr) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      continue;
    }
    if (r.code !== 0 && !opts.allowFailure) throw new ExecError([cmd, ...args], r.code, r.stdout, r.stderr);
    return r;
  }
}
