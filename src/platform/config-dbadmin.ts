// Settings of the web database admin (Adminer behind Abri's sign-on): on the manager, where
// customers open it and the key it exchanges tickets with; on web nodes, how the agent serves it.
import { AppError } from './errors.js';
import type { RawSettings } from './config-values.js';
import { platformAppNodeSettings, type PlatformAppNodeSettings } from './config-platform-app.js';

/** The manager's side: the URL customers post tickets to ('' = none) and the service key. */
export interface DbadminSettings {
  url: string;
  key: string;
}

/** A web node's side: where its own Apache for the database admin listens, its system user, its PHP. */
export type DbadminNodeSettings = PlatformAppNodeSettings;

export function dbadminSettings(raw: RawSettings, publicUrl: string): DbadminSettings {
  const key = (raw.ABRI_DBADMIN_KEY ?? '').trim();
  // the key alone turns it on: served at /dbadmin/ of the platform's own name
  const url = (raw.ABRI_DBADMIN_URL ?? '').trim() || (key ? `${publicUrl}/dbadmin/` : '');
  if (url && !/^https?:\/\/[^\s/?#]+\/[A-Za-z0-9_-]+\/$/.test(url)) {
    throw new AppError('config.invalid', `ABRI_DBADMIN_URL must be an http(s) URL whose path is one folder, like https://panel.example.net/dbadmin/ (got "${url}")`);
  }
  if (key && (!/^[\x21-\x7e]{32,200}$/.test(key) || /['\\]/.test(key))) throw new AppError('config.invalid', 'ABRI_DBADMIN_KEY must be 32 to 200 printable characters without spaces, quotes or backslashes');
  return { url, key };
}

export const dbadminNodeSettings = (raw: RawSettings, listen: (value: string, key: string) => { host: string; port: number }): DbadminNodeSettings =>
  platformAppNodeSettings(raw, 'ABRI_DBADMIN', listen);
