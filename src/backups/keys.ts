// The secrets of a hosting's repository, made by the manager when it sets the repository up: a
// restic password (random, 32 bytes) and an Ed25519 SSH key pair in OpenSSH's formats (the private
// key as `ssh-keygen` writes it, unencrypted: it is sealed at rest by the manager and kept 0600 by
// root on the web server; the public key as an authorized_keys line).
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const str = (b: Buffer | string) => {
  const buf = typeof b === 'string' ? Buffer.from(b) : b;
  return Buffer.concat([u32(buf.length), buf]);
};

export interface RepositorySecrets {
  password: string;
  privateKey: string;
  publicKey: string;
}

/** A new password and key pair for one repository. */
export function newRepositorySecrets(comment: string): RepositorySecrets {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const blob = Buffer.concat([str('ssh-ed25519'), str(pub)]);
  const check = randomBytes(4);
  let secret = Buffer.concat([check, check, str('ssh-ed25519'), str(pub), str(Buffer.concat([seed, pub])), str(comment)]);
  for (let i = 1; secret.length % 8; i++) secret = Buffer.concat([secret, Buffer.from([i])]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), str('none'), str('none'), str(''), u32(1), str(blob), str(secret)]).toString('base64');
  const lines = body.match(/.{1,70}/g)!;
  return {
    password: randomBytes(32).toString('base64url'),
    privateKey: ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n'),
    publicKey: `ssh-ed25519 ${blob.toString('base64')}`,
  };
}
