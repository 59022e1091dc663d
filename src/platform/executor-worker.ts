// A small process that runs commands for a big one. Forking a process with a large memory (the
// manager holds the embedded database: ~800 MB) costs ~60 ms per command; this worker stays small,
// so the commands of an in-process agent start in a few milliseconds.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ExecError, LocalExecutor, type ExecResult, type Executor, type RunOptions } from './executor.js';

type Request = { id: number; kind: 'run'; cmd: string; args: string[]; opts: RunOptions } | { id: number; kind: 'daemon'; cmd: string; args: string[]; opts: { logFile: string; umask?: number } };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { message: string; command?: string[]; code?: number | string | null; stdout?: string; stderr?: string } };

export class WorkerExecutor implements Executor {
  private child: ChildProcess | null = null;
  private next = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private worker(): ChildProcess {
    if (this.child && this.child.connected) return this.child;
    const child = fork(fileURLToPath(import.meta.url), ['--abri-executor-worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (!this.pending.size) this.hold(child, false);
      if (m.ok) p.resolve(m.value);
      else p.reject(m.error.command ? new ExecError(m.error.command, m.error.code ?? null, m.error.stdout ?? '', m.error.stderr ?? '') : new Error(m.error.message));
    });
    child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('the command worker exited'));
      this.pending.clear();
      if (this.child === child) this.child = null;
    });
    this.hold(child, false);
    this.child = child;
    return child;
  }

  /** The worker keeps this process alive only while a command is under way. */
  private hold(child: ChildProcess, on: boolean) {
    const channel = (child as unknown as { channel?: { ref(): void; unref(): void } }).channel;
    if (on) {
      child.ref();
      channel?.ref();
    } else {
      child.unref();
      channel?.unref();
    }
  }

  private call<T>(req: Omit<Request, 'id'>): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const child = this.worker();
      this.hold(child, true);
      child.send({ ...req, id });
    });
  }

  run(cmd: string, args: string[], opts: RunOptions = {}): Promise<ExecResult> {
    return this.call({ kind: 'run', cmd, args, opts });
  }

  startDaemon(cmd: string, args: string[], opts: { logFile: string; umask?: number }): Promise<number> {
    return this.call({ kind: 'daemon', cmd, args, opts });
  }

  close() {
    this.child?.kill();
    this.child = null;
  }
}

// In the worker process: run what the parent asks, one reply per request.
if (process.argv.includes('--abri-executor-worker') && process.send) {
  const local = new LocalExecutor();
  process.on('message', async (req: Request) => {
    try {
      const value = req.kind === 'run' ? await local.run(req.cmd, req.args, req.opts) : await local.startDaemon(req.cmd, req.args, req.opts);
      process.send!({ id: req.id, ok: true, value } satisfies Reply);
    } catch (e) {
      const x = e as ExecError;
      process.send!({ id: req.id, ok: false, error: { message: x.message, command: x.command, code: x.code, stdout: x.stdout, stderr: x.stderr } } satisfies Reply);
    }
  });
  process.on('disconnect', () => process.exit(0));
}
