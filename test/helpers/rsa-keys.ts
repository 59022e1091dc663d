// RSA key pairs for the test managers' DKIM keys: made by the product's own call
// (generateRsaKeyPair, node:crypto, 2048 bits) but at most POOL of them per test process, then
// handed out again in turn. Each costs 0.05-0.3 s of CPU (a search for primes) and the suite's mail
// domains needed hundreds; the tests need valid keys, and two in a row that differ (a rotation).
import { generateRsaKeyPair } from '../../src/mail/operations-dkim.js';
import type { RsaKeyPair } from '../../src/platform/context.js';

const POOL = 16;
const made: Array<Promise<RsaKeyPair>> = [];
let handedOut = 0;

/** The next key pair: a new one while fewer than POOL exist, then those again in turn. */
export function pooledRsaKeyPair(): Promise<RsaKeyPair> {
  const i = handedOut++ % POOL;
  return (made[i] ??= generateRsaKeyPair());
}

/** How many key pairs the managers of this process have asked for (a refused request asks none). */
export const rsaKeyPairsHandedOut = () => handedOut;
