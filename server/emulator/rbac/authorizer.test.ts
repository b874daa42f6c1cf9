import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectStore } from '../store/object-store.ts';
import type { NewObject } from '../store/types.ts';
import { authorize, forbiddenStatus, serviceAccountUser, type Attributes } from './authorizer.ts';
import { attributesOf } from './request-attributes.ts';

const RBAC = 'rbac.authorization.k8s.io';
const key = (resource: string) => ({ group: RBAC, resource });
const learner = serviceAccountUser('lab', 'learner');

function storeWith(objs: NewObject[]): ObjectStore {
  const store = new ObjectStore({ now: () => 0 });
  for (const o of objs) {
    const resource = `${String(o.kind).toLowerCase()}s`;
    store.create(key(resource), o);
  }
  return store;
}

const role = (kind: 'Role' | 'ClusterRole', name: string, rules: unknown[], namespace?: string): NewObject => ({
  apiVersion: `${RBAC}/v1`, kind, metadata: { name, ...(namespace && { namespace }) }, rules,
});
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, ref: { kind: string; name: string }, subjects: unknown[], namespace?: string): NewObject => ({
  apiVersion: `${RBAC}/v1`, kind, metadata: { name, ...(namespace && { namespace }) }, roleRef: { apiGroup: RBAC, ...ref }, subjects,
});
const sa = { kind: 'ServiceAccount', name: 'learner', namespace: 'lab' };

test('a learner with no bindings is denied with the real apiserver wording', () => {
  const store = storeWith([]);
  const attrs = attributesOf('GET', '/api/v1/namespaces/kube-system/pods?limit=500');
  const d = authorize(store, learner, attrs);
  assert.equal(d.allowed, false);
  const s = forbiddenStatus(learner, attrs, d.reason);
  assert.deepEqual(s, {
    code: 403,
    reason: 'Forbidden',
    message: 'pods is forbidden: User "system:serviceaccount:lab:learner" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    details: { kind: 'pods' },
  });
  const named = attributesOf('GET', '/api/v1/namespaces/kube-system/secrets/token');
  assert.equal(
    forbiddenStatus(learner, named).message,
    'secrets "token" is forbidden: User "system:serviceaccount:lab:learner" cannot get resource "secrets" in API group "" in the namespace "kube-system"',
  );
  const cluster = attributesOf('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles');
  assert.equal(
    forbiddenStatus(learner, cluster).message,
    'clusterroles.rbac.authorization.k8s.io is forbidden: User "system:serviceaccount:lab:learner" cannot create resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
  );
  assert.deepEqual(forbiddenStatus(learner, cluster).details, { group: RBAC, kind: 'clusterroles' });
});

test('discovery and version are open to every authenticated user; other paths are not', () => {
  const store = storeWith([]);
  for (const p of ['/api', '/api/v1', '/apis', '/apis/apps/v1', '/version', '/openapi/v3', '/openapi/v3/api/v1', '/healthz']) {
    assert.equal(authorize(store, learner, attributesOf('GET', p)).allowed, true, p);
  }
  const metrics = attributesOf('GET', '/metrics');
  assert.equal(authorize(store, learner, metrics).allowed, false);
  assert.equal(forbiddenStatus(learner, metrics).message, 'forbidden: User "system:serviceaccount:lab:learner" cannot get path "/metrics"');
  assert.equal(authorize(store, learner, attributesOf('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).allowed, true);
});

test('RoleBindings grant only in their namespace, ClusterRoleBindings everywhere', () => {
  const store = storeWith([
    role('ClusterRole', 'edit-all', [{ apiGroups: ['', 'apps'], resources: ['*'], verbs: ['*'] }]),
    role('ClusterRole', 'node-reader', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }]),
    binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'edit-all' }, [sa], 'travel-agency'),
    binding('ClusterRoleBinding', 'n', { kind: 'ClusterRole', name: 'node-reader' }, [{ kind: 'Group', name: 'system:serviceaccounts:lab' }]),
  ]);
  const ok = (m: string, p: string) => authorize(store, learner, attributesOf(m, p)).allowed;
  assert.equal(ok('POST', '/apis/apps/v1/namespaces/travel-agency/deployments'), true);
  assert.equal(ok('GET', '/api/v1/namespaces/travel-agency/pods?watch=true'), true);
  assert.equal(ok('DELETE', '/api/v1/namespaces/travel-agency/pods'), true);
  assert.equal(ok('GET', '/api/v1/namespaces/travel-portal/pods'), false);
  assert.equal(ok('GET', '/api/v1/pods'), false, 'cluster-wide list is not covered by a RoleBinding');
  // The namespace object itself is authorized inside that namespace (kubectl label/delete namespace).
  assert.equal(ok('PATCH', '/api/v1/namespaces/travel-agency'), true);
  assert.equal(ok('DELETE', '/api/v1/namespaces/travel-portal'), false);
  assert.equal(ok('GET', '/api/v1/nodes'), true);
  assert.equal(ok('DELETE', '/api/v1/nodes/kind-control-plane'), false);
  assert.equal(ok('GET', '/apis/networking.istio.io/v1/namespaces/travel-agency/virtualservices'), false, 'other API groups are not granted');
});

test('verbs, subresources, */scale and resourceNames follow rbac/v1 matching', () => {
  const store = storeWith([
    role('Role', 'r', [
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] },
      { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update', 'patch'] },
      { apiGroups: [''], resources: ['services/proxy'], resourceNames: ['kiali:20001'], verbs: ['get'] },
    ], 'istio-system'),
    binding('RoleBinding', 'b', { kind: 'Role', name: 'r' }, [{ kind: 'ServiceAccount', name: 'learner', namespace: 'lab' }], 'istio-system'),
  ]);
  const ok = (m: string, p: string) => authorize(store, learner, attributesOf(m, p)).allowed;
  assert.equal(ok('GET', '/api/v1/namespaces/istio-system/pods/kiali-1/log'), true);
  assert.equal(ok('POST', '/api/v1/namespaces/istio-system/pods/kiali-1/exec'), false);
  assert.equal(ok('GET', '/api/v1/namespaces/istio-system/pods?watch=1'), false, 'watch is its own verb');
  assert.equal(ok('PATCH', '/apis/apps/v1/namespaces/istio-system/deployments/kiali/scale'), true);
  assert.equal(ok('PATCH', '/apis/apps/v1/namespaces/istio-system/deployments/kiali'), false);
  assert.equal(ok('GET', '/api/v1/namespaces/istio-system/services/kiali:20001/proxy/kiali/api/namespaces'), true);
  assert.equal(ok('GET', '/api/v1/namespaces/istio-system/services/grafana:3000/proxy/'), false);
});

test('a binding to a missing role says so in the reason, as the RBAC authorizer does', () => {
  const store = storeWith([binding('RoleBinding', 'b', { kind: 'Role', name: 'gone' }, [sa], 'travel-agency')]);
  const attrs: Attributes = attributesOf('GET', '/api/v1/namespaces/travel-agency/pods');
  const d = authorize(store, learner, attrs);
  assert.equal(d.allowed, false);
  assert.equal(d.reason, 'RBAC: role.rbac.authorization.k8s.io "gone" not found');
  assert.match(forbiddenStatus(learner, attrs, d.reason).message, /in the namespace "travel-agency": RBAC: role\.rbac\.authorization\.k8s\.io "gone" not found$/);
});

test('subjects: a ServiceAccount of another namespace or a User of the same name does not match', () => {
  const store = storeWith([
    role('ClusterRole', 'all', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    binding('ClusterRoleBinding', 'x', { kind: 'ClusterRole', name: 'all' }, [
      { kind: 'ServiceAccount', name: 'learner', namespace: 'other' },
      { kind: 'User', name: 'learner' },
      { kind: 'Group', name: 'system:serviceaccounts:other' },
    ]),
  ]);
  assert.equal(authorize(store, learner, attributesOf('GET', '/api/v1/secrets')).allowed, false);
  assert.equal(authorize(store, serviceAccountUser('other', 'learner'), attributesOf('GET', '/api/v1/secrets')).allowed, true);
});
