// Pure rendering of the mail limits in Abri's Postfix and Dovecot (render-postfix.ts and
// render-dovecot.ts call these): the answer to mail for a full mailbox (bounce or defer), SRS for
// forwarded mail (Abri's postsrsd, its loopback lookup tables used by the cleanup of port 25 only),
// the catch-all aliases (`*@domain`), and the sending-rate policy service of authenticated clients.
import { safeInt, safePath, safeToken } from '../platform/render.js';
import { isMailDomain } from './rules.js';

/** What the mail renderers need for the limits; every part optional (absent: today's behaviour). */
export interface MailLimitsSpec {
  /** mail for a full mailbox: bounce (552 5.2.2, default) or defer (452 4.2.2: the sender retries) */
  overQuota?: 'bounce' | 'defer';
  /** Abri's postsrsd: the SRS domain (the mail server's name) and its loopback ports; null: no SRS */
  srs?: { domain: string; forwardPort: number; reversePort: number } | null;
  /** the socket of Abri's sending-rate policy service (authenticated clients); null: no limit */
  ratePolicy?: string | null;
}

/** The catch-all alias of a domain is the address "*@domain" (its local part is "*"). */
export const CATCH_ALL = '*';
export const isCatchAll = (address: string) => address.startsWith(`${CATCH_ALL}@`) && isMailDomain(address.slice(2));

/** Dovecot's quota-status answer for a full mailbox, and whether LMTP fails temporarily then. */
export function overQuotaDovecot(spec: MailLimitsSpec): { answer: string; tempfail: boolean } {
  return spec.overQuota === 'defer' ? { answer: '452 4.2.2 Mailbox is full', tempfail: true } : { answer: '552 5.2.2 Mailbox is full', tempfail: false };
}

const HOST = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;
const srsTable = (port: number) => `tcp:127.0.0.1:${safeInt('SRS port', port, 1, 65535)}`;

/**
 * main.cf settings of SRS: the SRS domain is relayed (accepted on port 25) for the addresses that
 * postsrsd can reverse only, so a bounce to a forged or expired SRS address is refused at RCPT
 * (no backscatter); the valid ones are rewritten back to the original sender by the SRS cleanup.
 */
export function srsMainSettings(spec: MailLimitsSpec): Array<[string, string]> {
  if (!spec.srs) return [];
  return [
    ['relay_domains', safeToken('SRS domain', spec.srs.domain, HOST)],
    ['relay_recipient_maps', srsTable(spec.srs.reversePort)],
  ];
}

/**
 * master.cf lines of SRS: the port-25 listener hands its mail to a cleanup that rewrites envelope
 * senders (forward table: a forwarded message leaves with SRS0=…@srs-domain, so SPF passes at the
 * destination) and recipients (reverse table: a bounce to SRS0=… goes back to the original sender).
 * Authenticated clients send as their own addresses, which need no rewriting: they keep the plain cleanup.
 */
export function srsSmtpOptions(spec: MailLimitsSpec): string[] {
  return spec.srs ? ['  -o cleanup_service_name=srs-cleanup'] : [];
}

export function srsMasterServices(spec: MailLimitsSpec): string[] {
  if (!spec.srs) return [];
  return [
    'srs-cleanup unix n - n - 0 cleanup',
    `  -o sender_canonical_maps=${srsTable(spec.srs.forwardPort)}`,
    '  -o sender_canonical_classes=envelope_sender',
    `  -o recipient_canonical_maps=${srsTable(spec.srs.reversePort)}`,
    '  -o recipient_canonical_classes=envelope_recipient',
  ];
}

/**
 * The restriction that counts each authenticated message at its end of data (keyed by the SASL
 * login) and answers HOLD past the mailbox's hourly or daily limit: the message waits in Postfix's
 * hold queue for staff. If the policy service does not answer, Postfix answers 451 4.3.5: the client
 * retries later, nothing is sent uncounted.
 */
export function rateMainSettings(spec: MailLimitsSpec): Array<[string, string]> {
  return spec.ratePolicy ? [['abri_rate_restrictions', `check_policy_service unix:${safePath('rate policy socket', spec.ratePolicy)}`]] : [];
}

/** master.cf takes no spaces in "-o name=value": the listeners name the main.cf parameter above. */
export const rateRestriction = (spec: MailLimitsSpec) => (spec.ratePolicy ? '$abri_rate_restrictions' : '');

/** Virtual alias rows of the catch-alls: "@domain destinations", and each mailbox of such a domain mapped to itself (explicit addresses win). */
export function catchAllRows(aliases: Array<{ address: string; destinations: string[] }>, mailboxes: Array<{ address: string }>): Array<[string, string]> {
  const domains = new Set(aliases.filter((a) => isCatchAll(a.address)).map((a) => a.address.slice(2)));
  return mailboxes.filter((b) => domains.has(b.address.slice(b.address.lastIndexOf('@') + 1))).map((b) => [b.address, b.address]);
}

/** The key of an alias in the virtual alias table: "@domain" for a catch-all. */
export const aliasKey = (address: string) => (isCatchAll(address) ? address.slice(1) : address);
