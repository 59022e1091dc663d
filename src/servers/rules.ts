// Pure rules of servers: which changes the edges and the zones must follow, and whether a server's
// agent is reachable.
import type { ServerRow } from './model.js';

/** What a server may be: each role is a set of services its agent configures. */
export const serverRoles = ['edge', 'web', 'dns', 'mail', 'database', 'ftp', 'backup', 'status'] as const;

/** How long an agent's long poll waits for a newer revision (the agent asks for at most this). */
export const LONG_POLL_SECONDS = 25;

/**
 * An agent with no long poll open and no contact for this long is unreachable: three long polls,
 * which leaves room for an apply of a minute between two polls.
 */
export const UNREACHABLE_AFTER_SECONDS = 3 * LONG_POLL_SECONDS;

export type Reachability = 'never' | 'reachable' | 'unreachable';

/**
 * never: its agent never called · reachable: a long poll of its agent is open now, or it called
 * less than UNREACHABLE_AFTER_SECONDS ago · unreachable: otherwise.
 */
export function reachability(lastContactAt: Date | string | null, now: Date, polling: boolean): Reachability {
  if (polling) return 'reachable';
  if (!lastContactAt) return 'never';
  return now.getTime() - new Date(lastContactAt).getTime() <= UNREACHABLE_AFTER_SECONDS * 1000 ? 'reachable' : 'unreachable';
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The addresses every managed zone publishes for an edge (none for a server that is not one). */
export const publishedAddresses = (s: Pick<ServerRow, 'roles' | 'addresses' | 'publicAddresses'>) =>
  s.roles.includes('edge') ? (s.publicAddresses.length ? s.publicAddresses : s.addresses) : [];

/** The zones must be published again when an edge's public addresses (or its edge role) change. */
export const edgeAddressesChanged = (before: ServerRow, after: ServerRow) => !same(publishedAddresses(before), publishedAddresses(after));

/** A mail server's name and addresses are in the records of its mail domains (MX, SRV) and the platform's zone. */
export const mailRecordsChanged = (before: ServerRow, after: ServerRow) =>
  (before.roles.includes('mail') || after.roles.includes('mail')) &&
  (before.name !== after.name || !same(before.addresses, after.addresses) || !same(before.publicAddresses, after.publicAddresses) || !same(before.roles, after.roles));

/** Edges forward to web servers by name and first address: they follow a change of either (or of the roles). */
export const edgesMustFollow = (before: ServerRow, after: ServerRow) =>
  before.name !== after.name || !same(before.addresses, after.addresses) || !same(before.roles, after.roles);
