// Settings of the webmail (Roundcube from Debian, served by the web servers behind the edge): on the
// manager, the name it answers at; on web nodes, how the agent serves it (its own Apache and PHP-FPM).
import { AppError } from './errors.js';
import type { RawSettings } from './config-values.js';
import { hostName } from './config-dns.js';
import { platformAppNodeSettings, type PlatformAppNodeSettings } from './config-platform-app.js';

export type WebmailNodeSettings = PlatformAppNodeSettings;

/**
 * ABRI_WEBMAIL_NAME: the host name the webmail answers at; empty = webmail.<ABRI_PLATFORM_DOMAIN>
 * (none without a platform domain); "off" = no webmail. Null when there is none.
 */
export function webmailName(raw: RawSettings, platformDomain: string | null, publicUrl: string): string | null {
  const value = (raw.ABRI_WEBMAIL_NAME ?? '').trim().toLowerCase();
  if (value === 'off') return null;
  const name = value ? hostName('ABRI_WEBMAIL_NAME', value) : platformDomain ? `webmail.${platformDomain}` : null;
  if (name && URL.canParse(publicUrl) && new URL(publicUrl).hostname === name) {
    throw new AppError('config.invalid', `ABRI_WEBMAIL_NAME must not be the manager's own name (${name}): give the webmail a name of its own, like webmail.<platform domain>`);
  }
  return name;
}

export const webmailNodeSettings = (raw: RawSettings, listen: (value: string, key: string) => { host: string; port: number }): WebmailNodeSettings =>
  platformAppNodeSettings(raw, 'ABRI_WEBMAIL', listen);
