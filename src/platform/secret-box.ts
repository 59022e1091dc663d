// Secrets at rest (private keys of certificates, the ACME account key): AES-256-GCM with a key from
// ABRI_SECRET_KEY, or generated once into ABRI_DATA_DIR/secret.key (0600). Sealed values read
// "v1:<base64 iv|tag|ciphertext>"; opening one with another key fails loudly, never silently.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.js';

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromHex(hex: string): SecretBox {
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new AppError('config.invalid', 'the secret key must be 64 hexadecimal digits');
    return new SecretBox(Buffer.from(hex, 'hex'));
  }

  /** The configured key, else the data directory's key file (created on first use). */
  static load(secretKey: string, dataDir: string): SecretBox {
    if (secretKey) return SecretBox.fromHex(secretKey);
    const file = path.join(dataDir, 'secret.key');
    let hex: string;
    try {
      hex = readFileSync(file, 'utf8').trim();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      hex = randomBytes(32).toString('hex');
      try {
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        writeFileSync(file, `${hex}\n`, { mode: 0o600, flag: 'wx' });
      } catch (w) {
        if ((w as NodeJS.ErrnoException).code === 'EEXIST') hex = readFileSync(file, 'utf8').trim();
        else throw new AppError('config.invalid', `cannot create ${file} (${(w as Error).message}); set ABRI_SECRET_KEY instead`);
      }
    }
    return SecretBox.fromHex(hex);
  }

  /** A key for another use (signing tickets), derived from this one by HMAC with a label: never the key itself. */
  derive(label: string): Buffer {
    return createHmac('sha256', this.key).update(`abri-derived-key:${label}`).digest();
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string): string {
    const m = /^v1:([A-Za-z0-9+/=]+)$/.exec(sealed);
    if (!m) throw new AppError('secret.unreadable', 'a stored secret is not in a known format');
    const raw = Buffer.from(m[1], 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch (e) {
      throw new AppError('secret.unreadable', `a stored secret cannot be decrypted (${(e as Error).message}): ABRI_SECRET_KEY (or secret.key) is not the key it was sealed with`);
    }
  }
}
