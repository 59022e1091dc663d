// The platform's outgoing e-mail (src/outbox): the SMTP relay messages go through and who they come
// from. Read by config.ts; a bad value is refused with config.invalid naming its key.
import { AppError } from './errors.js';
import { flag, type RawSettings } from './config-values.js';

export interface SmtpSettings {
  /** smtp://[user:password@]host[:port] (STARTTLS when the relay offers it) or smtps://… (TLS from the start) */
  url: string;
  /** refuse to send over a connection that did not become encrypted */
  requireTls: boolean;
  /** the From of every message: "Name <address>" or an address */
  from: string;
}

const ADDRESS = /^[^\s<>@"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,63}$/;

/** The sender, checked: an address, or a display name and an address ("Abri <noreply@example.net>"). */
export function mailFrom(value: string): string {
  const v = value.trim();
  const m = /^([^<>"\r\n]{1,100}?)\s*<([^<>\s]+)>$/.exec(v);
  if ((m && ADDRESS.test(m[2]!)) || ADDRESS.test(v)) return v;
  throw new AppError('config.invalid', `ABRI_MAIL_FROM must be an address or "Name <address>", like Abri <noreply@example.net> (got "${v}")`);
}

export function smtpSettings(raw: RawSettings, platformDomain: string | null): SmtpSettings {
  const url = raw.ABRI_SMTP_URL!.trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    throw new AppError('config.invalid', `ABRI_SMTP_URL must be smtp://host[:port] or smtps://host[:port], with user:password@ if the relay asks (got "${url.replace(/\/\/[^@/]*@/, '//…@')}": ${(e as Error).message})`);
  }
  if (!['smtp:', 'smtps:'].includes(parsed.protocol) || !parsed.hostname || (parsed.pathname && parsed.pathname !== '/') || parsed.search || parsed.hash) {
    throw new AppError('config.invalid', `ABRI_SMTP_URL must be smtp://host[:port] or smtps://host[:port], with user:password@ if the relay asks (got "${parsed.protocol}//${parsed.host}…")`);
  }
  const from = mailFrom(raw.ABRI_MAIL_FROM!.trim() || `Abri <noreply@${platformDomain ?? 'localhost.localdomain'}>`);
  return { url, requireTls: flag(raw, 'ABRI_SMTP_REQUIRE_TLS'), from };
}
