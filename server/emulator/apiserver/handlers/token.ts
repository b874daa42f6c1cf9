/**
 * `serviceaccounts/{name}/token` (TokenRequest): `kubectl create token <sa>` prints status.token. The
 * token is a well-formed but unsigned-looking JWT with the claims a real one carries.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { decodeObjectBody, readBody } from '../body.ts';
import type { ResourceRequest } from '../resource-request.ts';
import { sendJson } from '../respond.ts';
import { StatusError, badRequest } from '../status-errors.ts';
import { isoSeconds } from '../../store/object-store.ts';
import { getObject } from './read.ts';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string };
}

export async function handleTokenRequest(r: ResourceRequest): Promise<void> {
  const body = decodeObjectBody(await readBody(r.req), r.req.headers['content-type']);
  if (body.kind !== 'TokenRequest') throw new StatusError(badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (TokenRequest)`));
  const sa = getObject(r);
  const spec = (body.spec ?? {}) as TokenRequestSpec;
  const audiences = spec.audiences?.length ? spec.audiences : ['https://kubernetes.default.svc.cluster.local'];
  const expirationSeconds = spec.expirationSeconds ?? 3600;
  if (expirationSeconds < 600) {
    throw new StatusError(badRequest(`TokenRequest.authentication.k8s.io "${sa.metadata.name}" is invalid: spec.expirationSeconds: Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`));
  }
  const now = Math.floor(r.ctx.clock.now() / 1000);
  const claims = {
    aud: audiences,
    exp: now + expirationSeconds,
    iat: now,
    iss: 'https://kubernetes.default.svc.cluster.local',
    jti: randomUUID(),
    'kubernetes.io': {
      namespace: sa.metadata.namespace,
      serviceaccount: { name: sa.metadata.name, uid: sa.metadata.uid },
    },
    nbf: now,
    sub: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
  };
  const unsigned = `${b64({ alg: 'RS256', kid: 'emulator' })}.${b64(claims)}`;
  const signature = createHmac('sha256', r.ctx.id).update(unsigned).digest('base64url');
  sendJson(r.res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: sa.metadata.name, namespace: sa.metadata.namespace, creationTimestamp: isoSeconds(r.ctx.clock.now()) },
    spec: { audiences, boundObjectRef: spec.boundObjectRef ?? null, expirationSeconds },
    status: { token: `${unsigned}.${signature}`, expirationTimestamp: isoSeconds((now + expirationSeconds) * 1000) },
  });
}
