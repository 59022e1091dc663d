// SHA-512 crypt ("$6$", Ulrich Drepper's specification, as glibc and libxcrypt implement it): the
// password hash sshd checks through the shadow file (UsePAM no). Argon2 is not an algorithm crypt(3)
// knows on Debian; SHA-512 crypt with 5,000 rounds is what `openssl passwd -6` and chpasswd write.
import { createHash, randomBytes } from 'node:crypto';

const B64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const sha512 = (...parts: Buffer[]) => {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
};

function repeatTo(digest: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += 64) digest.copy(out, i, 0, Math.min(64, length - i));
  return out;
}

function encode(b: Buffer): string {
  const order = [
    [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
    [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
  ];
  let out = '';
  const put = (w: number, n: number) => {
    for (let i = 0; i < n; i++, w >>= 6) out += B64[w & 63];
  };
  for (const [a, b2, c] of order) put((b[a!]! << 16) | (b[b2!]! << 8) | b[c!]!, 4);
  put(b[63]!, 2);
  return out;
}

/** `$6$<salt>$<hash>` of a password (salt: 16 characters of ./0-9A-Za-z, drawn at random when not given). */
export function sha512Crypt(password: string, salt?: string): string {
  const s = salt ?? Array.from(randomBytes(16), (x) => B64[x & 63]).join('');
  if (!/^[./0-9A-Za-z]{1,16}$/.test(s)) throw new Error('a SHA-512 crypt salt is 1 to 16 characters of ./0-9A-Za-z');
  const P = Buffer.from(password, 'utf8');
  const S = Buffer.from(s, 'ascii');
  const B = sha512(P, S, P);
  const aParts: Buffer[] = [P, S, repeatTo(B, P.length)];
  for (let n = P.length; n > 0; n >>= 1) aParts.push(n & 1 ? B : P);
  const A = sha512(...aParts);
  const DP = sha512(...Array<Buffer>(P.length).fill(P));
  const Pseq = repeatTo(DP, P.length);
  const DS = sha512(...Array<Buffer>(16 + A[0]!).fill(S));
  const Sseq = repeatTo(DS, S.length);
  let C = A;
  for (let i = 0; i < 5000; i++) {
    const parts: Buffer[] = [i & 1 ? Pseq : C];
    if (i % 3) parts.push(Sseq);
    if (i % 7) parts.push(Pseq);
    parts.push(i & 1 ? C : Pseq);
    C = sha512(...parts);
  }
  return `$6$${s}$${encode(C)}`;
}

/** A SHA-512 crypt string as sha512Crypt writes them (what the agent accepts in a shadow entry). */
export const isSha512Crypt = (h: string) => /^\$6\$[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}$/.test(h);
