// The mail settings (Abri's Postfix and Dovecot on mail servers): read by config.ts; each bad value
// is refused with config.invalid naming its key. The ports are also shown to customers.
import path from 'node:path';
import { AppError } from './errors.js';
import { ip, type RawSettings } from './config-values.js';

export const MAIL_PORTS = ['smtp', 'submission', 'smtps', 'imap', 'imaps', 'pop3', 'pop3s', 'sieve', 'replies'] as const;
export type MailPorts = Record<(typeof MAIL_PORTS)[number], number>;
/**
 * The ports mail clients use (shown to customers); `replies` is internal: Postfix's listener on
 * 127.0.0.1 where Dovecot hands the out-of-office replies (null sender only), never opened to the world.
 */
export const CLIENT_MAIL_PORTS = MAIL_PORTS.filter((p): p is Exclude<(typeof MAIL_PORTS)[number], 'replies'> => p !== 'replies');

export interface MailSettings {
  bind: string;
  ports: MailPorts;
  /** the name Postfix greets with and its self-signed certificate names (empty: the machine's host name) */
  hostname: string;
  /** where Postfix sends mail for other domains ([host]:port), or '' for their MX (DNS) */
  relayhost: string;
  postfix: string;
  dovecot: string;
  /** where the agent answers autoconfig/autodiscover (null: not on that scheme) */
  autoconfig: { http: number | null; https: number | null };
  /** Abri's rspamd (Postfix's milter: spam scores, DKIM signing), '' = none */
  rspamd: string;
  /** the DNS servers rspamd asks (ip or ip:port), [] = the system's */
  rspamdNameservers: string[];
  /** mail for a full mailbox: bounce (552 5.2.2) or defer (452 4.2.2, the sender retries) */
  overQuota: 'bounce' | 'defer';
  /** Abri's postsrsd (SRS for forwards): its binary and loopback ports; null = no SRS */
  srs: { postsrsd: string; forwardPort: number; reversePort: number } | null;
  /** refused sign-ins: Dovecot's growing delay (2 s, up to 15 s per address), or none (test machines) */
  loginDelay: 'dovecot' | 'none';
  /** the system user the 90 % quota warning runs as (the agent creates it), with the uid it gets (null: the system's choice) */
  quotaWarning: { user: string; uid: number | null };
}

/** "http=80,https=443", either part optional, '' = none. */
export function autoconfigPorts(value: string): MailSettings['autoconfig'] {
  const out: MailSettings['autoconfig'] = { http: null, https: null };
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(http|https)=(\d{1,5})$/.exec(part);
    const port = Number(m?.[2]);
    if (!m || out[m[1] as 'http' | 'https'] !== null || port < 1 || port > 65535 || port === out.http) {
      throw new AppError('config.invalid', `ABRI_MAIL_AUTOCONFIG_PORTS must be http=PORT,https=PORT (either, distinct), or empty (got "${part}")`);
    }
    out[m[1] as 'http' | 'https'] = port;
  }
  return out;
}

/** "smtp=25,submission=587,…": every service of MAIL_PORTS, each once, distinct ports. */
export function mailPorts(value: string): MailPorts {
  const out: Partial<MailPorts> = {};
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z0-9]+)=(\d{1,5})$/.exec(part);
    const name = m?.[1] as keyof MailPorts | undefined;
    const port = Number(m?.[2]);
    if (!m || !MAIL_PORTS.includes(name!) || out[name!] || port < 1 || port > 65535) {
      throw new AppError('config.invalid', `ABRI_MAIL_PORTS must be ${MAIL_PORTS.map((p) => `${p}=PORT`).join(',')} (got "${part}")`);
    }
    out[name!] = port;
  }
  const missing = MAIL_PORTS.filter((p) => !out[p]);
  if (missing.length) throw new AppError('config.invalid', `ABRI_MAIL_PORTS misses ${missing.join(', ')}`);
  if (new Set(Object.values(out)).size !== MAIL_PORTS.length) throw new AppError('config.invalid', 'ABRI_MAIL_PORTS gives one port to two services');
  return out as MailPorts;
}

const hostLike = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** On the manager: the DNS blocklist zones (ABRI_MAIL_DNSBL) the mail servers' sending addresses are looked up in. */
export function mailBlocklists(raw: RawSettings): string[] {
  const zones = (raw.ABRI_MAIL_DNSBL ?? '').split(',').map((z) => z.trim().toLowerCase().replace(/\.$/, '')).filter(Boolean);
  const bad = zones.find((z) => !hostLike.test(z));
  if (bad !== undefined) throw new AppError('config.invalid', `ABRI_MAIL_DNSBL must be DNS zones like zen.spamhaus.org, comma-separated (got "${bad}")`);
  return [...new Set(zones)];
}

/** On the manager: where the mail domains' DMARC aggregate reports go (ABRI_DMARC_RUA, an address: no , ! or ; that a DMARC URI list would read), null = none. */
export function dmarcRua(raw: RawSettings): string | null {
  const rua = (raw.ABRI_DMARC_RUA ?? '').trim().toLowerCase().replace(/^mailto:/, '');
  if (!rua) return null;
  const at = rua.lastIndexOf('@');
  if (at < 1 || !/^[a-z0-9._%+-]{1,64}$/.test(rua.slice(0, at)) || !hostLike.test(rua.slice(at + 1))) {
    throw new AppError('config.invalid', `ABRI_DMARC_RUA must be an address like dmarc-reports@example.net, or empty (got "${rua}")`);
  }
  return rua;
}

export function mailSettings(raw: RawSettings): MailSettings {
  const bind = raw.ABRI_MAIL_BIND!.trim();
  const hostname = raw.ABRI_MAIL_HOSTNAME!.trim().toLowerCase();
  const relayhost = raw.ABRI_MAIL_RELAYHOST!.trim();
  const [postfix, dovecot] = [raw.ABRI_POSTFIX!.trim(), raw.ABRI_DOVECOT!.trim()];
  if (!ip(bind)) throw new AppError('config.invalid', `ABRI_MAIL_BIND must be an IP address (got "${bind}")`);
  if (hostname && !hostLike.test(hostname)) {
    throw new AppError('config.invalid', `ABRI_MAIL_HOSTNAME must be a host name like mail.example.net (got "${hostname}")`);
  }
  if (relayhost && !/^\[[A-Za-z0-9.:-]+\](?::\d{1,5})?$/.test(relayhost)) throw new AppError('config.invalid', `ABRI_MAIL_RELAYHOST must be [host] or [host]:port (got "${relayhost}")`);
  if (!path.isAbsolute(postfix) || !path.isAbsolute(dovecot)) throw new AppError('config.invalid', 'ABRI_POSTFIX and ABRI_DOVECOT must be absolute paths');
  const rspamd = raw.ABRI_RSPAMD!.trim();
  if (rspamd && !path.isAbsolute(rspamd)) throw new AppError('config.invalid', 'ABRI_RSPAMD must be an absolute path, or empty');
  const rspamdNameservers = raw.ABRI_RSPAMD_NAMESERVERS!.split(',').map((n) => n.trim()).filter(Boolean);
  for (const n of rspamdNameservers) {
    const m = /^(?:\[([0-9a-fA-F:]+)\]|([0-9.]+))(?::(\d{1,5}))?$/.exec(n) ?? /^()([0-9a-fA-F:]+)()$/.exec(n);
    if (!m || !ip(m[1] || m[2]!) || Number(m[3] ?? 53) < 1 || Number(m[3] ?? 53) > 65535) throw new AppError('config.invalid', `ABRI_RSPAMD_NAMESERVERS must be addresses like 192.0.2.53 or 192.0.2.53:5353 (got "${n}")`);
  }
  return { bind, ports: mailPorts(raw.ABRI_MAIL_PORTS!), hostname, relayhost, postfix, dovecot, rspamd, rspamdNameservers, autoconfig: autoconfigPorts(raw.ABRI_MAIL_AUTOCONFIG_PORTS ?? ''),
    overQuota: overQuota(raw), srs: srsSettings(raw), quotaWarning: quotaWarningUser(raw), loginDelay: loginDelay(raw) };
}

function quotaWarningUser(raw: RawSettings): MailSettings['quotaWarning'] {
  const user = (raw.ABRI_MAIL_WARN_USER ?? 'abri-mailwarn').trim();
  const uid = (raw.ABRI_MAIL_WARN_UID ?? '').trim();
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user) || ['root', 'postfix', 'dovecot', 'dovenull', 'nobody'].includes(user)) {
    throw new AppError('config.invalid', `ABRI_MAIL_WARN_USER must be a system user name of its own (not root, postfix, dovecot, dovenull or nobody; got "${user}")`);
  }
  if (uid && (!/^\d{1,10}$/.test(uid) || Number(uid) < 1 || Number(uid) > 2 ** 31 - 1)) throw new AppError('config.invalid', `ABRI_MAIL_WARN_UID must be a uid (1 or more), or empty (got "${uid}")`);
  return { user, uid: uid ? Number(uid) : null };
}

function overQuota(raw: RawSettings): MailSettings['overQuota'] {
  const v = raw.ABRI_MAIL_OVERQUOTA!.trim();
  if (v !== 'bounce' && v !== 'defer') throw new AppError('config.invalid', `ABRI_MAIL_OVERQUOTA must be bounce or defer (got "${v}")`);
  return v;
}

function loginDelay(raw: RawSettings): MailSettings['loginDelay'] {
  const v = (raw.ABRI_MAIL_LOGIN_DELAY ?? 'dovecot').trim();
  if (v !== 'dovecot' && v !== 'none') throw new AppError('config.invalid', `ABRI_MAIL_LOGIN_DELAY must be dovecot or none (got "${v}")`);
  return v;
}

function srsSettings(raw: RawSettings): MailSettings['srs'] {
  const postsrsd = raw.ABRI_POSTSRSD!.trim();
  if (!postsrsd) return null;
  if (!path.isAbsolute(postsrsd)) throw new AppError('config.invalid', 'ABRI_POSTSRSD must be an absolute path (or empty: no SRS)');
  const m = /^forward=(\d{1,5}),reverse=(\d{1,5})$/.exec(raw.ABRI_MAIL_SRS_PORTS!.replace(/\s+/g, ''));
  const [forwardPort, reversePort] = [Number(m?.[1]), Number(m?.[2])];
  if (!m || forwardPort === reversePort || [forwardPort, reversePort].some((p) => p < 1 || p > 65535)) {
    throw new AppError('config.invalid', `ABRI_MAIL_SRS_PORTS must be forward=PORT,reverse=PORT, two distinct ports (got "${raw.ABRI_MAIL_SRS_PORTS}")`);
  }
  return { postsrsd, forwardPort, reversePort };
}
