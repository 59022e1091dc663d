// The one way Abri runs commands: argument arrays (never shell strings), bounded time and output,
// an ExecError that carries stdout/stderr/code. Daemons are spawned detached with a chosen umask.
import { execFile, spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

export class ExecError extends Error {
  constructor(readonly command: string[], readonly code: number | string | null, readonly stdout: string, readonly stderr: string) {
    super(`${command.join(' ')} failed (${code}): ${(stderr || stdout).trim().slice(0, 4000)}`);
    this.name = 'ExecError';
  }
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** do not throw on a non-zero exit (the code is in the result) */
  allowFailure?: boolean;
  timeoutMs?: number;
  input?: string;
}

export interface Executor {
  run(cmd: string, args: string[], opts?: RunOptions): Promise<ExecResult>;
  /** starts a long-running process detached from Abri (it survives the agent), output appended to logFile */
  startDaemon(cmd: string, args: string[], opts: { logFile: string; umask?: number }): Promise<number>;
}

export class LocalExecutor implements Executor {
  run(cmd: string, args: string[], opts: RunOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = execFile(cmd, args, { timeout: opts.timeoutMs ?? 120_000, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
        const code = err ? ((err as NodeJS.ErrnoException & { code?: number | string }).code ?? 1) : 0;
        if (err && (!opts.allowFailure || typeof code === 'string')) return reject(new ExecError([cmd, ...args], code, stdout, stderr));
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      });
      if (opts.input !== undefined) child.stdin?.end(opts.input);
    });
  }

  async startDaemon(cmd: string, args: string[], opts: { logFile: string; umask?: number }): Promise<number> {
    const fd = openSync(opts.logFile, 'a');
    // Node has no per-spawn umask: set it around the synchronous fork, then restore it
    const previous = opts.umask === undefined ? undefined : process.umask(opts.umask);
    try {
      const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], detached: true });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('spawn', () => resolve(child.pid!));
        child.once('error', (e) => reject(new ExecError([cmd, ...args], (e as NodeJS.ErrnoException).code ?? null, '', e.message)));
      });
      child.unref();
      return pid;
    } finally {
      if (previous !== undefined) process.umask(previous);
      closeSync(fd);
    }
  }
}
