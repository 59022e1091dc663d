// The one way Abri runs commands: argument arrays (never shell strings), bounded time and output,
// an ExecError that carries stdout/stderr/code. Daemons are spawned detached with a chosen umask.
import { execFile, spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ifAbsent } from './absent.js';

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
  /**
   * the command forks a daemon that keeps the inherited stdout/stderr open (apache2 -k start,
   * haproxy -D): send its output to a file instead of pipes and return when the launcher exits
   */
  daemonizes?: boolean;
  /** the umask of a `daemonizes` command (its daemon keeps it), whatever the agent's own */
  umask?: number;
}

export interface Executor {
  run(cmd: string, args: string[], opts?: RunOptions): Promise<ExecResult>;
  /** starts a long-running process detached from Abri (it survives the agent), output appended to logFile */
  startDaemon(cmd: string, args: string[], opts: { logFile: string; umask?: number }): Promise<number>;
}

export class LocalExecutor implements Executor {
  run(cmd: string, args: string[], opts: RunOptions = {}): Promise<ExecResult> {
    if (opts.daemonizes) return this.runLauncher(cmd, args, opts);
    return new Promise((resolve, reject) => {
      const child = execFile(cmd, args, { timeout: opts.timeoutMs ?? 120_000, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
        const code = err ? ((err as NodeJS.ErrnoException & { code?: number | string }).code ?? 1) : 0;
        if (err && (!opts.allowFailure || typeof code === 'string')) return reject(new ExecError([cmd, ...args], code, stdout, stderr));
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      });
      // a command that exits without reading all its input makes the write fail (EPIPE): its exit says what happened
      child.stdin?.on('error', () => undefined);
      if (opts.input !== undefined) child.stdin?.end(opts.input);
    });
  }

  private async runLauncher(cmd: string, args: string[], opts: RunOptions): Promise<ExecResult> {
    const dir = await mkdtemp(path.join(tmpdir(), 'abri-exec-'));
    const file = path.join(dir, 'output');
    const fd = openSync(file, 'w');
    try {
      // Node has no per-spawn umask: set it around the synchronous fork, then restore it
      const previous = opts.umask === undefined ? undefined : process.umask(opts.umask);
      let child;
      try {
        child = spawn(cmd, args, { stdio: ['ignore', fd, fd] });
      } finally {
        if (previous !== undefined) process.umask(previous);
      }
      const code = await new Promise<number | string | null>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
        child.once('error', (e) => (clearTimeout(timer), resolve((e as NodeJS.ErrnoException).code ?? 'error')));
        child.once('exit', (c, sig) => (clearTimeout(timer), resolve(c ?? sig)));
      });
      const output = await readFile(file, 'utf8').catch(ifAbsent(''));
      if (code !== 0 && !opts.allowFailure) throw new ExecError([cmd, ...args], code, '', output);
      return { code: typeof code === 'number' ? code : 1, stdout: '', stderr: output };
    } finally {
      closeSync(fd);
      await rm(dir, { recursive: true, force: true });
    }
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
