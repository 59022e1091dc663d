// The one place test/harness/ runs commands: argument arrays, never shell strings.
// (The lead will move this behind the platform Executor.)
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, openSync, closeSync } from 'node:fs';
import path from 'node:path';

export class CommandError extends Error {
  constructor(readonly command: string[], readonly code: number | string | null, readonly stdout: string, readonly stderr: string) {
    super(`${command.join(' ')} failed (${code}): ${(stderr || stdout).trim().slice(0, 4000)}`);
    this.name = 'CommandError';
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; throws CommandError on a non-zero exit unless `allowFailure`. */
export function run(cmd: string, args: string[], opts: { allowFailure?: boolean; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? ((err as NodeJS.ErrnoException & { code?: number | string }).code ?? 1) : 0;
      if (err && (!opts.allowFailure || typeof code === 'string')) return reject(new CommandError([cmd, ...args], code, stdout, stderr));
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

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
