/**
 * Kubernetes RBAC for the emulator, evaluated from the cluster's own Role/ClusterRole/RoleBinding/
 * ClusterRoleBinding objects, so a least-privilege kubeconfig behaves exactly as on a real cluster
 * (issue 7). Mirrors plugin/pkg/auth/authorizer/rbac: ClusterRoleBindings first, then RoleBindings of
 * the request's namespace; a binding to a missing role contributes an "RBAC: … not found" reason.
 * The bootstrap roles every cluster has (system:discovery, system:public-info-viewer, system:basic-user,
 * system:service-account-issuer-discovery) are built in, since the emulator does not seed them.
 */
import type { ObjectStore } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import type { StatusBody } from '../apiserver/status-errors.ts';

export interface UserInfo {
  name: string;
  groups: string[];
}

/** What is being asked, as the apiserver's RequestInfo names it. */
export type Attributes =
  | {
      resourceRequest: true;
      verb: string;
      apiGroup: string;
      resource: string;
      subresource?: string;
      namespace?: string;
      name?: string;
    }
  | { resourceRequest: false; verb: string; path: string };

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

interface RoleRef {
  kind?: string;
  name?: string;
}

export interface Decision {
  allowed: boolean;
  /** Why it was denied beyond "no rule matched" (e.g. a binding to a missing role); '' otherwise. */
  reason: string;
}

const RBAC = 'rbac.authorization.k8s.io';
const KEYS = {
  roles: { group: RBAC, resource: 'roles' },
  clusterroles: { group: RBAC, resource: 'clusterroles' },
  rolebindings: { group: RBAC, resource: 'rolebindings' },
  clusterrolebindings: { group: RBAC, resource: 'clusterrolebindings' },
};

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

/** Rules of the default bootstrap ClusterRoleBindings, by the group they are bound to. */
const BOOTSTRAP: { group: string; rules: PolicyRule[] }[] = [
  { group: 'system:authenticated', rules: [{ verbs: ['get'], nonResourceURLs: DISCOVERY_URLS }] },
  { group: 'system:authenticated', rules: [{ verbs: ['get'], nonResourceURLs: PUBLIC_INFO_URLS }] },
  { group: 'system:unauthenticated', rules: [{ verbs: ['get'], nonResourceURLs: PUBLIC_INFO_URLS }] },
  {
    group: 'system:authenticated',
    rules: [
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    ],
  },
  { group: 'system:serviceaccounts', rules: [{ verbs: ['get'], nonResourceURLs: ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'] }] },
];

/** The identity of a ServiceAccount token, with the groups the apiserver adds. */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return {
    name: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

export function authorize(store: ObjectStore, user: UserInfo, attrs: Attributes): Decision {
  const errors: string[] = [];
  for (const b of BOOTSTRAP) {
    if (user.groups.includes(b.group) && b.rules.some((r) => ruleAllows(r, attrs))) return { allowed: true, reason: '' };
  }
  for (const binding of store.scan(KEYS.clusterrolebindings).items) {
    if (!appliesTo(user, subjectsOf(binding), '')) continue;
    const rules = rulesFor(store, roleRefOf(binding), '', errors);
    if (rules.some((r) => ruleAllows(r, attrs))) return { allowed: true, reason: '' };
  }
  const ns = attrs.resourceRequest ? attrs.namespace : undefined;
  if (ns) {
    for (const binding of store.scan(KEYS.rolebindings, { namespace: ns }).items) {
      if (!appliesTo(user, subjectsOf(binding), ns)) continue;
      const rules = rulesFor(store, roleRefOf(binding), ns, errors);
      if (rules.some((r) => ruleAllows(r, attrs))) return { allowed: true, reason: '' };
    }
  }
  const reason = errors.length === 0 ? '' : `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`;
  return { allowed: false, reason };
}

/** Every rule that applies to the user in `namespace` (cluster-wide ones included), bootstrap roles first. */
export function rulesForUser(store: ObjectStore, user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
  const errors: string[] = [];
  const rules: PolicyRule[] = BOOTSTRAP.filter((b) => user.groups.includes(b.group)).flatMap((b) => b.rules);
  for (const binding of store.scan(KEYS.clusterrolebindings).items) {
    if (appliesTo(user, subjectsOf(binding), '')) rules.push(...rulesFor(store, roleRefOf(binding), '', errors));
  }
  if (namespace) {
    for (const binding of store.scan(KEYS.rolebindings, { namespace }).items) {
      if (appliesTo(user, subjectsOf(binding), namespace)) rules.push(...rulesFor(store, roleRefOf(binding), namespace, errors));
    }
  }
  return { rules, errors };
}

function subjectsOf(binding: Readonly<KObject>): Subject[] {
  return Array.isArray(binding.subjects) ? (binding.subjects as Subject[]) : [];
}

function roleRefOf(binding: KObject): RoleRef {
  return (binding.roleRef ?? {}) as RoleRef;
}

function appliesTo(user: UserInfo, subjects: Subject[], bindingNamespace: string): boolean {
  return subjects.some((s) => {
    switch (s.kind) {
      case 'User':
        return s.name === user.name;
      case 'Group':
        return s.name !== undefined && user.groups.includes(s.name);
      case 'ServiceAccount': {
        const ns = s.namespace || bindingNamespace;
        return ns !== '' && user.name === `system:serviceaccount:${ns}:${s.name}`;
      }
      default:
        return false;
    }
  });
}

function rulesFor(store: ObjectStore, ref: RoleRef, bindingNamespace: string, errors: string[]): PolicyRule[] {
  const name = ref.name ?? '';
  if (ref.kind === 'Role' && bindingNamespace) {
    const role = store.peek(KEYS.roles, bindingNamespace, name);
    if (!role) errors.push(`role.${RBAC} "${name}" not found`);
    return rulesOf(role);
  }
  if (ref.kind === 'ClusterRole') {
    const role = store.peek(KEYS.clusterroles, undefined, name);
    if (!role) errors.push(`clusterrole.${RBAC} "${name}" not found`);
    return rulesOf(role);
  }
  errors.push(`unsupported role reference kind: "${ref.kind ?? ''}"`);
  return [];
}

function rulesOf(role: Readonly<KObject> | undefined): PolicyRule[] {
  return role && Array.isArray(role.rules) ? (role.rules as PolicyRule[]) : [];
}

/** rbac/v1 helpers RuleAllows: verb, then API group + resource + name, or the non-resource URL. */
export function ruleAllows(rule: PolicyRule, attrs: Attributes): boolean {
  if (!has(rule.verbs, attrs.verb)) return false;
  if (!attrs.resourceRequest) return nonResourceUrlMatches(rule.nonResourceURLs, attrs.path);
  if (!has(rule.apiGroups, attrs.apiGroup)) return false;
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const resourceOk = (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (attrs.subresource !== undefined && r === `*/${attrs.subresource}`),
  );
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (attrs.name !== undefined && names.includes(attrs.name));
}

function has(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((v) => v === '*' || v === value);
}

function nonResourceUrlMatches(urls: string[] | undefined, path: string): boolean {
  return (urls ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/**
 * The 403 a real apiserver sends (responsewriters.ForbiddenStatusError + apierrors.NewForbidden), e.g.
 * `pods is forbidden: User "system:serviceaccount:lab:learner" cannot list resource "pods" in API group "" in the namespace "kube-system"`.
 */
export function forbiddenStatus(user: UserInfo, attrs: Attributes, reason = ''): StatusBody {
  let why: string;
  if (!attrs.resourceRequest) {
    why = `User "${user.name}" cannot ${attrs.verb} path "${attrs.path}"`;
  } else {
    const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    why = attrs.namespace
      ? `User "${user.name}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" in the namespace "${attrs.namespace}"`
      : `User "${user.name}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" at the cluster scope`;
  }
  if (reason) why += `: ${reason}`;
  if (!attrs.resourceRequest) return { code: 403, reason: 'Forbidden', message: `forbidden: ${why}`, details: {} };
  const qualified = attrs.apiGroup ? `${attrs.resource}.${attrs.apiGroup}` : attrs.resource;
  const message = attrs.name ? `${qualified} "${attrs.name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  return {
    code: 403,
    reason: 'Forbidden',
    message,
    details: { ...(attrs.name && { name: attrs.name }), ...(attrs.apiGroup && { group: attrs.apiGroup }), kind: attrs.resource },
  };
}
