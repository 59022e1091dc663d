// What every operation, handler and background task receives: passed in, never imported as a global.
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { SecretBox } from './secret-box.js';

export interface AppContext {
  db: Db;
  config: Config;
  log: Logger;
  clock: Clock;
  version: string;
  /** one-time token that lets the first admin be created from the browser (null once an admin exists) */
  setupToken: string | null;
  /** the key that seals private keys at rest (loaded, or created, on first use) */
  secrets(): SecretBox;
}
