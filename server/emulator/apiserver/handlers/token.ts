/**
 * `serviceaccounts/{name}/token` (TokenRequest): `kubectl create token <sa>` prints status.token. The
 * token is a JWT with the claims a real one carries, signed so the host can authenticate it (rbac/tokens.ts).
 */
import { decodeObjectBody, readBody } from '../body.ts';
import type { ResourceRequest } from '../resource-request.ts';
import { sendJson } from '../respond.ts';
import { StatusError, badRequest } from '../status-errors.ts';
import { isoSeconds } from '../../store/object-store.ts';
import { getObject } from './read.ts';
import { tokenRequestStatus } from '../../rbac/tokens.ts';

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
  sendJson(r.res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: sa.metadata.name, namespace: sa.metadata.namespace, creationTimestamp: isoSeconds(r.ctx.clock.now()) },
    spec: { audiences, boundObjectRef: spec.boundObjectRef ?? null, expirationSeconds },
    // Verifiable by the host (rbac/tokens.ts): the token authenticates as the ServiceAccount.
    status: tokenRequestStatus(r.ctx.id, sa, { expirationSeconds, audiences }),
  });
}
