// Settings of a "platform application" on web nodes (the web database admin, the webmail): each runs
// in a PHP-FPM master and an Apache instance of its own, as a system user of its own, and the edge
// forwards to where that Apache listens. The same four settings per application, under its prefix.
import { AppError } from './errors.js';
import { intSetting, type RawSettings } from './config-values.js';

/** A web node's side of an application: where its own Apache listens, its system user, its PHP. */
export interface PlatformAppNodeSettings {
  host: string;
  port: number;
  user: string;
  /** the user's uid when the agent creates it (null: the system picks a system uid) */
  uid: number | null;
  /** the PHP version of ABRI_PHP_FPM that runs it ('' = the first one) */
  php: string;
}

/** <prefix>_LISTEN, _USER, _UID and _PHP (e.g. ABRI_DBADMIN_LISTEN …). */
export function platformAppNodeSettings(raw: RawSettings, prefix: 'ABRI_DBADMIN' | 'ABRI_WEBMAIL', listen: (value: string, key: string) => { host: string; port: number }): PlatformAppNodeSettings {
  const user = (raw[`${prefix}_USER`] ?? '').trim();
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) throw new AppError('config.invalid', `${prefix}_USER must be a system user name (got "${user}")`);
  const uid = (raw[`${prefix}_UID`] ?? '').trim() ? intSetting(raw, `${prefix}_UID`, 1, 4_000_000_000) : null;
  const php = (raw[`${prefix}_PHP`] ?? '').trim();
  if (php && !/^\d+\.\d+$/.test(php)) throw new AppError('config.invalid', `${prefix}_PHP must be a PHP version of ABRI_PHP_FPM, like 8.2 (got "${php}")`);
  return { ...listen(raw[`${prefix}_LISTEN`]!, `${prefix}_LISTEN`), user, uid, php };
}
