/**
 * The emulator's own request path with RBAC (host.ts, handlers/token.ts, handlers/reviews.ts): `kubectl
 * create token` issues a ServiceAccount token, and real kubectl with it is limited by the cluster's RBAC.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { EmulatorHost } from '../../server/emulator/host.ts';
import { kubectl, kubeconfigFile } from './kubectl.ts';

let host: EmulatorHost;
let admin: string;
before(async () => {
  host = await EmulatorHost.start({ host: '127.0.0.1' });
  const { token } = host.createCluster({ id: 'rbac', withMesh: false });
  admin = kubeconfigFile(host.accessFor(token));
});
after(() => host.close());

test('kubectl create token + RBAC on the emulator itself', async () => {
  const setup = [
    ['create', 'namespace', 'lab'],
    ['create', 'namespace', 'travel-agency'],
    ['create', 'serviceaccount', 'learner', '-n', 'lab'],
    ['create', 'clusterrole', 'pod-reader', '--verb=get,list,watch', '--resource=pods'],
    ['create', 'rolebinding', 'learner-pods', '--clusterrole=pod-reader', '--serviceaccount=lab:learner', '-n', 'travel-agency'],
  ];
  for (const args of setup) assert.equal((await kubectl(admin, args)).code, 0, args.join(' '));
  const token = (await kubectl(admin, ['create', 'token', 'learner', '-n', 'lab'])).stdout.trim();
  const learner = kubeconfigFile(host.accessFor(token));
  const probe = await kubectl(learner, ['get', 'pods', '-n', 'travel-agency']);
  assert.equal(probe.code, 0, probe.stderr);
  const secrets = await kubectl(learner, ['get', 'pods', '-n', 'kube-system']);
  assert.equal(secrets.stderr.trim(), 'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:lab:learner" cannot list resource "pods" in API group "" in the namespace "kube-system"');
  assert.equal((await kubectl(learner, ['auth', 'can-i', 'list', 'pods', '-n', 'travel-agency'])).stdout.trim(), 'yes');
  assert.equal((await kubectl(learner, ['auth', 'can-i', 'delete', 'pods', '-n', 'travel-agency'])).stdout.trim(), 'no');
  const who = await kubectl(learner, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
  assert.equal(who.stdout, 'system:serviceaccount:lab:learner');
  assert.equal((await kubectl(admin, ['delete', 'serviceaccount', 'learner', '-n', 'lab'])).code, 0);
  assert.match((await kubectl(learner, ['get', 'pods', '-n', 'travel-agency'])).stderr, /Unauthorized|logged in/, 'deleting the ServiceAccount revokes its tokens');
});
