// The one place test/harness/ runs commands: argument arrays, never shell strings.
// Commands go through the platform Executor; tests also start foreground services they own.
import { spawn, type ChildProcess } from 'node:child_process';
import { LocalExecutor } from '../../src/platform/executor.js';
import { shadowTool } from '../../src/platform/shadow-tools.js';
import { accessSync, constants, openSync, closeSync } from 'node:fs';
import path from 'node:path';

export { ExecError as CommandError, type ExecResult as RunResult } from '../../src/platform/executor.js';

const executor = new LocalExecutor();

/**
 * The tools that lock the accounts files (/etc/passwd.lock…) and give up at once when another writer
 * holds them: an agent of a test running beside this one adding its hostings' accounts. They go
 * through the product's shadowTool, which tries again (a test's own useradd failed so once).
 */
const SHADOW_TOOLS = new Set(['useradd', 'usermod', 'userdel', 'groupadd', 'groupmod', 'groupdel']);

/** Runs a command to completion (the platform Executor); throws on a non-zero exit unless `allowFailure`. */
export const run = (cmd: string, args: string[], opts: { allowFailure?: boolean; timeoutMs?: number; input?: string } = {}) =>
  SHADOW_TOOLS.has(cmd) ? shadowTool(executor, cmd, args, opts) : executor.run(cmd, args, opts);

/**
 * Starts a long-running process with its output appended to `logFile`. `umask` is applied to the
 * child (Node has no per-spawn umask: it is set around the synchronous fork, then restored).
 */
export function startProcess(cmd: string, args: string[], opts: { logFile: string; umask?: number }): ChildProcess {
  const fd = openSync(opts.logFile, 'a');
  const previous = opts.umask === undefined ? undefined : process.umask(opts.umask);
  try {
    const child = spawn(cmd, args, { stdio: ['ignore', fd, fd] });
    child.on('error', () => undefined); // reported through the exit code / readiness checks
    return child;
  } finally {
    if (previous !== undefined) process.umask(previous);
    closeSync(fd);
  }
}

/** The absolute path of an executable found on PATH (or the path itself), or null. */
export function findExecutable(name: string): string | null {
  const dirs = name.includes('/') ? [''] : (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').concat(['/usr/sbin', '/sbin']);
  for (const d of dirs) {
    const p = d ? path.join(d, name) : name;
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

/** Sends a signal to a process id; false when it no longer exists. */
export function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

// Processes the harness started: killed if the test process exits without stopping them.
const tracked = new Set<number>();
process.on('exit', () => {
  for (const pid of tracked) signal(pid, 'SIGKILL');
});

/** Remembers a process to kill when the test process exits (a test that failed before stopping it). */
export function track(pid: number | undefined): void {
  if (pid) tracked.add(pid);
}

/** Forgets a process (it was stopped). */
export function untrack(pid: number | undefined): void {
  if (pid) tracked.delete(pid);
}

/** Stops a child: `sig`, then SIGKILL after 10 s; the timer is cleared (a pending one would keep the test process alive). */
export async function stopProcess(child: ChildProcess, sig: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child.pid) return;
  if (child.exitCode === null && child.signalCode === null) {
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise((r) => child.once('exit', r));
    signal(child.pid, sig);
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) signal(child.pid, 'SIGKILL');
  }
  untrack(child.pid);
}

/**
 * The machine's processes as `ps` lists them (pid, parent, state, age, CPU time, command line), for a
 * failure to say what was running: those under a process (its children, theirs…) or those whose line
 * matches.
 */
export async function processLines(which: { under: number } | { matching: RegExp }): Promise<string[]> {
  const lines = (await run('ps', ['-eo', 'pid,ppid,stat,etime,time,args'], { allowFailure: true })).stdout.split('\n').slice(1).filter(Boolean);
  const rows = lines.map((line) => {
    const [pid, ppid] = line.trim().split(/\s+/);
    return { pid: Number(pid), ppid: Number(ppid), line: line.slice(0, 300) };
  });
  if ('matching' in which) return rows.filter((r) => which.matching.test(r.line)).map((r) => r.line);
  const under = new Set([which.under]);
  // parents before children is not ps's order (pids wrap): until no new child is found
  for (let size = 0; size !== under.size; ) {
    size = under.size;
    for (const r of rows) if (under.has(r.ppid)) under.add(r.pid);
  }
  return rows.filter((r) => under.has(r.pid) && r.pid !== which.under).map((r) => r.line);
}
