// Runs one command of a hosting in its jail, from a root agent (side effects): the process drops to
// the hosting's uid and gid (setpriv, no supplementary groups) before bubblewrap starts, so the jail
// is exactly the one an SSH shell user gets (render-bwrap.ts). It is killed after its time limit
// (the whole process group, and with bubblewrap's pid 1 every process of the jail's pid namespace);
// its output (stdout and stderr, interleaved) is kept up to a size and marked truncated beyond.
// Its resources are limited (render-limits.ts): prlimit sets the setrlimit limits before setpriv, and
// where this machine can, the run joins a cgroup of its own (apply-cgroups.ts) before anything of it
// starts; the run says which limit stopped it (stoppedBy).
// Scheduled tasks (cron) are the intended caller: the scheduler decides when, this runs one.
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { Clock } from '../platform/clock.js';
import { systemClock } from '../platform/clock.js';
import { bwrapArgs, type JailSpec } from './render-bwrap.js';
import { BWRAP } from './apply-jail.js';
import { makeRunCgroup, type CgroupMode } from './apply-cgroups.js';
import { defaultJailLimits, PRLIMIT, prlimitArgs, stopReason, type JailLimits, type StopReason } from './render-limits.js';

export interface JailRunOptions {
  jail: Omit<JailSpec, 'seccompFd'>;
  /** the seccomp filter's file (ensureJails), or null when this machine has none */
  seccompFile: string | null;
  /** a bash command line, run in the jail's start folder */
  command: string;
  timeoutMs: number;
  maxOutputBytes: number;
  clock?: Clock;
  /** default: defaultJailLimits */
  limits?: JailLimits;
  /** what detectCgroups found; default: none (setrlimit limits only) */
  cgroups?: CgroupMode;
}

export interface JailRun {
  /** the exit code, or null when it was killed (timedOut, or a signal) */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  output: string;
  truncated: boolean;
  startedAt: Date;
  finishedAt: Date;
  /** the limit that stopped it, if one did */
  stoppedBy: StopReason | null;
}

/** Joins the cgroups listed in ABRI_CGROUPS (its own pid, so every process of the run is in them), then runs its arguments. */
const JOIN = 'IFS=:; for g in $ABRI_CGROUPS; do echo $$ > "$g/cgroup.procs" || exit 125; done; unset IFS; exec "$@"';

/** The descriptor the filter is handed on (the child's fd 3). */
const SECCOMP_FD = 3;

export async function runInJail(o: JailRunOptions): Promise<JailRun> {
  const clock = o.clock ?? systemClock;
  const args = bwrapArgs({ ...o.jail, seccompFd: o.seccompFile ? SECCOMP_FD : null });
  const filter = o.seccompFile ? await open(o.seccompFile, 'r') : null;
  const limits = o.limits ?? defaultJailLimits;
  const cgroup = await makeRunCgroup(o.cgroups ?? { kind: 'none' }, limits);
  const startedAt = clock.now();
  try {
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        JOIN,
        'abri-jail-run',
        PRLIMIT,
        ...prlimitArgs(limits),
        '--',
        '/usr/bin/setpriv',
        '--reuid',
        String(o.jail.uid),
        '--regid',
        String(o.jail.gid),
        '--clear-groups',
        '--',
        BWRAP,
        ...args,
        '--setenv',
        'TERM',
        'dumb',
        '--',
        '/bin/bash',
        '-c',
        o.command,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe', ...(filter ? [filter.fd] : [])],
        detached: true, // its own process group: killed as one
        env: { PATH: '/usr/bin:/bin', ABRI_CGROUPS: cgroup?.dirs.join(':') ?? '' },
      },
    );
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    const keep = (b: Buffer) => {
      if (size >= o.maxOutputBytes) return void (truncated = true);
      const part = b.subarray(0, o.maxOutputBytes - size);
      if (part.length < b.length) truncated = true;
      chunks.push(part);
      size += part.length;
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e; // it ended meanwhile
      }
    }, o.timeoutMs);
    const [exitCode, signal] = await new Promise<[number | null, string | null]>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, sig) => resolve([code, sig]));
    }).finally(() => clearTimeout(timer));
    const events = cgroup ? await cgroup.events() : null;
    return {
      stoppedBy: stopReason({ timedOut, exitCode }, events),
      exitCode: timedOut ? null : exitCode,
      signal,
      timedOut,
      output: Buffer.concat(chunks).toString('utf8'),
      truncated,
      startedAt,
      finishedAt: clock.now(),
    };
  } finally {
    await filter?.close();
    await cgroup?.close();
  }
}
