/**
 * ServiceAccount tokens for the emulator (TokenRequest, `kubectl create token`): JWTs that carry the
 * cluster id and the ServiceAccount's namespace, name and uid, signed with HMAC-SHA256 under a host
 * secret. Verification is stateless (no table to lose on restart) and, as on a real cluster, a token
 * stops working when it expires or when its ServiceAccount is deleted or re-created (uid check).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Cluster } from '../cluster.ts';
import { serviceAccountUser, type UserInfo } from './authorizer.ts';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const SERVICE_ACCOUNTS = { group: '', resource: 'serviceaccounts' };

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface IssuedToken {
  token: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  audiences: string[];
}

interface Claims {
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  iss: string;
  jti: string;
  sub: string;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string } };
  'travels.dev/cluster': string;
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export class TokenIssuer {
  private readonly secret: Buffer;

  /** Pass a persisted secret to keep issued tokens valid across a host restart. */
  constructor(secret: Buffer = randomBytes(32)) {
    this.secret = secret;
  }

  issue(clusterId: string, sa: ServiceAccountRef, opts: { nowMs: number; expirationSeconds: number; audiences?: string[] }): IssuedToken {
    const now = Math.floor(opts.nowMs / 1000);
    const audiences = opts.audiences?.length ? opts.audiences : [ISSUER];
    const claims: Claims = {
      aud: audiences,
      exp: now + opts.expirationSeconds,
      iat: now,
      nbf: now,
      iss: ISSUER,
      jti: randomUUID(),
      sub: `system:serviceaccount:${sa.namespace}:${sa.name}`,
      'kubernetes.io': { namespace: sa.namespace, serviceaccount: { name: sa.name, uid: sa.uid } },
      'travels.dev/cluster': clusterId,
    };
    const unsigned = `${b64({ alg: 'HS256', kid: 'travels-emulator' })}.${b64(claims)}`;
    return { token: `${unsigned}.${this.sign(unsigned)}`, expiresAt: claims.exp, audiences };
  }

  /** The claims of a well-signed, unexpired token, else undefined. */
  verify(token: string, nowMs: number): { clusterId: string; sa: ServiceAccountRef } | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: Claims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims;
    } catch {
      return undefined;
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return undefined;
    const k = claims['kubernetes.io'];
    if (!k?.serviceaccount) return undefined;
    return { clusterId: claims['travels.dev/cluster'], sa: { namespace: k.namespace, name: k.serviceaccount.name, uid: k.serviceaccount.uid } };
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }
}

/** One issuer per process unless the host brings its own (tokens then die with the process). */
export const defaultTokenIssuer = new TokenIssuer();

/**
 * The host's fallback when a bearer token is no cluster's admin token: a ServiceAccount token of a
 * live cluster whose ServiceAccount still exists with the same uid. Expiry is judged on the wall clock,
 * as the token's `exp` is (a cluster's simulated clock may run faster).
 */
export function resolveServiceAccountToken(
  token: string,
  clusterById: (id: string) => Cluster | undefined,
  issuer: TokenIssuer = defaultTokenIssuer,
  nowMs = Date.now(),
): { cluster: Cluster; user: UserInfo } | undefined {
  const v = issuer.verify(token, nowMs);
  if (!v) return undefined;
  const cluster = clusterById(v.clusterId);
  const sa = cluster?.ctx.store.get(SERVICE_ACCOUNTS, v.sa.namespace, v.sa.name);
  if (!cluster || !sa || sa.metadata.uid !== v.sa.uid || sa.metadata.deletionTimestamp) return undefined;
  return { cluster, user: serviceAccountUser(v.sa.namespace, v.sa.name) };
}

/**
 * `status` of a TokenRequest for `sa` of cluster `clusterId` (what handlers/token.ts answers). Expiry is
 * on the wall clock so the host can verify it without the cluster's simulated clock.
 */
export function tokenRequestStatus(
  clusterId: string,
  sa: { metadata: { namespace?: string; name: string; uid: string } },
  spec: { expirationSeconds: number; audiences: string[] },
  issuer: TokenIssuer = defaultTokenIssuer,
  nowMs = Date.now(),
): { token: string; expirationTimestamp: string } {
  const issued = issuer.issue(clusterId, { namespace: sa.metadata.namespace ?? 'default', name: sa.metadata.name, uid: sa.metadata.uid }, { nowMs, expirationSeconds: spec.expirationSeconds, audiences: spec.audiences });
  return { token: issued.token, expirationTimestamp: new Date(issued.expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}
