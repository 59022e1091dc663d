// What a caller may do to an object of a customer, given the roles and the states. Defined once:
// every operation asks `decide` (through `change().may`) before it changes anything.
//
//   visibility  customer users see the objects of the customers they act for; anything else is
//               "not found" (404), never "forbidden": ids of others reveal nothing.
//   roles       readonly reads; manager also changes hostings, sites, zones, records, certificates;
//               owner also changes the customer and who acts for it. Staff and admins do all of it.
//   states      a suspended or closed customer, and a suspended hosting, are read-only for the
//               customer's users (read and download yes, change no); staff still change them.
//               A terminated hosting is read-only for everyone (only its purge is left).
import { isStaff, type Actor, type DelegationRole } from './actor.js';
import { AppError, defineErrors, notFound } from './errors.js';

export type CustomerStatus = 'active' | 'suspended' | 'closed';
export type HostingStatus = 'active' | 'suspended' | 'terminated';

/** read: see it · manage: change it (manager role) · own: change the customer and its people (owner role) */
export type Need = 'read' | 'manage' | 'own';

/** The object an operation acts on, as the policy sees it. */
export interface Subject {
  /** the kind of object, for the error codes: site → site.not_found, site.forbidden */
  what: string;
  /** its customer; null for a platform object (only staff change those) */
  customerId: string | null;
  customerStatus?: CustomerStatus;
  /** set when the object belongs to a hosting */
  hosting?: { name: string; status: HostingStatus };
}

export const policyErrors = defineErrors({
  'customer.suspended': 'conflict',
  'customer.closed': 'conflict',
  'hosting.suspended': 'conflict',
  'hosting.terminated': 'conflict',
  'platform.staff_only': 'forbidden',
});

const rank: Record<DelegationRole, number> = { readonly: 0, manager: 1, owner: 2 };
const roleFor: Record<Exclude<Need, 'read'>, DelegationRole> = { manage: 'manager', own: 'owner' };

/**
 * Throws unless the caller (null = the platform itself) may do `need` on the subject. The error
 * says why: not found, forbidden (role), or the state that makes it read-only.
 */
export function decide(actor: Actor | null, subject: Subject, need: Need): void {
  const staff = !actor || isStaff(actor);
  if (!staff) {
    if (subject.customerId === null) {
      if (need === 'read') return;
      throw new AppError('platform.staff_only', `this ${subject.what} belongs to the platform: only its staff change it`, { params: { what: subject.what } });
    }
    const role = actor.delegations.get(subject.customerId);
    if (!role) throw notFound(subject.what);
    if (need === 'read') return;
    if (rank[role] < rank[roleFor[need]]) {
      throw new AppError(`${subject.what}.forbidden`, `your ${role} access to this customer does not allow this change (${roleFor[need]} needed)`, {
        params: { role, needed: roleFor[need] },
      });
    }
  }
  if (need === 'read') return;
  const h = subject.hosting;
  if (h?.status === 'terminated') {
    throw new AppError('hosting.terminated', `${h.name} is terminated: it can be read, not changed`, { params: { hosting: h.name } });
  }
  if (staff) return;
  if (subject.customerStatus === 'closed') throw new AppError('customer.closed', 'this customer account is closed: it can be read, not changed', {});
  if (subject.customerStatus === 'suspended') {
    throw new AppError('customer.suspended', 'this customer account is suspended: it can be read, not changed; contact the staff', {});
  }
  if (h?.status === 'suspended') {
    throw new AppError('hosting.suspended', `${h.name} is suspended: it can be read, not changed; contact the staff`, { params: { hosting: h.name } });
  }
}
