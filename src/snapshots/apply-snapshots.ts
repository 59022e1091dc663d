// The web server's snapshots of its hostings' homes (side effects through the Executor). The agent
// takes them itself, on a timer, so they go on while the manager is down: at each slot (rules.ts) a
// read-only snapshot (`btrfs subvolume snapshot -r`) of every home that is a btrfs subvolume and
// whose offer keeps that kind, into the home's root-owned backups/ (HOME_TREE: root:<hosting> 0750,
// so the hosting reads them and can neither rename nor delete them), `latest-<kind>` pointing at the
// newest; then the oldest beyond the offer's count are deleted. Homes that are plain directories get
// none. The instant up to which slots were handled is kept on disk (var/lib/abri/snapshots/state.json,
// written after the pass): a node that slept takes each missed kind once when it wakes, and a pass
// cut short is done again without a second snapshot (a name already there is not taken twice).
// A snapshot asked for on demand ("manual") is taken at the first pass after the hosting's count of
// requests grew (the counts seen are kept in the same file: a request made while the agent was down
// is taken when it comes back; several at once make one). Failures are logged and reported as the
// server's error (staff), and tried again at the next slot (a manual one at the next pass).
import { readdir, readlink, rename, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import { systemClock } from '../platform/clock.js';
import type { Executor } from '../platform/executor.js';
import { writeAtomic } from '../platform/files.js';
import { ifAbsent } from '../platform/absent.js';
import { lstatIfExists, readIfExists } from '../platform/if-exists.js';
import { detailOf, type Driver, type DriverResult } from '../node/driver.js';
import { DueTimer } from '../node/due-timer.js';
import type { DesiredHosting, DesiredState } from '../node/protocol.js';
import { deleteSubvolumeAt, fsTypeOf, snapshotReadOnly, SUBVOLUME_ROOT_INO } from '../hosting/btrfs.js';
import { dueSlots, latestName, newestOf, nextDue, noSnapshots, parseSnapshotName, SNAPSHOT_KINDS, snapshotName, toPrune, type Slot, type SnapshotKind } from './rules.js';

/** Where the scheduler keeps its state under the node's root. */
export const snapshotStateFile = (root: string) => path.join(root, 'var/lib/abri/snapshots/state.json');

/**
 * What the node remembers: slots up to `last` are handled; when each snapshot was taken (`<hosting
 * id>/<name>` → ISO time); the requests for manual snapshots handled (hosting id → count).
 */
export interface SnapshotState {
  last: string;
  taken: Record<string, string>;
  requests?: Record<string, number>;
}

export async function readSnapshotState(root: string): Promise<SnapshotState | null> {
  const text = await readIfExists(snapshotStateFile(root));
  return text === null ? null : (JSON.parse(text) as SnapshotState);
}


/** Whether `p` is the root of a btrfs subvolume (a home, or one of our snapshots), never through a link. */
export async function isSubvolumeRoot(exec: Executor, p: string, onBtrfs: Map<string, boolean>): Promise<boolean> {
  const st = await lstatIfExists(p);
  if (!st?.isDirectory() || st.ino !== SUBVOLUME_ROOT_INO) return false;
  const dir = path.dirname(p);
  let yes = onBtrfs.get(dir);
  if (yes === undefined) onBtrfs.set(dir, (yes = (await fsTypeOf(exec, dir)) === 'btrfs'));
  return yes;
}

/**
 * The snapshots Abri took in a root-owned backups/ folder: named as it names them, subvolumes owned by
 * root (not what the hosting put there before backups/ was root's), seen without following a link.
 */
export async function ourSnapshots(exec: Executor, backups: string, onBtrfs: Map<string, boolean>): Promise<string[]> {
  const ours: string[] = [];
  for (const name of await readdir(backups)) {
    const p = path.join(backups, name);
    if (parseSnapshotName(name) && (await lstatIfExists(p))?.uid === 0 && (await isSubvolumeRoot(exec, p, onBtrfs))) ours.push(name);
  }
  return ours;
}

export class SnapshotDriver implements Driver {
  readonly name = 'snapshots';
  private hostings: DesiredHosting[] = [];
  private state: SnapshotState | null = null;
  private readonly timer: DueTimer;
  private pass: Promise<void> | null = null;
  private readonly onBtrfs = new Map<string, boolean>();
  /** hosting name → why its last pass failed */
  private readonly failures = new Map<string, string>();
  /** hosting id → its counts at its last good pass: a home with nothing due and the same counts is not looked at again */
  private readonly done = new Map<string, string>();

  constructor(
    private readonly exec: Executor,
    private readonly root: string,
    private readonly apply: boolean,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.timer = new DueTimer(clock, {
      next: (now) => nextDue(now).getTime(),
      run: () => this.runDue(),
      failed: (e) => this.log.error({ err: e }, `snapshots: ${detailOf(e)}`),
    });
  }

  handles(state: DesiredState) {
    return !!state.web && this.apply;
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    this.hostings = state.web!.hostings;
    await this.runDue();
    this.timer.arm();
    const names = new Set(this.hostings.map((h) => h.name));
    const errors = [...this.failures].filter(([name]) => names.has(name)).map(([name, why]) => `snapshots of ${name}: ${why}`);
    return { objects: [], ...(errors.length ? { error: errors.join('; ').slice(0, 4000) } : {}) };
  }

  /** Stops the timer (a pass under way ends on its own). */
  stop() {
    this.timer.stop();
  }

  /** Takes what is due since the last pass (each kind once) and prunes; one pass at a time. */
  runDue(): Promise<void> {
    this.pass ??= this.doPass().finally(() => (this.pass = null));
    return this.pass;
  }

  private async doPass(): Promise<void> {
    const now = this.clock.now();
    if (!this.state) {
      // a node seen for the first time has nothing to catch up on
      this.state = (await readSnapshotState(this.root)) ?? { last: now.toISOString(), taken: {} };
    }
    const due = dueSlots(new Date(this.state.last), now);
    const taken = { ...this.state.taken };
    const requests: Record<string, number> = {};
    for (const h of this.hostings) {
      const asked = h.snapshots?.requests ?? 0;
      const seen = this.state.requests?.[h.id] ?? 0;
      requests[h.id] = seen;
      const counts = JSON.stringify(h.snapshots ?? null);
      if (!due.length && asked <= seen && this.done.get(h.id) === counts) continue;
      try {
        await this.snapshotHome(h, asked > seen ? [...due, { kind: 'manual', at: now }] : due, taken, now);
        requests[h.id] = asked;
        this.done.set(h.id, counts);
        this.failures.delete(h.name);
      } catch (e) {
        this.failures.set(h.name, detailOf(e));
        this.log.warn({ hosting: h.name, err: e }, `snapshots of ${h.name}: ${detailOf(e)}`);
      }
    }
    // what was taken of hostings no longer here is forgotten (their homes went with them)
    const ids = new Set(this.hostings.map((h) => h.id));
    for (const key of Object.keys(taken)) if (!ids.has(key.split('/')[0]!)) delete taken[key];
    const next: SnapshotState = { last: now.getTime() > new Date(this.state.last).getTime() ? now.toISOString() : this.state.last, taken, requests };
    if (JSON.stringify(next) !== JSON.stringify(this.state)) await writeAtomic(snapshotStateFile(this.root), JSON.stringify(next), 0o600);
    this.state = next;
  }

  /** The due snapshots of one home, its `latest-<kind>` links, and the pruning beyond its offer's counts. */
  private async snapshotHome(h: DesiredHosting, due: Array<Slot | { kind: 'manual'; at: Date }>, taken: Record<string, string>, now: Date): Promise<void> {
    const counts = h.snapshots;
    const backups = path.join(h.home, 'backups');
    const st = await lstatIfExists(backups);
    if (!(await isSubvolumeRoot(this.exec, h.home, this.onBtrfs))) return; // a plain directory: no snapshots
    if (!st?.isDirectory() || st.uid !== 0) {
      if (noSnapshots(counts) && !due.some((d) => d.kind === 'manual')) return;
      throw new Error('backups/ is not the root-owned folder it must be (it is fixed at the next apply of the hosting)');
    }
    for (const slot of due) {
      if (slot.kind !== 'manual' && (!counts || counts[slot.kind] === 0)) continue;
      const name = snapshotName(slot.kind, slot.at);
      const dest = path.join(backups, name);
      if (await lstatIfExists(dest)) {
        if (!(await isSubvolumeRoot(this.exec, dest, this.onBtrfs))) throw new Error(`backups/${name} is there and is not a snapshot: not taken`);
        continue; // taken by a pass that did not finish
      }
      await snapshotReadOnly(this.exec, h.home, dest);
      taken[`${h.id}/${name}`] = now.toISOString();
      this.log.info({ hosting: h.name, snapshot: name }, 'snapshot taken');
    }
    const ours = await ourSnapshots(this.exec, backups, this.onBtrfs);
    const kept = new Set(ours);
    for (const name of toPrune(ours, counts ?? { hourly: 0, daily: 0, weekly: 0, monthly: 0 })) {
      await deleteSubvolumeAt(this.exec, path.join(backups, name));
      kept.delete(name);
      delete taken[`${h.id}/${name}`];
      this.log.info({ hosting: h.name, snapshot: name }, 'snapshot deleted (beyond the offer\'s count)');
    }
    for (const kind of SNAPSHOT_KINDS) await this.linkLatest(backups, kind, newestOf([...kept], kind));
  }

  /** `latest-<kind>` → the newest snapshot of its kind (removed when there is none); replaced atomically. */
  private async linkLatest(backups: string, kind: SnapshotKind, newest: string | null): Promise<void> {
    const link = path.join(backups, latestName(kind));
    const st = await lstatIfExists(link);
    if (st && !st.isSymbolicLink()) return; // somebody's file from before backups/ was Abri's: left alone
    if (!newest) {
      if (st) await unlink(link);
      return;
    }
    if (st && (await readlink(link)) === newest) return;
    const tmp = `${link}.abri-tmp`;
    await unlink(tmp).catch(ifAbsent(undefined)); // a leftover of a pass cut short
    await symlink(newest, tmp);
    await rename(tmp, link);
  }
}
