// Where the CPU went during a benchmark's phase, per process group: the machine is shared (other
// work, a loaded CI), so seconds alone do not say what an idle machine would do, CPU time does.
//  - manager: this process's main thread (the API, the desired-state builds, PGlite if embedded)
//  - agentAndHelpers: its other threads (the local agent's worker, libuv and V8 helpers), less the
//    load client's thread, which the load reports itself
//  - commands: children of this process that ended (apache2 -t, php-fpm -t, useradd… the agent ran)
//  - database: the PostgreSQL cluster `npm run bench` or profile-writes started
//  - services: the node's daemons (their command line names a file under the node's root) and
//    their descendants (Apache's and PHP-FPM's workers), living and reaped
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readIfExists } from '../src/platform/if-exists.js';

const HZ = 100; // USER_HZ

/** utime, stime, cutime, cstime of /proc/<pid>/stat (or of a thread: /proc/<pid>/task/<tid>/stat), in seconds; null when gone */
async function times(file: string): Promise<{ own: number; reaped: number; ppid: number } | null> {
  const stat = await readIfExists(file);
  if (stat === null) return null;
  const f = stat.split(') ')[1]!.split(' ');
  return { own: (Number(f[11]) + Number(f[12])) / HZ, reaped: (Number(f[13]) + Number(f[14])) / HZ, ppid: Number(f[1]) };
}

/** CPU seconds a process (all its threads, living and ended; with `reaped`, its ended children too) has used. */
export async function cpuSeconds(pid: number, reaped = false): Promise<number> {
  const t = await times(`/proc/${pid}/stat`);
  return t === null ? 0 : t.own + (reaped ? t.reaped : 0);
}

/** CPU seconds of the PostgreSQL cluster in `dir` (ABRI_TEST_PG_DIR: its postmaster and children); null without one. */
export async function databaseCpuSeconds(dir = process.env.ABRI_TEST_PG_DIR): Promise<number | null> {
  if (!dir) return null;
  const postmaster = Number((await readFile(path.join(dir, 'data/postmaster.pid'), 'utf8')).split('\n')[0]);
  let total = await cpuSeconds(postmaster, true);
  for (const p of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    const t = await times(`/proc/${p}/stat`); // gone meanwhile: counted in its parent's reaped time
    if (t && t.ppid === postmaster) total += t.own;
  }
  return total;
}

/** CPU seconds of the daemons whose command line names a file under `root`, and of all their descendants. */
async function servicesCpuSeconds(root: string): Promise<number> {
  const procs = new Map<number, { ppid: number; cpu: number; mine: boolean }>();
  for (const p of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    const [t, cmdline] = await Promise.all([times(`/proc/${p}/stat`), readIfExists(`/proc/${p}/cmdline`)]);
    if (t && cmdline !== null) procs.set(Number(p), { ppid: t.ppid, cpu: t.own + t.reaped, mine: cmdline.includes(`${root}/`) });
  }
  const under = (pid: number, depth = 0): boolean => {
    const p = procs.get(pid);
    if (!p || pid === process.pid || depth > 20) return false;
    return p.mine || under(p.ppid, depth + 1);
  };
  let total = 0;
  for (const [pid, p] of procs) if (under(pid)) total += p.cpu;
  return total;
}

export interface CpuSnapshot {
  manager: number;
  otherThreads: number;
  commands: number;
  database: number | null;
  services: number;
}

export async function cpuSnapshot(nodeRoot?: string): Promise<CpuSnapshot> {
  const self = (await times('/proc/self/stat'))!;
  const main = (await times(`/proc/self/task/${process.pid}/stat`))!;
  return {
    manager: main.own,
    otherThreads: self.own - main.own,
    commands: self.reaped,
    database: await databaseCpuSeconds(),
    services: nodeRoot ? await servicesCpuSeconds(nodeRoot) : 0,
  };
}

/** CPU milliseconds per item between two snapshots, split as above; `clientSeconds`: the load client's thread. */
export function cpuMsPerItem(a: CpuSnapshot, b: CpuSnapshot, items: number, clientSeconds: number) {
  const ms = (s: number) => Math.round((s * 1e6) / items) / 1000;
  const parts = {
    manager: ms(b.manager - a.manager),
    agentAndHelpers: ms(b.otherThreads - a.otherThreads - clientSeconds),
    client: ms(clientSeconds),
    commands: ms(b.commands - a.commands),
    database: a.database === null || b.database === null ? null : ms(b.database - a.database),
    services: ms(b.services - a.services),
  };
  const total = Object.values(parts).reduce<number>((s, v) => s + (v ?? 0), 0);
  return { ...parts, total: Math.round(total * 1000) / 1000 };
}
