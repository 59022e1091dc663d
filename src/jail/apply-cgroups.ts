// A cgroup per jailed run, where this machine lets root make one (side effects): cgroup v2 when its
// pids and memory controllers are available (Debian 12: /sys/fs/cgroup), else cgroup v1's pids and
// memory hierarchies (hybrid machines: /sys/fs/cgroup/{pids,memory}), else none (the run still has
// its setrlimit limits, render-limits.ts). Runs live under <hierarchy>/abri-jail/<run>; the kernel
// counts there the forks refused at pids.max and the processes killed for memory, which say why a
// run stopped. The run's processes are killed and its cgroup removed when it ends.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isAbsent } from '../platform/absent.js';
import { cgroupValues, eventCount, type CgroupEvents, type JailLimits } from './render-limits.js';

export type CgroupMode = { kind: 'v2'; base: string } | { kind: 'v1'; pids: string | null; memory: string | null } | { kind: 'none' };

const BASE = 'abri-jail';

const readOr = async (file: string): Promise<string | null> => {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if (isAbsent(e)) return null;
    throw e;
  }
};

/** Whether root may make cgroups here: EACCES/EROFS/EPERM say no (a container without them), anything else is raised. */
const refused = (e: unknown) => ['EACCES', 'EROFS', 'EPERM', 'EINVAL', 'EBUSY', 'ENOTSUP', 'EOPNOTSUPP'].includes((e as NodeJS.ErrnoException).code ?? '') || isAbsent(e);

async function v2Base(hierarchy: string): Promise<string | null> {
  const controllers = (await readOr(path.join(hierarchy, 'cgroup.controllers')))?.trim().split(/\s+/) ?? [];
  if (!controllers.includes('pids') || !controllers.includes('memory')) return null;
  const base = path.join(hierarchy, BASE);
  try {
    await writeFile(path.join(hierarchy, 'cgroup.subtree_control'), '+pids +memory');
    await mkdir(base, { recursive: true });
    await writeFile(path.join(base, 'cgroup.subtree_control'), '+pids +memory');
    return base;
  } catch (e) {
    if (refused(e)) return null;
    throw e;
  }
}

async function v1Base(hierarchy: string, probe: string): Promise<string | null> {
  if ((await readOr(path.join(hierarchy, probe))) === null) return null;
  const base = path.join(hierarchy, BASE);
  try {
    await mkdir(base, { recursive: true });
    return base;
  } catch (e) {
    if (refused(e)) return null;
    throw e;
  }
}

/** A run joins its cgroup within moments of making it: an empty one older than this was left behind. */
const LEFT_BEHIND_MS = 60_000;

/**
 * Removes the empty cgroups of runs an agent did not end (killed mid-run); busy ones stay, and so do
 * fresh ones (another agent on this machine may have just made one for a run about to join it).
 */
async function sweep(base: string): Promise<void> {
  for (const e of await readdir(base, { withFileTypes: true })) {
    if (!e.isDirectory() || !e.name.startsWith('run-')) continue;
    try {
      const st = await stat(path.join(base, e.name));
      if (Date.now() - st.ctimeMs < LEFT_BEHIND_MS) continue;
      await rmdir(path.join(base, e.name));
    } catch (err) {
      if (!isAbsent(err) && (err as NodeJS.ErrnoException).code !== 'EBUSY') throw err;
    }
  }
}

/** What this machine offers, with the abri-jail parents made (once per agent, which sweeps what a previous one left). */
export async function detectCgroups(root = '/sys/fs/cgroup'): Promise<CgroupMode> {
  for (const hierarchy of [root, path.join(root, 'unified')]) {
    const base = await v2Base(hierarchy);
    if (base) {
      await sweep(base);
      return { kind: 'v2', base };
    }
  }
  const pids = await v1Base(path.join(root, 'pids'), 'cgroup.procs');
  const memory = await v1Base(path.join(root, 'memory'), 'memory.limit_in_bytes');
  for (const base of [pids, memory]) if (base) await sweep(base);
  return pids || memory ? { kind: 'v1', pids, memory } : { kind: 'none' };
}

export interface RunCgroup {
  /** the directories whose cgroup.procs the run joins before it starts */
  dirs: string[];
  events(): Promise<CgroupEvents>;
  /** kills what is left in it and removes it */
  close(): Promise<void>;
}

async function writeIfPresent(file: string, value: string): Promise<void> {
  if ((await readOr(file)) !== null) await writeFile(file, value);
}

/** Kills every process left in these cgroups until they are empty, then removes them. */
async function killAndRemove(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    for (let attempt = 0; ; attempt++) {
      const procs = (await readOr(path.join(dir, 'cgroup.procs')))?.split('\n').filter(Boolean).map(Number) ?? [];
      for (const pid of procs) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
        }
      }
      try {
        await rmdir(dir);
        break;
      } catch (e) {
        if (isAbsent(e)) break;
        // EBUSY: processes still exiting; a few tries (an agent's next start sweeps what stays)
        if ((e as NodeJS.ErrnoException).code !== 'EBUSY' || attempt >= 50) throw e;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}

/** A new cgroup for one run with its limits, or null when this machine has none to give. */
export async function makeRunCgroup(mode: CgroupMode, limits: JailLimits): Promise<RunCgroup | null> {
  if (mode.kind === 'none') return null;
  const name = `run-${randomBytes(8).toString('hex')}`;
  const v = cgroupValues(limits);
  if (mode.kind === 'v2') {
    const dir = path.join(mode.base, name);
    await mkdir(dir);
    await writeFile(path.join(dir, 'pids.max'), String(v.pidsMax));
    await writeFile(path.join(dir, 'memory.max'), String(v.memoryBytes));
    await writeIfPresent(path.join(dir, 'memory.swap.max'), '0');
    await writeIfPresent(path.join(dir, 'memory.oom.group'), '1'); // an OOM kill takes the whole run
    return {
      dirs: [dir],
      events: async () => ({
        oomKills: eventCount(await readOr(path.join(dir, 'memory.events')), 'oom_kill'),
        pidsRefused: eventCount(await readOr(path.join(dir, 'pids.events')), 'max'),
      }),
      close: async () => {
        await writeIfPresent(path.join(dir, 'cgroup.kill'), '1');
        await killAndRemove([dir]);
      },
    };
  }
  const pids = mode.pids ? path.join(mode.pids, name) : null;
  const memory = mode.memory ? path.join(mode.memory, name) : null;
  if (pids) {
    await mkdir(pids);
    await writeFile(path.join(pids, 'pids.max'), String(v.pidsMax));
  }
  if (memory) {
    await mkdir(memory);
    await writeFile(path.join(memory, 'memory.limit_in_bytes'), String(v.memoryBytes));
    await writeIfPresent(path.join(memory, 'memory.memsw.limit_in_bytes'), String(v.memoryBytes)); // no swapping past it either
  }
  const dirs = [pids, memory].filter((d): d is string => d !== null);
  return {
    dirs,
    events: async () => ({
      oomKills: memory ? eventCount(await readOr(path.join(memory, 'memory.oom_control')), 'oom_kill') : 0,
      pidsRefused: pids ? eventCount(await readOr(path.join(pids, 'pids.events')), 'max') : 0,
    }),
    close: () => killAndRemove(dirs),
  };
}
