// The actors of recently used API tokens, so that a client sending many requests (an import, a
// migration: hundreds per second) does not cost a database lookup each. Kept correct rather than
// merely fresh:
//  - this process forgets every entry when a store writes users, tokens or delegations (a token
//    revoked, a user disabled or changed, an access granted or withdrawn), once when the statement
//    runs and again when its transaction commits (a lookup in between could have read the old row);
//  - a lookup that started before such a write does not keep what it read;
//  - what another process changes (the CLI on the same database) is seen after at most TTL_MS;
//  - expiry is still checked on every request, against the request's clock.
import { performance } from 'node:perf_hooks';
import type { Actor } from '../platform/actor.js';
import type { Db } from '../platform/db/database.js';
import { whenCommitted } from '../platform/change.js';

/** how long an entry is used without asking the database again */
export const TTL_MS = 1000;
/** entries kept at most (a flood of distinct tokens forgets them all rather than growing) */
const MAX_ENTRIES = 1000;

export interface CachedToken {
  actor: Actor;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedAddress: string | null;
}

const entries = new Map<string, CachedToken & { epoch: number; at: number }>();
let epoch = 0;

const forget = () => {
  epoch++;
  entries.clear();
};

/** Called by the stores that write users, API tokens or delegations (in `db`, a change's transaction or not). */
export function tokensChanged(db: Db): void {
  forget();
  whenCommitted(db, forget);
}

/** The cached token of this hash, if fresh. */
export function cachedToken(hash: string): CachedToken | null {
  const e = entries.get(hash);
  if (!e) return null;
  if (e.epoch !== epoch || performance.now() - e.at >= TTL_MS) {
    entries.delete(hash);
    return null;
  }
  return e;
}

/** A mark taken before reading a token from the database: `keepToken` keeps it only if nothing changed since. */
export const tokenMark = (): number => epoch;

export function keepToken(hash: string, mark: number, token: CachedToken): void {
  if (mark !== epoch) return;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(hash, { ...token, epoch, at: performance.now() });
}

/** Records a use written to the database (the cached copy reads as the row does). */
export function touchedToken(hash: string, at: Date, address: string | null): void {
  const e = entries.get(hash);
  if (e) entries.set(hash, { ...e, lastUsedAt: at, lastUsedAddress: address });
}
