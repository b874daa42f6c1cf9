/**
 * The emulator's serving certificate. client-go sends bearer tokens only over TLS, so kubectl needs an
 * https endpoint to authenticate at all: one self-signed ECDSA certificate (its own CA) per host,
 * valid for 127.0.0.1 and localhost. Callers may persist it so learners' kubeconfigs survive restarts.
 */
import { generate } from 'selfsigned';

export interface TlsCredentials {
  /** PEM certificate (also the CA a kubeconfig trusts). */
  cert: string;
  /** PEM private key. */
  key: string;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export async function createTlsCredentials(now = Date.now()): Promise<TlsCredentials> {
  const pems = await generate([{ name: 'commonName', value: 'kube-apiserver' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 3600_000),
    notAfterDate: new Date(now + TEN_YEARS_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
          { type: 2, value: 'kubernetes.default.svc' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** certificate-authority-data for a kubeconfig. */
export const caDataOf = (tls: TlsCredentials): string => Buffer.from(tls.cert).toString('base64');
