// One agent per machine: an agent holds this lock for its whole life, so two agents (the same token
// started twice, or `abri serve --apply` next to `abri agent`) never apply on the same node at once.
// The lock is a listening Unix socket in Linux's abstract namespace named after the node root: the
// kernel frees it when the process dies, even by SIGKILL, so a crashed agent never leaves a stale lock.
// (It is per network namespace: agents in separate network namespaces sharing a root are not seen.)
import { createHash } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';

export interface NodeLock {
  release(): Promise<void>;
}

export class NodeLockedError extends Error {
  constructor(readonly root: string, readonly holder: string | null) {
    super(`another Abri agent${holder ? ` (pid ${holder})` : ''} is already running for the node root ${root}; ` +
      'only one agent may apply on a machine at a time: stop the other one first');
    this.name = 'NodeLockedError';
  }
}

const lockName = (root: string) => `\0abri-agent-${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 40)}`;

/** The pid of the agent holding the lock (it answers connections with it), or null. */
function holder(name: string): Promise<string | null> {
  return new Promise((resolve) => {
    let buf = '';
    const c = net.connect(name);
    c.setTimeout(2000, () => c.destroy());
    c.on('data', (d) => (buf += d));
    c.on('close', () => resolve(/^\d+$/.test(buf.trim()) ? buf.trim() : null));
    c.on('error', () => resolve(null));
  });
}

/** Takes the lock of the node whose files live under `root`; throws NodeLockedError if another agent holds it. */
export async function lockNode(root: string): Promise<NodeLock> {
  const name = lockName(root);
  const server = net.createServer((c) => c.end(`${process.pid}\n`));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(name, () => resolve());
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new NodeLockedError(root, await holder(name));
    throw e;
  }
  server.unref();
  return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
