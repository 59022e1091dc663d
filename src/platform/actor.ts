// Who is making a request or running a task, and what they may see.
import { AppError, defineErrors, notFound } from './errors.js';

export type UserRole = 'admin' | 'staff' | 'customer';
export type DelegationRole = 'owner' | 'manager' | 'readonly';

export interface Actor {
  userId: string;
  email: string;
  role: UserRole;
  locale: 'fr' | 'en';
  /** customer id → this user's role there (customer users only; staff see everything) */
  delegations: Map<string, DelegationRole>;
  via: 'session' | 'token' | 'system';
  sessionId?: string;
  tokenId?: string;
  csrfToken?: string;
}

/**
 * Who asks for an operation: a user (actor) from an address, or the platform itself (actor null,
 * with a label such as "certificates" or "cli"). Audit entries name the caller.
 */
export interface Caller {
  actor: Actor | null;
  address: string | null;
  /** label when there is no actor (CLI bootstrap, jobs, controllers) */
  label?: string;
  /** what the platform does when it acts on its own, for the read-only mode (platform/read-only.ts) */
  duty?: Duty;
}

/**
 * Why the platform acting on its own goes on while it is read-only: 'upkeep' keeps the servers
 * serving (certificate renewals, measures, published settings), 'console' is its operators at the
 * machine (local `abri` commands). Without a duty (the default: renewals, dunning, any new job) its
 * changes wait for the end of the read-only mode like the customers'.
 */
export type Duty = 'upkeep' | 'console';

/** The platform acting on its own (a job, a controller, a local CLI command). */
export const systemCaller = (label: string, duty?: Duty): Caller => ({ actor: null, address: null, label, ...(duty ? { duty } : {}) });

export const actorErrors = defineErrors({ 'auth.staff_only': 'forbidden', 'auth.forbidden': 'forbidden' });

export const isStaff = (a: Actor | null) => !!a && (a.role === 'admin' || a.role === 'staff');

/** Customer ids the actor may see, or null for all (staff, or the platform itself). */
export function customerScope(actor: Actor | null): string[] | null {
  return !actor || isStaff(actor) ? null : [...actor.delegations.keys()];
}

/** Throws `<what>.not_found` unless the actor may see objects of this customer. */
export function assertCanSee(actor: Actor | null, customerId: string | null, what: string): void {
  if (!actor || isStaff(actor)) return;
  if (customerId === null || !actor.delegations.has(customerId)) throw notFound(what);
}

export function assertStaff(actor: Actor | null): void {
  if (actor && !isStaff(actor)) throw new AppError('auth.staff_only', 'this action is reserved to the platform staff');
}

export function assertAdmin(actor: Actor | null): void {
  if (actor && actor.role !== 'admin') throw new AppError('auth.forbidden', 'this action is reserved to administrators');
}
