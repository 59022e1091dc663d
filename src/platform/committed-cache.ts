// A cache of rows that a busy write path reads on every request but that change rarely (the
// actor of an API token, the servers' names and roles, a customer, an offer), kept correct rather
// than merely fresh:
//  - the stores that write those rows call `changed(db)` once their statement ran: every entry
//    is forgotten then, and again when its transaction commits (a read in between could have seen
//    the old rows); outside a change's transaction the statement is committed already;
//  - a read that began before such a write does not keep what it read (`read`, or `mark`/`keep`);
//  - what another process writes (the CLI on the same database) is seen after at most `ttlMs`.
import { performance } from 'node:perf_hooks';
import type { Db } from './db/database.js';
import { whenCommitted } from './when-committed.js';

type Entry<V> = { value: V; epoch: number; at: number };

export class CommittedCache<V> {
  /** per database (its adapter, shared by its connections and transactions): several may run in one process */
  private readonly byDatabase = new WeakMap<object, Map<string, Entry<V>>>();
  private epoch = 0;

  constructor(
    /** how long an entry is used without reading the database again */
    readonly ttlMs: number,
    /** entries kept at most per database (a flood of distinct keys forgets them all rather than growing) */
    private readonly maxEntries = 1000,
  ) {}

  /** every entry is stale once the epoch moved on */
  private readonly forget = () => {
    this.epoch++;
  };

  private entries(db: Db): Map<string, Entry<V>> {
    const key = db.getExecutor().adapter;
    let m = this.byDatabase.get(key);
    if (!m) this.byDatabase.set(key, (m = new Map()));
    return m;
  }

  /** Called by the stores that write the cached rows, after the write (in `db`, a change's transaction or not). */
  changed(db: Db): void {
    this.forget();
    whenCommitted(db, this.forget);
  }

  /** The entry of this key, if fresh. */
  get(db: Db, key: string): V | null {
    const entries = this.entries(db);
    const e = entries.get(key);
    if (!e) return null;
    if (e.epoch !== this.epoch || performance.now() - e.at >= this.ttlMs) {
      entries.delete(key);
      return null;
    }
    return e.value;
  }

  /** A mark taken before reading the database: `keep` keeps what was read only if nothing changed since. */
  mark(): number {
    return this.epoch;
  }

  keep(db: Db, key: string, mark: number, value: V): void {
    if (mark !== this.epoch) return;
    const entries = this.entries(db);
    if (entries.size >= this.maxEntries) entries.clear();
    entries.set(key, { value, epoch: this.epoch, at: performance.now() });
  }

  /** Replaces a fresh entry's value (what this process just wrote), keeping its age. */
  update(db: Db, key: string, fn: (v: V) => V): void {
    const entries = this.entries(db);
    const e = entries.get(key);
    if (e) entries.set(key, { ...e, value: fn(e.value) });
  }

  /** The fresh entry, or what `load` reads (kept unless the rows changed meanwhile; nothing found is not kept). */
  async read<W extends V | undefined>(db: Db, key: string, load: () => Promise<W>): Promise<W> {
    const cached = this.get(db, key);
    if (cached !== null) return cached as W;
    const mark = this.mark();
    const value = await load();
    if (value !== undefined) this.keep(db, key, mark, value as V);
    return value;
  }
}
