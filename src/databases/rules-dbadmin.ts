// Tickets that open the web database admin (Adminer) as one database user, without the customer
// typing a password (pure). A ticket is `<user id>.<expiry ms>.<nonce>.<HMAC-SHA256>`, signed with a
// key derived from the manager's secret key: it names the user it is for and when it expires, and
// cannot be made or changed without the key. Being single-use is the store's part (the nonce's row).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a ticket may wait between the click and Adminer's exchange. */
export const TICKET_SECONDS = 60;

export interface TicketClaims {
  userId: string;
  expiresAt: Date;
  nonce: string;
}

const signature = (key: Buffer, payload: string) => createHmac('sha256', key).update(`abri-dbadmin-ticket:${payload}`).digest('base64url');

/** A new ticket for a user, valid until `now` + TICKET_SECONDS. */
export function signTicket(key: Buffer, userId: string, now: Date): { ticket: string; claims: TicketClaims } {
  const claims = { userId, expiresAt: new Date(now.getTime() + TICKET_SECONDS * 1000), nonce: randomBytes(18).toString('base64url') };
  const payload = `${userId}.${claims.expiresAt.getTime()}.${claims.nonce}`;
  return { ticket: `${payload}.${signature(key, payload)}`, claims };
}

/**
 * The claims of a ticket signed with `key` and not expired at `now`, else null (forged, altered,
 * malformed or expired: the caller is told nothing more).
 */
export function verifyTicket(key: Buffer, ticket: string, now: Date): TicketClaims | null {
  const m = /^([0-9a-f-]{36})\.(\d{1,15})\.([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
  if (!m) return null;
  const [, userId, expiry, nonce, sig] = m as unknown as [string, string, string, string, string];
  const want = Buffer.from(signature(key, `${userId}.${expiry}.${nonce}`));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  const expiresAt = new Date(Number(expiry));
  if (!(expiresAt.getTime() > now.getTime())) return null;
  return { userId, expiresAt, nonce };
}

/** What the store keeps of a nonce (a leaked table cannot be replayed). */
export const nonceDigest = (nonce: string) => createHash('sha256').update(nonce).digest('hex');

/** Whether the database admin's service key sent with an exchange is the configured one (compared as digests, in constant time). */
export function sameServiceKey(configured: string, sent: string | undefined): boolean {
  if (!configured || !sent) return false;
  const a = createHash('sha256').update(configured).digest();
  const b = createHash('sha256').update(sent).digest();
  return timingSafeEqual(a, b);
}
