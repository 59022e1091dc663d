// snapshot-1000: a read-only snapshot of each of 1,000 hostings' homes (btrfs subvolumes, with
// qgroups as the web servers' homes have them), taken by the web server's agent as it takes them on
// demand (src/snapshots/apply-snapshots.ts: one `btrfs subvolume snapshot -r` per home into its
// root-owned backups/, then its `latest-manual` link and the pruning check), vs the floor: the same
// `btrfs subvolume snapshot -r` calls in a shell loop, on the same filesystem (a loop device), in the
// same run. Both take 1,000 snapshots; the order alternates over the runs.
import { chown, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { LocalExecutor } from '../src/platform/executor.js';
import { SnapshotDriver } from '../src/snapshots/apply-snapshots.js';
import type { DesiredHosting, DesiredState } from '../src/node/protocol.js';
import { createBtrfsLoop } from '../test/harness/btrfs.js';
import type { Benchmark } from './run.js';

const HOMES = Number(process.env.ABRI_BENCH_SNAPSHOT_HOMES ?? 1000); // fewer only to try the benchmark itself
const RUNS = 2;
const round = (n: number) => Math.round(n * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const name = (i: number) => `h${String(i).padStart(4, '0')}`;

export const snapshot1000: Benchmark = {
  name: 'snapshot-1000',
  description: `read-only snapshots of ${HOMES} homes (btrfs subvolumes with qgroups) by the web server's agent vs the same btrfs subvolume snapshot calls in a shell loop`,
  async run(progress) {
    const exec = new LocalExecutor();
    const fs = await createBtrfsLoop(1024);
    try {
      const root = path.join(fs.mountpoint, 'node');
      const homes = path.join(fs.mountpoint, 'www');
      await mkdir(homes, { mode: 0o755 });
      await exec.run('btrfs', ['quota', 'enable', fs.mountpoint]);
      progress(`making ${HOMES} homes`);
      const make = `for i in $(seq -f '%04g' 0 ${HOMES - 1}); do btrfs -q subvolume create "$1/h$i" >/dev/null && mkdir -m 750 "$1/h$i/backups" "$1/h$i/shell" && echo hi > "$1/h$i/index.html" || exit 1; done`;
      await exec.run('/bin/sh', ['-c', make, 'make', homes], { timeoutMs: 3_600_000 });
      for (let i = 0; i < HOMES; i++) await chown(path.join(homes, name(i), 'index.html'), 0, 0);
      const hostings = (requests: number): DesiredHosting[] =>
        Array.from({ length: HOMES }, (_, i) => ({
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: name(i), uid: 0, home: path.join(homes, name(i)), status: 'active' as const,
          php: { maxChildren: 5, memoryMb: 128 }, sites: [], snapshots: { hourly: 0, daily: 0, weekly: 0, monthly: 0, requests, restores: [] },
        }));
      const agent = new SnapshotDriver(exec, root, true, pino({ level: 'silent' }));
      const results = { agent: [] as number[], shell: [] as number[] };
      for (let run = 0; run < RUNS; run++) {
        const order = run % 2 ? (['shell', 'agent'] as const) : (['agent', 'shell'] as const);
        for (const who of order) {
          progress(`run ${run + 1}/${RUNS}: ${who}`);
          const t0 = performance.now();
          if (who === 'agent') {
            await agent.reconcile({ revision: run + 1, web: { hostings: hostings(run + 1) } } as unknown as DesiredState);
          } else {
            const loop = `for i in $(seq -f '%04g' 0 ${HOMES - 1}); do btrfs subvolume snapshot -r "$1/h$i" "$1/h$i/shell/s$2" >/dev/null || exit 1; done`;
            await exec.run('/bin/sh', ['-c', loop, 'floor', homes, String(run)], { timeoutMs: 3_600_000 });
          }
          results[who].push(performance.now() - t0);
        }
        agent.stop();
      }
      const taken = (await exec.run('/bin/sh', ['-c', `ls -d "$1"/h*/backups/manual-* | wc -l`, 'count', homes])).stdout.trim();
      if (Number(taken) !== HOMES * Math.min(RUNS, 3)) throw new Error(`the agent took ${taken} snapshots, not ${HOMES * RUNS}`);
      const a = median(results.agent);
      const f = median(results.shell);
      return {
        homes: HOMES,
        agent: { medianMs: round(a), runsMs: results.agent.map(round), perSnapshotMs: round(a / HOMES) },
        floor: { what: `btrfs subvolume snapshot -r in a shell loop, ${HOMES} calls, same filesystem`, medianMs: round(f), runsMs: results.shell.map(round), perSnapshotMs: round(f / HOMES) },
        ratio: Math.round((a / f) * 100) / 100,
        note: 'agent = per home: is it a subvolume, backups/ root-owned, snapshot -r, list its snapshots, prune check, latest-manual link (a manual snapshot, as asked for on demand); qgroups enabled',
      };
    } finally {
      await fs.cleanup();
    }
  },
};
