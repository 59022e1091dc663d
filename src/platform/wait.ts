// Waiting for the machine: a daemon's sockets, a process gone, a port served again. Each wait is
// bounded (a hang detector: the apply fails with what it waited for), never a measure of speed.
import { readdir, readlink } from 'node:fs/promises';
import { ifAbsent } from './absent.js';
import { readIfExists } from './if-exists.js';

/** Polls `check` every 50 ms until it holds; throws after `ms`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, ms = 15_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The inodes of the sockets listening on this TCP port (IPv4 and IPv6) in this network namespace (/proc/net/tcp, tcp6). */
export async function listeningSockets(port: number): Promise<Set<string>> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of ((await readIfExists(file)) ?? '').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/); // sl local_address rem_address st … inode
      if (f[1]?.endsWith(hex) && f[3] === '0A') inodes.add(f[9]!);
    }
  }
  return inodes;
}

/** The inodes of the sockets a process holds open (its /proc/PID/fd links "socket:[N]"); none once it ended. */
async function heldSockets(pid: number): Promise<Set<string>> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(ifAbsent([] as string[]));
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(ifAbsent(''))));
  return new Set(links.flatMap((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1] ?? []));
}

/** The sockets the process listens with on this port (another daemon may listen on it at another address). */
async function listensWith(pid: number, port: number): Promise<string[]> {
  const [listening, held] = await Promise.all([listeningSockets(port), heldSockets(pid)]);
  return [...listening].filter((inode) => held.has(inode));
}

/**
 * Reloads a daemon that re-executes itself on SIGHUP (sshd) and waits until it listens on `port`
 * again: in between, its port refuses connections and resets those it had not accepted yet, so an
 * apply ends only once the new configuration serves. Its new sockets tell that it re-executed.
 */
export async function reloadByReexec(what: string, pid: number, port: number, ms = 60_000): Promise<void> {
  const before = new Set(await listensWith(pid, port));
  process.kill(pid, 'SIGHUP');
  await waitUntil(
    `${what} to listen on port ${port} again after its reload`,
    async () => {
      const now = await listensWith(pid, port);
      return now.length >= Math.max(before.size, 1) && now.every((inode) => !before.has(inode));
    },
    ms,
  );
}
