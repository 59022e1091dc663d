// The resource limits of a hosting's jail (pure): what keeps an SSH shell or a scheduled run from
// taking the server down. Two layers, because each machine offers a different one:
//   - setrlimit limits, set by `prlimit` before bubblewrap starts (they work everywhere, inherited
//     by every process of the jail): CPU seconds and file size per process, open files, address
//     space (a per-process memory bound, looser than resident memory), and RLIMIT_NPROC;
//   - a cgroup per run (apply-cgroups.ts) where this machine lets root make one (cgroup v2 with its
//     pids and memory controllers, else cgroup v1's pids and memory hierarchies): the processes and
//     the resident memory of the whole run together, with the kernel's counters saying which
//     limit was hit.
// RLIMIT_NPROC counts every process of the uid, the hosting's PHP-FPM workers included, and refuses
// a fork of the jail once the uid has that many: it is a backstop set well above what a site runs
// (PHP-FPM's own workers, forked by its root master, are never refused by it), not the cap.

export interface JailLimits {
  /** processes of one run (pids cgroup) */
  processes: number;
  /** resident memory of one run, MB (memory cgroup); the address space of each process gets 4 times it */
  memoryMb: number;
  /** CPU seconds of each process (RLIMIT_CPU: SIGXCPU, then SIGKILL) */
  cpuSeconds: number;
  /** the largest file a process may write, MB (RLIMIT_FSIZE: SIGXFSZ) */
  fileSizeMb: number;
  /** open files of each process (RLIMIT_NOFILE) */
  openFiles: number;
  /** processes of the hosting's uid, all of them (RLIMIT_NPROC): the backstop where no pids cgroup can be made */
  uidProcesses: number;
}

/** The limits of shells and scheduled runs (README: "Resource limits of shells and scheduled tasks"). */
export const defaultJailLimits: JailLimits = {
  processes: 256,
  memoryMb: 1024,
  cpuSeconds: 3600,
  fileSizeMb: 10_240,
  openFiles: 1024,
  uidProcesses: 2048,
};

const MiB = 1024 * 1024;

/** util-linux's prlimit on a Debian server: sets the limits, then runs the command. */
export const PRLIMIT = '/usr/bin/prlimit';

function check(l: JailLimits): void {
  for (const [k, v] of Object.entries(l)) if (!Number.isInteger(v) || v < 1) throw new Error(`jail limit ${k} must be a whole number from 1, not ${String(v)}`);
}

/** `prlimit` options that set the limits on the command it runs (soft and hard: the jail cannot raise them). */
export function prlimitArgs(l: JailLimits): string[] {
  check(l);
  return [
    `--cpu=${l.cpuSeconds}:${l.cpuSeconds + 5}`, // SIGXCPU at the soft limit (said as such), SIGKILL 5 s later
    `--fsize=${l.fileSizeMb * MiB}`,
    `--nofile=${l.openFiles}`,
    `--as=${l.memoryMb * 4 * MiB}`,
    `--nproc=${l.uidProcesses}`,
    '--core=0',
  ];
}

/** What a run's cgroup limits: the values written to its controllers' files. */
export const cgroupValues = (l: JailLimits) => ({ pidsMax: l.processes, memoryBytes: l.memoryMb * MiB });

/** Which limit stopped a run, if one did. */
export type StopReason = 'time_limit' | 'memory' | 'processes' | 'cpu_time' | 'file_size';

/** What the kernel counted in a run's cgroup: OOM kills, forks refused at pids.max. */
export interface CgroupEvents {
  oomKills: number;
  pidsRefused: number;
}

/**
 * Why a run stopped: a memory kill or refused forks (the cgroup's counters) first, then its time
 * limit, then a process killed by its CPU time or file size limit (bash reports 128 + SIGXCPU (24)
 * or SIGXFSZ (25)); null when no limit was hit.
 */
export function stopReason(r: { timedOut: boolean; exitCode: number | null }, events: CgroupEvents | null): StopReason | null {
  if (events && events.oomKills > 0) return 'memory';
  if (events && events.pidsRefused > 0) return 'processes';
  if (r.timedOut) return 'time_limit';
  if (r.exitCode === 128 + 24) return 'cpu_time';
  if (r.exitCode === 128 + 25) return 'file_size';
  return null;
}

/** A count in a cgroup's events file ("max 3", "oom_kill 1"), 0 when absent. */
export function eventCount(text: string | null, key: string): number {
  const line = (text ?? '').split('\n').find((l) => l.startsWith(`${key} `));
  return line ? Number(line.slice(key.length + 1)) || 0 : 0;
}
