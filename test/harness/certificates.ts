// Certificates made for tests (uploads of custom certificates): self-signed, EC P-256, for chosen
// names and validity, including already expired ones (openssl's req cannot backdate before 3.4).
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A self-signed certificate for `names` valid for `days` from now (negative: expired that many days ago). */
export async function selfSignedCertificate(names: string[], days: number): Promise<{ cert: string; key: string }> {
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const now = Date.now();
  const notBefore = new Date(days > 0 ? now - 60_000 : now + (days - 30) * 86_400_000);
  const notAfter = new Date(now + days * 86_400_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex'),
    name: `CN=${names[0]}`,
    notBefore,
    notAfter,
    keys: keys as CryptoKeyPair,
    signingAlgorithm: alg,
    extensions: [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value })))],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', (keys as CryptoKeyPair).privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { cert: cert.toString('pem'), key };
}
