// Worker threads on a module of Abri, from the compiled JavaScript or from the TypeScript sources.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread running `entry` (a module URL). From the TypeScript sources (tests, `tsx`)
 * the hooks that `--import tsx` registers do not reach worker threads: the thread registers them
 * itself before loading the module.
 */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), options);
}

/** The URL of a sibling module of `from` (an import.meta.url), with the same extension (.js or .ts). */
export function siblingModule(from: string, name: string): URL {
  const ext = new URL(from).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, from);
}
