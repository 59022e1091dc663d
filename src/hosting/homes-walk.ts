// The space used by homes whose filesystem does not count it (not btrfs subvolumes), measured by
// walking them in turn: each step examines at most `budget` files, then stops where it is and goes on
// from there at the next step. A home's size is reported when its walk ends; the next home follows,
// and once every home was walked the round starts again, those never measured first. So a node with
// 10,000 homes spends the same bounded time per measure whatever their number, and each home is
// measured every (files on the node / budget) measures. Sizes are allocated blocks (du's), each inode
// counted once per home (hard links).
import type { Dir } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import path from 'node:path';
import { ifAbsent, isAbsent } from '../platform/absent.js';
import { lstatIfExists } from '../platform/if-exists.js';

interface Walking { id: string; home: string; dirs: string[]; open: { dir: string; handle: Dir } | null; bytes: number; seen: Set<number> }

export class HomesWalk {
  private current: Walking | null = null;
  /** homes left in this round */
  private queue: Array<{ id: string; home: string }> = [];
  /** hosting id → when its last walk ended (0: never) */
  private readonly done = new Map<string, number>();
  private round = 0;

  /** Walks on for at most `budget` files; returns the homes whose walk ended during this step. */
  async step(homes: Array<{ id: string; home: string }>, budget: number): Promise<Array<{ id: string; bytes: number }>> {
    const wanted = new Map(homes.map((h) => [h.id, h.home]));
    if (this.current && wanted.get(this.current.id) !== this.current.home) { // gone (or moved)
      await this.current.open?.handle.close();
      this.current = null;
    }
    this.queue = this.queue.filter((h) => wanted.get(h.id) === h.home);
    for (const id of this.done.keys()) if (!wanted.has(id)) this.done.delete(id);
    const out: Array<{ id: string; bytes: number }> = [];
    let left = budget;
    let refills = 0;
    while (left > 0) {
      if (!this.current) {
        if (!this.queue.length) {
          if (refills++ > 0 || !homes.length) break; // every home walked in this step already
          this.round++;
          this.queue = [...homes].sort((a, b) => (this.done.get(a.id) ?? 0) - (this.done.get(b.id) ?? 0));
        }
        const next = this.queue.shift()!;
        this.current = { ...next, dirs: [next.home], open: null, bytes: 0, seen: new Set() };
        const st = await lstatIfExists(next.home);
        if (!st?.isDirectory()) {
          this.current = null;
          continue;
        }
        this.current.bytes += st.blocks * 512;
      }
      left = await this.walkOn(this.current, left);
      if (!this.current.dirs.length && !this.current.open) {
        out.push({ id: this.current.id, bytes: this.current.bytes });
        this.done.set(this.current.id, this.round);
        this.current = null;
      }
    }
    return out;
  }

  /** Examines the entries of the home's pending directories; returns the budget left. */
  private async walkOn(w: Walking, budget: number): Promise<number> {
    let left = budget;
    while (left > 0 && (w.open || w.dirs.length)) {
      if (!w.open) {
        const dir = w.dirs.pop()!;
        try {
          w.open = { dir, handle: await opendir(dir) };
        } catch (e) {
          if (isAbsent(e)) continue; // removed or replaced meanwhile
          throw e;
        }
      }
      const { dir, handle } = w.open;
      // a directory is read on from where the last step stopped (a directory of a million files too)
      while (left > 0) {
        const entry = await handle.read();
        if (!entry) {
          await handle.close();
          w.open = null;
          break;
        }
        left--;
        const p = path.join(dir, entry.name);
        const st = await lstat(p).catch(ifAbsent(null));
        if (st) {
          if (st.nlink > 1 && !st.isDirectory()) {
            if (w.seen.has(st.ino)) continue;
            w.seen.add(st.ino);
          }
          w.bytes += st.blocks * 512;
          if (st.isDirectory()) w.dirs.push(p); // never follows symlinks (lstat)
        }
      }
    }
    return left;
  }
}
