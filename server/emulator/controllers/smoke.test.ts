import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testCluster, deployment } from './testing.ts';
import { DEPLOYMENTS, PODS, REPLICASETS } from './keys.ts';

test('smoke: deployment to running pods', () => {
  const tc = testCluster();
  tc.start();
  tc.create(DEPLOYMENTS, deployment('cars', { replicas: 2 }));
  tc.run(6000);
  const pods = tc.ctx.store.list(PODS).items;
  console.log(pods.map((p) => [p.metadata.name, (p.status as any).phase, (p.status as any).podIP]));
  console.log(tc.ctx.store.list(REPLICASETS).items.map((r) => [r.metadata.name, r.status]));
  console.log(JSON.stringify(tc.ctx.store.get(DEPLOYMENTS, 'default', 'cars')!.status, null, 1));
  assert.equal(pods.length, 2);
});
