// The mail settings (Abri's Postfix and Dovecot on mail servers): read by config.ts; each bad value
// is refused with config.invalid naming its key. The ports are also shown to customers.
import path from 'node:path';
import { AppError } from './errors.js';
import { ip, type RawSettings } from './config-values.js';

export const MAIL_PORTS = ['smtp', 'submission', 'smtps', 'imap', 'imaps', 'pop3', 'pop3s'] as const;
export type MailPorts = Record<(typeof MAIL_PORTS)[number], number>;

export interface MailSettings {
  bind: string;
  ports: MailPorts;
  /** the name Postfix greets with and its self-signed certificate names (empty: the machine's host name) */
  hostname: string;
  /** where Postfix sends mail for other domains ([host]:port), or '' for their MX (DNS) */
  relayhost: string;
  postfix: string;
  dovecot: string;
  /** mail for a full mailbox: bounce (552 5.2.2) or defer (452 4.2.2, the sender retries) */
  overQuota: 'bounce' | 'defer';
  /** Abri's postsrsd (SRS for forwards): its binary and loopback ports; null = no SRS */
  srs: { postsrsd: string; forwardPort: number; reversePort: number } | null;
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

export function mailSettings(raw: RawSettings): MailSettings {
  const bind = raw.ABRI_MAIL_BIND!.trim();
  const hostname = raw.ABRI_MAIL_HOSTNAME!.trim().toLowerCase();
  const relayhost = raw.ABRI_MAIL_RELAYHOST!.trim();
  const [postfix, dovecot] = [raw.ABRI_POSTFIX!.trim(), raw.ABRI_DOVECOT!.trim()];
  if (!ip(bind)) throw new AppError('config.invalid', `ABRI_MAIL_BIND must be an IP address (got "${bind}")`);
  if (hostname && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(hostname)) {
    throw new AppError('config.invalid', `ABRI_MAIL_HOSTNAME must be a host name like mail.example.net (got "${hostname}")`);
  }
  if (relayhost && !/^\[[A-Za-z0-9.:-]+\](?::\d{1,5})?$/.test(relayhost)) throw new AppError('config.invalid', `ABRI_MAIL_RELAYHOST must be [host] or [host]:port (got "${relayhost}")`);
  if (!path.isAbsolute(postfix) || !path.isAbsolute(dovecot)) throw new AppError('config.invalid', 'ABRI_POSTFIX and ABRI_DOVECOT must be absolute paths');
  return { bind, ports: mailPorts(raw.ABRI_MAIL_PORTS!), hostname, relayhost, postfix, dovecot, overQuota: overQuota(raw), srs: srsSettings(raw) };
}

function overQuota(raw: RawSettings): MailSettings['overQuota'] {
  const v = raw.ABRI_MAIL_OVERQUOTA!.trim();
  if (v !== 'bounce' && v !== 'defer') throw new AppError('config.invalid', `ABRI_MAIL_OVERQUOTA must be bounce or defer (got "${v}")`);
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
