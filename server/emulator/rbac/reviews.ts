/**
 * The self-reviews a ServiceAccount can make (`kubectl auth can-i`, `auth can-i --list`, `auth whoami`),
 * answered from the same RBAC evaluation that guards its requests. handlers/reviews.ts calls this for
 * requests that carry a ServiceAccount identity; the admin keeps its all-allowed answers.
 */
import type { ObjectStore } from '../store/object-store.ts';
import { authorize, rulesForUser, type UserInfo } from './authorizer.ts';

interface ReviewSpec {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; resource?: string; subresource?: string; name?: string };
  nonResourceAttributes?: { path?: string; verb?: string };
  namespace?: string;
}

/** The `status` of a self-review of `resource` kind, or undefined when it is not a self-review. */
export function selfReviewStatus(store: ObjectStore, user: UserInfo, resource: string, spec: ReviewSpec = {}): Record<string, unknown> | undefined {
  switch (resource) {
    case 'selfsubjectreviews':
      return { userInfo: { username: user.name, groups: user.groups } };
    case 'selfsubjectaccessreviews': {
      const ra = spec.resourceAttributes;
      const na = spec.nonResourceAttributes;
      const d = ra
        ? authorize(store, user, {
            resourceRequest: true,
            verb: ra.verb ?? '',
            apiGroup: ra.group ?? '',
            resource: ra.resource ?? '',
            ...(ra.subresource && { subresource: ra.subresource }),
            ...(ra.namespace && { namespace: ra.namespace }),
            ...(ra.name && { name: ra.name }),
          })
        : authorize(store, user, { resourceRequest: false, verb: na?.verb ?? '', path: na?.path ?? '' });
      return { allowed: d.allowed, ...(d.reason && { reason: d.reason }) };
    }
    case 'selfsubjectrulesreviews': {
      const { rules, errors } = rulesForUser(store, user, spec.namespace ?? '');
      return {
        resourceRules: rules.filter((r) => r.resources?.length).map((r) => ({ verbs: r.verbs ?? [], apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames?.length && { resourceNames: r.resourceNames }) })),
        nonResourceRules: rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs ?? [] })),
        incomplete: false,
        ...(errors.length && { evaluationError: errors.join(', ') }),
      };
    }
    default:
      return undefined;
  }
}
