// Who is making a request, and the one place that decides what they may see and change.
import { AppError, notFound } from './errors.js';

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
  csrfToken?: string;
}

const rank: Record<DelegationRole, number> = { readonly: 0, manager: 1, owner: 2 };

export const isStaff = (a: Actor) => a.role === 'admin' || a.role === 'staff';

/** Customer ids the actor may see, or null for all (staff). */
export function customerScope(actor: Actor): string[] | null {
  return isStaff(actor) ? null : [...actor.delegations.keys()];
}

/** Throws `<what>.not_found` unless the actor may see objects of this customer. */
export function assertCanSee(actor: Actor, customerId: string, what: string): void {
  if (isStaff(actor)) return;
  if (!actor.delegations.has(customerId)) throw notFound(what);
}

/** Throws 404 when invisible, 403 when visible but the delegation role is too weak. */
export function assertCanChange(actor: Actor, customerId: string, what: string, needed: DelegationRole = 'manager'): void {
  assertCanSee(actor, customerId, what);
  if (isStaff(actor)) return;
  const role = actor.delegations.get(customerId)!;
  if (rank[role] < rank[needed]) {
    throw new AppError(`${what}.forbidden`, `your ${role} access to this customer does not allow this change (${needed} needed)`);
  }
}

export function assertStaff(actor: Actor): void {
  if (!isStaff(actor)) throw new AppError('auth.staff_only', 'this action is reserved to the platform staff');
}

export function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('auth.forbidden', 'this action is reserved to administrators');
}
