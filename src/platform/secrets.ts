// Random secrets and their stored digests. Tokens are high-entropy, so SHA-256 is the right digest;
// passwords are low-entropy and go through argon2id instead.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';

export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const argonOptions = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, argonOptions);

/** A stored hash argon2 cannot decode matches no password; any other failure is raised. */
function undecodable(e: unknown): false {
  if ((e as { code?: unknown }).code === 'InvalidArg') return false;
  throw e;
}

// verified against when the account does not exist, so both cases take the same time
let dummyHash: Promise<string> | null = null;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword(randomSecret());
    await verify(await dummyHash, password).catch(undecodable);
    return false;
  }
  return verify(storedHash, password).catch(undecodable);
}
