// Removing a test network (netns.ts): every process in its namespaces, its test users, the
// namespaces, its directory; and what runs that died left behind, found by name prefix.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { processAlive } from '../../src/platform/pid-file.js';
import { removeAccount } from './hosting-accounts.js';
import type { NetworkInfo, NetworkPlan } from './netns.js';
import { run, signal } from './run.js';

/** Every namespace and directory of a test network is named abrinet-<pid of its creator>-… */
export const PREFIX = 'abrinet-';
export const BASE = '/tmp';

/** Pids of every process living in a namespace (daemons that detached included). */
async function pidsIn(netns: string): Promise<number[]> {
  const r = await run('ip', ['netns', 'pids', netns], { allowFailure: true });
  return r.stdout.split(/\s+/).filter(Boolean).map(Number).filter((p) => p !== process.pid);
}

/** SIGKILLs every process of the namespaces until none is left (masters respawn no child once killed). */
async function killAllIn(namespaces: string[]): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const pids = (await Promise.all(namespaces.map(pidsIn))).flat();
    if (!pids.length) return;
    for (const pid of pids) signal(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`processes still alive in ${namespaces.join(', ')}`);
}

/** Removes the users and groups named prefix+uid for uid in [min, max] (only those that exist). */
export async function removeUsers(users: NetworkPlan['users'] | null): Promise<void> {
  if (!users) return;
  const named = async (file: string) => (await readFile(file, 'utf8')).split('\n').map((l) => l.split(':')[0]);
  const names = new Set([...(await named('/etc/passwd')), ...(await named('/etc/group'))]);
  const failed: string[] = [];
  for (let uid = users.min; uid <= users.max; uid++) {
    const name = `${users.prefix}${uid}`;
    if (names.has(name)) await removeAccount(name).catch((e: Error) => failed.push(e.message));
  }
  if (failed.length) throw new Error(`could not remove every test user: ${failed.join('; ')}`);
}

export async function removeNetwork(id: string, info: Pick<NetworkInfo, 'users'> | null): Promise<void> {
  const all = (await run('ip', ['netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith(`${PREFIX}${id}-`));
  await killAllIn(all);
  await removeUsers(info?.users ?? null);
  for (const n of all) await run('ip', ['netns', 'del', n]);
  await rm(path.join(BASE, `${PREFIX}${id}`), { recursive: true, force: true });
}

/**
 * Removes what runs that died left behind: namespaces and directories named abrinet-<pid>-… whose
 * creating process is gone. Returns the ids cleaned.
 */
export async function cleanLeftovers(): Promise<string[]> {
  const ids = new Set<string>();
  for (const line of (await run('ip', ['netns', 'list'])).stdout.split('\n')) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(line);
    if (m) ids.add(m[1]);
  }
  for (const entry of await readdir(BASE)) {
    const m = new RegExp(`^${PREFIX}(\\d+)$`).exec(entry);
    if (m) ids.add(m[1]);
  }
  const dead = [...ids].filter((id) => !processAlive(Number(id)));
  for (const id of dead) {
    const meta = await readFile(path.join(BASE, `${PREFIX}${id}`, 'network.json'), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    await removeNetwork(id, meta ? (JSON.parse(meta) as NetworkInfo) : null);
  }
  return dead;
}

