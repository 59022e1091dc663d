// Pure rules of mail: the forms of local parts, addresses and mail domains (one validation, shared
// by the API and the mail server's renderers, which refuse anything else), and the offer's quotas
// (maxMailboxes mailboxes per hosting, their quotas summed within mailMb).
import { AppError } from '../platform/errors.js';
import { normaliseDomain } from '../platform/names.js';
import type { OfferRow } from '../offers/model.js';

/** A local part Abri makes: a-z, 0-9 and single ".", "_" or "-" between them ("+" is the sub-address delimiter). */
export const LOCAL_PART = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
export const MAX_LOCAL_PART = 64;
/** A destination's local part: what a forward may point to (no spaces, commas, quotes or controls). */
const DESTINATION_LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;

export const isLocalPart = (s: string) => s.length <= MAX_LOCAL_PART && LOCAL_PART.test(s);

/** A mail domain as stored: a normalised (lower-case ASCII) host name. */
export function isMailDomain(s: string): boolean {
  const n = normaliseDomain(s);
  return n.ok && n.value === s;
}

/** local@domain with a local part Abri makes and a normalised domain. */
export function isMailAddress(s: string): boolean {
  const at = s.lastIndexOf('@');
  return at > 0 && isLocalPart(s.slice(0, at)) && isMailDomain(s.slice(at + 1));
}

/** An address a forward may send to (any mail domain, inside the platform or not). */
export function isDestination(s: string): boolean {
  const at = s.lastIndexOf('@');
  if (at <= 0 || s.length > 254) return false;
  const local = s.slice(0, at);
  return DESTINATION_LOCAL.test(local) && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..') && isMailDomain(s.slice(at + 1));
}

export const MB = 1024 * 1024;

/** One more mailbox stays within the offer's maxMailboxes. */
export function assertMailboxQuota(offer: Pick<OfferRow, 'name' | 'maxMailboxes'>, used: number) {
  if (used + 1 > offer.maxMailboxes) {
    throw new AppError('quota.mailboxes_exceeded', `the offer "${offer.name}" allows ${offer.maxMailboxes} mailbox(es) per hosting`, {
      params: { offer: offer.name, max: offer.maxMailboxes, used },
    });
  }
}

/** The mailboxes' quotas of a hosting, summed, stay within the offer's mailMb. */
export function assertMailSpace(offer: Pick<OfferRow, 'name' | 'mailMb'>, otherQuotasMb: number, quotaMb: number) {
  if (otherQuotasMb + quotaMb > offer.mailMb) {
    const left = Math.max(0, offer.mailMb - otherQuotasMb);
    throw new AppError('quota.mail_space_exceeded', `the offer "${offer.name}" allows ${offer.mailMb} MB of mail per hosting: ${left} MB are left for this mailbox`, {
      params: { offer: offer.name, maxMb: offer.mailMb, usedMb: otherQuotasMb, leftMb: left },
      issues: [{ code: 'quota.mail_space_exceeded', path: 'body.quotaMb', message: `at most ${left} MB are left in the offer` }],
    });
  }
}
