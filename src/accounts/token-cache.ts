// The actors of recently used API tokens, so that a client sending many requests (an import, a
// migration: hundreds per second) does not cost a database lookup each. The stores writing users,
// tokens or delegations forget them (a token revoked, a user disabled or changed, an access
// granted, changed or withdrawn: see platform/committed-cache.ts for how it stays correct); what
// another process changes (the CLI on the same database) is seen within TTL_MS; expiry is still
// checked on every request, against the request's clock.
import type { Actor } from '../platform/actor.js';
import type { Db } from '../platform/db/database.js';
import { CommittedCache } from '../platform/committed-cache.js';

/** how long a token's actor is used without reading it again */
export const TTL_MS = 1000;

export interface CachedToken {
  actor: Actor;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedAddress: string | null;
}

/** by the token's hash */
export const tokenCache = new CommittedCache<CachedToken>(TTL_MS);

/** Called by the stores that write users, API tokens or delegations. */
export const tokensChanged = (db: Db): void => tokenCache.changed(db);
