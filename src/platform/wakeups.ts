// Waiting for something another part of the process does, without asking the database over and
// over: a waiter looks (a query), then naps until it is woken or a while has passed, then looks
// again. The agents' long polls nap until a revision commits (committedRevisions, woken by
// store-revision.ts once the change's transaction commits) and an agent's questions until they are
// asked or answered (servers/queries.ts). The nap's time limit is how soon a waiter sees what another
// process wrote (a CLI command or a second manager on the same PostgreSQL).

/** Sleepers by key: nap() resolves after `ms`, on wake(key), or on abort, whichever comes first. */
export class Wakeups<K> {
  readonly #sleepers = new Map<K, Set<() => void>>();
  #wakes = 0;

  /**
   * How many wakes there have been: read it before looking, and pass it to nap() as `since`, so that
   * a wake between the look and the nap is not missed (the nap returns at once); until() does so.
   */
  get wakes(): number {
    return this.#wakes;
  }

  wake(key: K): void {
    this.#wakes++;
    for (const done of this.#sleepers.get(key) ?? []) done();
  }

  /**
   * Looks until it finds: `look()` now, then again at each wake-up of `key` or every `everyMs`, until
   * `found` says so, `deadline` (a Date.now() time) passes or `signal` aborts. Answers the last look.
   */
  async until<T>(key: K, look: () => Promise<T>, found: (t: T) => boolean, o: { deadline: number; everyMs: number; signal?: AbortSignal }): Promise<T> {
    for (;;) {
      const since = this.#wakes;
      const seen = await look();
      if (found(seen) || Date.now() >= o.deadline || o.signal?.aborted) return seen;
      await this.nap(key, Math.min(o.everyMs, o.deadline - Date.now()), { signal: o.signal, since });
    }
  }

  nap(key: K, ms: number, opts: { signal?: AbortSignal; since?: number } = {}): Promise<void> {
    const { signal, since } = opts;
    if (signal?.aborted || (since !== undefined && since !== this.#wakes)) return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.#sleepers.get(key) ?? new Set();
      this.#sleepers.set(key, set);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (!set.size && this.#sleepers.get(key) === set) this.#sleepers.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      set.add(done);
    });
  }
}

/** Woken after the commit of every revision this process makes (all the agents' polls of the process wait on it). */
export const committedRevisions = new Wakeups<'revision'>();
