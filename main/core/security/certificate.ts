// A device's TLS identity: an ECDSA P-256 key and a self-signed certificate made once, on
// first run. The certificate's SHA-256 fingerprint is the device id, so a peer cannot claim
// an id without holding the matching private key.

import { createHash, createPrivateKey, X509Certificate, webcrypto } from 'node:crypto';

export interface TlsCredentials {
  /** PKCS#8 private key, PEM. */
  key: string;
  /** X.509 certificate, PEM. */
  cert: string;
}

/** Lower-case hex SHA-256 over the certificate's DER bytes. */
export function fingerprintOf(certDer: Buffer): string {
  return createHash('sha256').update(certDer).digest('hex');
}

export function fingerprintOfPem(certPem: string): string {
  return fingerprintOf(new X509Certificate(certPem).raw);
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export async function createCredentials(): Promise<TlsCredentials> {
  // Loaded only here: the library is needed once per device, not on every start. Its
  // dependency injection container needs the Reflect metadata polyfill loaded first.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: 'CN=Ferry device, O=Ferry',
    notBefore: new Date(now - 24 * 3600 * 1000),
    // Identities are pinned, not renewed: expiry would only break trusted pairs.
    notAfter: new Date('9999-12-31T23:59:59Z'),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
  return { key, cert: cert.toString('pem').replace(/\r\n/g, '\n').trimEnd() + '\n' };
}

/** Throws unless the key and certificate belong together and parse. */
export function checkCredentials(c: TlsCredentials): void {
  const cert = new X509Certificate(c.cert);
  // checkPrivateKey compares the public halves.
  if (!cert.checkPrivateKey(createPrivateKey(c.key))) throw new Error('the private key does not match the certificate');
}
