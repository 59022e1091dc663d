// The webmail's name reaches the servers through their desired state (web servers serve Roundcube,
// edges route the name): published at start when it changed (src/servers/operations-published-settings.ts).
// Its map of mail domains to mail servers follows the mail domains (webmailMapChanged).
import type { AppContext } from '../platform/context.js';
import type { Change } from '../platform/change.js';
import { publishSettings } from '../servers/operations-published-settings.js';
import { serversWithRole } from '../servers/store-provisioning.js';

export const WEBMAIL_SETTINGS_ACTION = 'platform.webmail_settings';

/** Publishes the webmail's name when it differs from the last published one; true when it did. */
export function publishWebmailSettings(app: AppContext): Promise<boolean> {
  const host = app.config.webmail.host;
  return publishSettings(app, { action: WEBMAIL_SETTINGS_ACTION, target: 'webmail', settings: host ?? 'off', after: { host }, roles: ['web', 'edge'] });
}

/** A mail domain came or went: the web servers' webmail signs in to its server (or no longer). */
export async function webmailMapChanged(c: Change, reason: string): Promise<void> {
  if (c.app.config.webmail.host) await c.bump(reason, await serversWithRole(c.db, 'web'));
}
