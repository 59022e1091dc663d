// Where a hosting's home lives and how its space is counted (side effects through the Executor).
//
// When the homes' directory (ABRI_HOSTING_ROOT) is on btrfs, a new home is a subvolume whose
// referenced size is limited to the offer's diskMb by its quota group: a write beyond it fails with
// EDQUOT ("Disk quota exceeded"), and the usage reported is the qgroup's own, exact figure. A home
// that already exists as a plain directory stays one (never converted): its limit is not enforced.
// Elsewhere (ext4, XFS… without quotas) usage is measured by walking the homes in turn, at most
// ABRI_DISK_MEASURE_FILES files per measure (homes-walk.ts), and reported as not enforced.
// A subvolume a hosting creates inside its home (btrfs lets a directory's owner do so) is outside the
// home's qgroup: its space is added to the usage reported, but the limit does not cover it. The
// snapshots Abri takes into the home's root-owned backups/ (src/snapshots) are not: they are not new data.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Executor } from '../platform/executor.js';
import { lstatIfExists } from '../platform/if-exists.js';
import type { ObjectUsage } from '../node/protocol.js';
import { createSubvolume, deleteSubvolume, enableQuota, fsTypeOf, qgroups, setLimit, subvolumeId, SUBVOLUME_ROOT_INO, type Qgroup } from './btrfs.js';
import { HomesWalk } from './homes-walk.js';

const MiB = 1024 * 1024;

export interface StorageSettings {
  /** measure at most this often (0: at every apply) */
  measureSeconds: number;
  /** files examined per measure where the filesystem does not count */
  measureFiles: number;
}

export interface HomeOfHosting { id: string; name: string; home: string; diskMb?: number }

export class HomeStorage {
  /** directory holding homes → whether it is on btrfs */
  private readonly btrfsDirs = new Map<string, boolean>();
  /** directories on btrfs whose filesystem has quota groups enabled by this agent */
  private readonly quotaOn = new Set<string>();
  /** home → its subvolume id (found once) */
  private readonly ids = new Map<string, number>();
  private readonly walk = new HomesWalk();
  private measuredAt = 0;

  constructor(
    private readonly exec: Executor,
    private readonly settings: StorageSettings,
    private readonly log?: Logger,
  ) {}

  private async onBtrfs(dir: string): Promise<boolean> {
    let yes = this.btrfsDirs.get(dir);
    if (yes === undefined) this.btrfsDirs.set(dir, (yes = (await fsTypeOf(this.exec, dir)) === 'btrfs'));
    return yes;
  }

  /** Whether the home is a subvolume of a btrfs filesystem (its limit enforced). */
  private async isSubvolume(home: string): Promise<boolean> {
    const st = await lstatIfExists(home);
    return !!st && st.isDirectory() && st.ino === SUBVOLUME_ROOT_INO && (await this.onBtrfs(path.dirname(home)));
  }

  /** Creates a missing home (root-owned; the caller sets owner and mode): a subvolume, limited, on btrfs. */
  async createHome(h: HomeOfHosting, mode: number): Promise<void> {
    const dir = path.dirname(h.home);
    await mkdir(dir, { recursive: true, mode: 0o711 });
    if (!(await this.onBtrfs(dir))) {
      await mkdir(h.home, { mode });
      return;
    }
    if (!this.quotaOn.has(dir)) {
      await enableQuota(this.exec, dir);
      this.quotaOn.add(dir);
    }
    await createSubvolume(this.exec, h.home);
    this.ids.set(h.home, await subvolumeId(this.exec, h.home));
    if (h.diskMb !== undefined) await setLimit(this.exec, h.home, h.diskMb);
    this.log?.info({ home: h.home, diskMb: h.diskMb }, 'home created as a btrfs subvolume with its quota');
  }

  /** The subvolume id of each home among `homes` that is a subvolume, read from the qgroups' paths or asked of btrfs. */
  private async subvolumeIds(homes: HomeOfHosting[], groups: Qgroup[]): Promise<Map<string, number>> {
    const byName = new Map<string, number[]>();
    for (const g of groups) if (g.path) (byName.get(path.posix.basename(g.path)) ?? byName.set(path.posix.basename(g.path), []).get(path.posix.basename(g.path))!).push(g.id);
    const out = new Map<string, number>();
    for (const h of homes) {
      let id = this.ids.get(h.home);
      const candidates = byName.get(path.basename(h.home)) ?? [];
      // the one subvolume of that name is the home; otherwise (two of the same name) btrfs says which
      if (id === undefined) id = candidates.length === 1 ? candidates[0]! : await subvolumeId(this.exec, h.home);
      this.ids.set(h.home, id);
      out.set(h.home, id);
    }
    return out;
  }

  /** Sets the limit of the homes that are subvolumes where it differs from their offer's diskMb. */
  async applyLimits(hostings: HomeOfHosting[]): Promise<Map<string, Error>> {
    const failures = new Map<string, Error>();
    const subvolumes: HomeOfHosting[] = [];
    for (const h of hostings) if (h.diskMb !== undefined && (await this.isSubvolume(h.home))) subvolumes.push(h);
    for (const [dir, homes] of groupByDir(subvolumes)) {
      let limits: Map<string, number | null>;
      try {
        const groups = await qgroups(this.exec, dir, { sync: false });
        const ids = await this.subvolumeIds(homes, groups);
        const byId = new Map(groups.map((g) => [g.id, g.maxReferenced]));
        limits = new Map(homes.map((h) => [h.home, byId.get(ids.get(h.home)!) ?? null]));
      } catch (e) {
        for (const h of homes) failures.set(h.id, e as Error); // tried again at the next apply
        continue;
      }
      for (const h of homes) {
        if (limits.get(h.home) === h.diskMb! * MiB) continue;
        try {
          await setLimit(this.exec, h.home, h.diskMb!);
          this.log?.info({ home: h.home, diskMb: h.diskMb }, 'disk quota of a home changed');
        } catch (e) {
          failures.set(h.id, e as Error);
        }
      }
    }
    return failures;
  }

  /** Deletes a home: its subvolume (and those a hosting nested in it), or the directory tree. */
  async removeHome(home: string): Promise<void> {
    if (await this.isSubvolume(home)) {
      await deleteSubvolume(this.exec, home, await subvolumeId(this.exec, home));
      this.ids.delete(home);
    } else {
      await rm(home, { recursive: true, force: true });
    }
  }

  /**
   * The space each home uses, at most every measureSeconds (undefined: not measured this time):
   * exact for subvolumes (enforced), walked in turn for the others (not enforced: only those whose
   * walk ended in this measure are reported).
   */
  async measure(hostings: HomeOfHosting[]): Promise<ObjectUsage[] | undefined> {
    if (this.measuredAt && Date.now() - this.measuredAt < this.settings.measureSeconds * 1000) return undefined;
    this.measuredAt = Date.now();
    const usage: ObjectUsage[] = [];
    const walked: HomeOfHosting[] = [];
    const subvolumes: HomeOfHosting[] = [];
    for (const h of hostings) {
      const st = await lstatIfExists(h.home);
      if (!st?.isDirectory()) continue; // not made yet (or refused)
      ((await this.isSubvolume(h.home)) ? subvolumes : walked).push(h);
    }
    for (const [dir, homes] of groupByDir(subvolumes)) {
      try {
        const groups = await qgroups(this.exec, dir, { sync: true });
        const byId = new Map(groups.map((g) => [g.id, g]));
        const ids = await this.subvolumeIds(homes, groups);
        for (const h of homes) {
          const own = byId.get(ids.get(h.home)!);
          if (!own) continue;
          // with the subvolumes the hosting made inside its home: outside its qgroup, but its space all the same
          const nested = own.path ? groups.filter((g) => g.path?.startsWith(`${own.path}/`) && !g.path.startsWith(`${own.path}/backups/`)) : [];
          const bytes = nested.reduce((sum, g) => sum + g.referenced, own.referenced);
          usage.push({ kind: 'hosting-disk', id: h.id, bytes, enforced: true });
        }
      } catch (e) {
        this.log?.warn({ err: e, dir }, 'could not read the quota groups of the homes');
      }
    }
    try {
      for (const m of await this.walk.step(walked, this.settings.measureFiles)) usage.push({ kind: 'hosting-disk', id: m.id, bytes: m.bytes, enforced: false });
    } catch (e) {
      this.log?.warn({ err: e }, 'could not measure the homes');
    }
    return usage;
  }
}

function groupByDir(homes: HomeOfHosting[]): Map<string, HomeOfHosting[]> {
  const out = new Map<string, HomeOfHosting[]>();
  for (const h of homes) {
    const dir = path.dirname(h.home);
    (out.get(dir) ?? out.set(dir, []).get(dir)!).push(h);
  }
  return out;
}
