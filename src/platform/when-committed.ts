// What a store needs from the change its transaction belongs to: running something once the change
// commits (change.ts registers each open transaction here; committed-cache.ts, which change.ts reads
// through the read-only mode's store, needs it without importing change.ts).
import type { Db } from './db/database.js';

/** the work to run after the commit of each open change's transaction */
const changeOf = new WeakMap<Db, { afterCommit: Array<() => void> }>();

/** Registers the transaction of a change (change.ts, when it opens it). */
export function openedChange(db: Db, c: { afterCommit: Array<() => void> }): void {
  changeOf.set(db, c);
}

/**
 * Runs `fn` once what `db` wrote is committed: after the commit of the change whose transaction
 * it is, at once otherwise (a statement outside a transaction is committed when it returns). For
 * stores whose writes must reach something outside the database, such as a cache to forget.
 */
export function whenCommitted(db: Db, fn: () => void): void {
  const c = changeOf.get(db);
  if (c) c.afterCommit.push(fn);
  else fn();
}
