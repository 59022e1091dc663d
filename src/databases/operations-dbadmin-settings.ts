// The database admin's settings reach the servers through their desired state (web servers serve it
// with the service key, edges route its folder of the platform's name), but settings are no object:
// changing them changes no row, so no revision would tell the agents. At start the manager compares
// them with the last ones it published (a digest kept in the audit log, never the key) and, when they
// differ (turned on, off, a new key or URL), publishes them to every web server and edge.
import { createHmac } from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import { systemCaller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { serversWithRole } from '../servers/store-provisioning.js';
import { lastPublishedSettings } from './store-dbadmin.js';

export const SETTINGS_ACTION = 'platform.dbadmin_settings';

/** Publishes the settings when they differ from the last published ones; true when it did. */
export async function publishDbadminSettings(app: AppContext): Promise<boolean> {
  const { url, key } = app.config.dbadmin;
  const settings = url && key ? createHmac('sha256', app.secrets().derive('dbadmin-settings')).update(`${url}\n${key}`).digest('hex').slice(0, 32) : 'off';
  if (((await lastPublishedSettings(app.db, SETTINGS_ACTION)) ?? 'off') === settings) return false;
  await change(app, systemCaller('platform'), async (c) => {
    c.staffOnly();
    await c.audit({ action: SETTINGS_ACTION, targetType: 'platform', target: 'database admin', customerId: null, after: { url: url || null, settings } });
    await c.bump('the database admin\'s settings changed', [...(await serversWithRole(c.db, 'web')), ...(await serversWithRole(c.db, 'edge'))]);
  });
  return true;
}
