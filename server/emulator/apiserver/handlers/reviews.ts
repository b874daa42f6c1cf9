/**
 * The create-only "review" resources (SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview,
 * LocalSubjectAccessReview, TokenReview, SelfSubjectReview): computed answers, never stored. The learner
 * is cluster-admin of their own cluster, so `kubectl auth can-i` always says yes and `auth whoami` names them.
 */
import { decodeObjectBody, readBody } from '../body.ts';
import type { ResourceRequest } from '../resource-request.ts';
import { apiVersionOf } from '../output.ts';
import { sendJson } from '../respond.ts';
import { checkTypeMeta } from './create.ts';
import { requestUser } from '../../rbac/gate.ts';
import { selfReviewStatus } from '../../rbac/reviews.ts';

const USER = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };

export const REVIEW_RESOURCES = new Set([
  'selfsubjectaccessreviews',
  'selfsubjectrulesreviews',
  'subjectaccessreviews',
  'localsubjectaccessreviews',
  'tokenreviews',
  'selfsubjectreviews',
]);

function statusFor(resource: string): Record<string, unknown> {
  switch (resource) {
    case 'selfsubjectrulesreviews':
      return {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      };
    case 'tokenreviews':
      return { authenticated: true, user: USER, audiences: ['https://kubernetes.default.svc.cluster.local'] };
    case 'selfsubjectreviews':
      return { userInfo: USER };
    default:
      return { allowed: true, reason: '' };
  }
}

export async function handleReview(r: ResourceRequest): Promise<void> {
  const body = decodeObjectBody(await readBody(r.req), r.req.headers['content-type']);
  checkTypeMeta(r, body);
  const meta = (body.metadata ?? {}) as Record<string, unknown>;
  sendJson(r.res, 201, {
    kind: r.info.kind,
    apiVersion: apiVersionOf(r.info),
    metadata: { ...meta, creationTimestamp: null },
    ...(body.spec !== undefined && { spec: body.spec }),
    status: selfStatus(r, body.spec) ?? statusFor(r.info.resource),
  });
}

/** A ServiceAccount's self-reviews come from its RBAC; the admin's stay all-allowed. */
function selfStatus(r: ResourceRequest, spec: unknown): Record<string, unknown> | undefined {
  const user = requestUser(r.req);
  return user && selfReviewStatus(r.ctx.store, user, r.info.resource, (spec ?? {}) as Record<string, never>);
}
