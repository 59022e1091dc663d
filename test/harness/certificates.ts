// Certificates made for tests (uploads of custom certificates): self-signed, EC P-256 by default, for
// chosen names and validity, including already expired ones (openssl's req cannot backdate before
// 3.4), and the unusable kinds an upload must refuse (weak RSA keys, CA certificates, client-only
// usage, not yet valid).
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const rsa = (bits: number) => ({ name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }) as const;

export interface CertificateOptions {
  /** an RSA key of this many bits instead of EC P-256 */
  rsaBits?: number;
  /** basic constraints CA:TRUE */
  ca?: boolean;
  /** extended key usages (OIDs), e.g. ['1.3.6.1.5.5.7.3.2'] (client only) */
  extendedKeyUsages?: string[];
  /** valid from this time instead of a minute ago */
  notBefore?: Date;
}

/** A self-signed certificate for `names` valid for `days` from now (negative: expired that many days ago). */
export async function selfSignedCertificate(names: string[], days: number, opts: CertificateOptions = {}): Promise<{ cert: string; key: string }> {
  const alg = opts.rsaBits ? rsa(opts.rsaBits) : ecdsa;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const notBefore = opts.notBefore ?? new Date(days > 0 ? now - 60_000 : now + (days - 30) * 86_400_000);
  const notAfter = new Date(now + days * 86_400_000);
  const extensions: x509.Extension[] = [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value })))];
  if (opts.ca) extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
  if (opts.extendedKeyUsages) extensions.push(new x509.ExtendedKeyUsageExtension(opts.extendedKeyUsages));
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
    name: `CN=${names[0]}`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: alg,
    extensions,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { cert: cert.toString('pem'), key };
}
