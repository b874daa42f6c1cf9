import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../cluster.ts';
import { TokenIssuer, resolveServiceAccountToken } from './tokens.ts';

test('a ServiceAccount token resolves to its cluster and identity until it expires or the SA is re-created', (t) => {
  const cluster = Cluster.create({ id: 'c1', withMesh: false });
  t.after(() => cluster.dispose());
  const store = cluster.ctx.store;
  const key = { group: '', resource: 'serviceaccounts' };
  const sa = store.create(key, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'learner', namespace: 'kube-public' } });
  const issuer = new TokenIssuer();
  const now = Date.now();
  const { token, expiresAt } = issuer.issue('c1', { namespace: 'kube-public', name: 'learner', uid: sa.metadata.uid }, { nowMs: now, expirationSeconds: 600 });
  assert.equal(expiresAt, Math.floor(now / 1000) + 600);
  const byId = (id: string) => (id === 'c1' ? cluster : undefined);

  const who = resolveServiceAccountToken(token, byId, issuer, now);
  assert.equal(who?.cluster, cluster);
  assert.deepEqual(who?.user, {
    name: 'system:serviceaccount:kube-public:learner',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-public', 'system:authenticated'],
  });
  assert.equal(resolveServiceAccountToken(token, byId, new TokenIssuer(), now), undefined, 'another secret does not verify');
  assert.equal(resolveServiceAccountToken(token.slice(0, -2) + 'xx', byId, issuer, now), undefined, 'tampered signature');
  assert.equal(resolveServiceAccountToken(token, byId, issuer, now + 601_000), undefined, 'expired');
  assert.equal(resolveServiceAccountToken(token, () => undefined, issuer, now), undefined, 'cluster gone');

  store.delete(key, 'kube-public', 'learner');
  store.create(key, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'learner', namespace: 'kube-public' } });
  assert.equal(resolveServiceAccountToken(token, byId, issuer, now), undefined, 'a re-created ServiceAccount revokes old tokens');
});
