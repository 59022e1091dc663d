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
  /** where new RSA 2048 key pairs come from (DKIM keys): node:crypto's generation unless given (tests hand out keys made ahead) */
  rsaKeyPair?: () => Promise<RsaKeyPair>;
}

/** An RSA key pair: the private key as PKCS#8 PEM, the public key as SPKI DER. */
export interface RsaKeyPair {
  privateKey: string;
  publicKey: Buffer;
}
