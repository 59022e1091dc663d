// Settings the servers' desired state carries (the database admin's key and URL, the webmail's name)
// are no object: changing them changes no row, so no revision would tell the agents. At start the
// manager compares each with what it last published (a digest kept in the audit log, never a
// secret) and, when they differ (turned on, off, changed), publishes them to the servers of `roles`.
import type { AppContext } from '../platform/context.js';
import { systemCaller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { serversWithRole } from './store-provisioning.js';
import { lastPublishedSettings } from './store.js';

export interface PublishedSettings {
  /** the audit action that records them: platform.dbadmin_settings */
  action: string;
  /** what the audit entry names: "database admin" */
  target: string;
  /** their digest ('off' when turned off) */
  settings: string;
  /** what else the audit entry shows (nothing secret) */
  after: Record<string, unknown>;
  roles: string[];
}

/** Publishes the settings when they differ from the last published ones; true when it did. */
export async function publishSettings(app: AppContext, p: PublishedSettings): Promise<boolean> {
  if (((await lastPublishedSettings(app.db, p.action)) ?? 'off') === p.settings) return false;
  await change(app, systemCaller('platform', 'upkeep'), async (c) => {
    c.staffOnly();
    await c.audit({ action: p.action, targetType: 'platform', target: p.target, customerId: null, after: { ...p.after, settings: p.settings } });
    const servers = (await Promise.all(p.roles.map((r) => serversWithRole(c.db, r)))).flat();
    await c.bump(`the ${p.target}'s settings changed`, servers);
  });
  return true;
}
