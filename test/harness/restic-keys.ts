// Cheaper restic keys for tests. restic derives each key's secret from the password with scrypt at
// parameters it calibrates at `restic init` to cost about 0.5 s, and every restic command pays them
// again to open the repository: 0.2–0.5 s of CPU per command, hundreds of commands per backup test
// file. After the product made a repository (its own `restic init`, defaults unchanged), a test
// rewrites its key files with scrypt parameters that cost a millisecond: the same master key and
// password (a wrong password still opens nothing), restic's own format (AES-256-CTR, Poly1305-AES).
// Each key file is swapped in place (rename over it: a restic running meanwhile reads the old key or
// the new one, both open the repository); restic 0.14 does not check a key file's name against its
// content (`restic check --read-data` passes on such a repository).
import { createCipheriv, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { chown, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The parameters of the keys rewritten (scrypt's smallest restic accepts at a block size of 8). */
export const CHEAP_KDF = { N: 1024, r: 8, p: 1 } as const;

interface KeyFile { created: string; username: string; hostname: string; kdf: string; N: number; r: number; p: number; salt: string; data: string }

const P1305 = (1n << 130n) - 5n;
const le = (b: Buffer) => b.reduceRight((n, byte) => (n << 8n) | BigInt(byte), 0n);

/** Poly1305-AES as restic uses it: r from the MAC key, s = AES-128(k, nonce). */
function mac(ciphertext: Buffer, nonce: Buffer, macKey: Buffer): Buffer {
  const k = macKey.subarray(0, 16);
  const r = le(macKey.subarray(16, 32)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const aes = createCipheriv('aes-128-ecb', k, null).setAutoPadding(false);
  const s = le(Buffer.concat([aes.update(nonce), aes.final()]));
  let acc = 0n;
  for (let i = 0; i < ciphertext.length; i += 16) {
    const block = ciphertext.subarray(i, i + 16);
    acc = ((acc + le(block) + (1n << BigInt(8 * block.length))) * r) % P1305;
  }
  const tag = (acc + s) & ((1n << 128n) - 1n);
  return Buffer.from(Array.from({ length: 16 }, (_, i) => Number((tag >> BigInt(8 * i)) & 0xffn)));
}

/** restic's user key from a password: scrypt → 32 bytes for AES-256, then the MAC key (k ‖ r). */
const derive = (password: string, salt: Buffer, o: { N: number; r: number; p: number }) =>
  scryptSync(password, salt, 64, { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r * o.p + 2 ** 20 });

const ctr = (key: Buffer, nonce: Buffer, data: Buffer) => {
  const c = createCipheriv('aes-256-ctr', key.subarray(0, 32), nonce);
  return Buffer.concat([c.update(data), c.final()]);
};

/** The master key of a key file (its `data` opened with the password); throws when the password is not this key's. */
export function openKey(key: KeyFile, password: string): Buffer {
  const user = derive(password, Buffer.from(key.salt, 'base64'), key);
  const data = Buffer.from(key.data, 'base64');
  const [nonce, body, tag] = [data.subarray(0, 16), data.subarray(16, data.length - 16), data.subarray(data.length - 16)];
  if (!timingSafeEqual(mac(body, nonce, user.subarray(32)), tag)) throw new Error('the password does not open this restic key');
  return ctr(user, nonce, body);
}

/** The key file `key` sealed again (same master key, password, creation) with scrypt at CHEAP_KDF. */
export function cheapKey(key: KeyFile, password: string): KeyFile {
  const master = openKey(key, password);
  const salt = randomBytes(64);
  const user = derive(password, salt, CHEAP_KDF);
  const nonce = randomBytes(16);
  const body = ctr(user, nonce, master);
  return { ...key, ...CHEAP_KDF, salt: salt.toString('base64'), data: Buffer.concat([nonce, body, mac(body, nonce, user.subarray(32))]).toString('base64') };
}

/**
 * Rewrites the keys of the repository at `repoDir` (a local path: the backup server's chroot) that
 * `password` opens with CHEAP_KDF, keeping each file's owner and mode; returns how many it rewrote.
 */
export async function cheapenRepositoryKeys(repoDir: string, password: string): Promise<number> {
  const dir = path.join(repoDir, 'keys');
  let n = 0;
  for (const name of await readdir(dir)) {
    const file = path.join(dir, name);
    const key = JSON.parse(await readFile(file, 'utf8')) as KeyFile;
    if (key.N === CHEAP_KDF.N && key.r === CHEAP_KDF.r && key.p === CHEAP_KDF.p) continue;
    const text = JSON.stringify(cheapKey(key, password));
    const st = await stat(file);
    const tmp = path.join(repoDir, `.${name}.tmp`); // outside keys/: restic reads every name there as a key's
    await writeFile(tmp, text, { mode: st.mode & 0o777 });
    await chown(tmp, st.uid, st.gid);
    await rename(tmp, file);
    n++;
  }
  return n;
}
