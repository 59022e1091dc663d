// The database admin's settings reach the servers through their desired state (web servers serve it
// with the service key, edges route its folder of the platform's name): published at start when they
// changed (src/servers/operations-published-settings.ts), as a digest, never the key.
import { createHmac } from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import { publishSettings } from '../servers/operations-published-settings.js';

export const SETTINGS_ACTION = 'platform.dbadmin_settings';

/** Publishes the settings when they differ from the last published ones; true when it did. */
export async function publishDbadminSettings(app: AppContext): Promise<boolean> {
  const { url, key } = app.config.dbadmin;
  const settings = url && key ? createHmac('sha256', app.secrets().derive('dbadmin-settings')).update(`${url}\n${key}`).digest('hex').slice(0, 32) : 'off';
  return publishSettings(app, { action: SETTINGS_ACTION, target: 'database admin', settings, after: { url: url || null }, roles: ['web', 'edge'] });
}
