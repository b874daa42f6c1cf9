import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectStore } from '../store/object-store.ts';
import { serviceAccountUser } from './authorizer.ts';
import { selfReviewStatus } from './reviews.ts';

const RBAC = 'rbac.authorization.k8s.io';

test('self-reviews of a ServiceAccount answer from its RBAC (auth can-i, can-i --list, whoami)', () => {
  const store = new ObjectStore({ now: () => 0 });
  store.create({ group: RBAC, resource: 'roles' }, { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'r', namespace: 'travel-agency' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] });
  store.create({ group: RBAC, resource: 'rolebindings' }, { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'travel-agency' }, roleRef: { apiGroup: RBAC, kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'learner', namespace: 'lab' }] });
  const user = serviceAccountUser('lab', 'learner');
  const can = (verb: string, namespace: string) => selfReviewStatus(store, user, 'selfsubjectaccessreviews', { resourceAttributes: { verb, resource: 'pods', namespace } });
  assert.deepEqual(can('list', 'travel-agency'), { allowed: true });
  assert.deepEqual(can('delete', 'travel-agency'), { allowed: false });
  assert.deepEqual(can('list', 'kube-system'), { allowed: false });
  assert.deepEqual(selfReviewStatus(store, user, 'selfsubjectaccessreviews', { nonResourceAttributes: { verb: 'get', path: '/version' } }), { allowed: true });
  const rules = selfReviewStatus(store, user, 'selfsubjectrulesreviews', { namespace: 'travel-agency' }) as { resourceRules: { resources: string[] }[]; incomplete: boolean };
  assert.ok(rules.resourceRules.some((r) => r.resources.includes('pods')));
  assert.equal(rules.incomplete, false);
  assert.deepEqual(selfReviewStatus(store, user, 'selfsubjectreviews'), { userInfo: { username: 'system:serviceaccount:lab:learner', groups: user.groups } });
  assert.equal(selfReviewStatus(store, user, 'tokenreviews'), undefined, 'not a self-review: the handler keeps its own answer');
});
