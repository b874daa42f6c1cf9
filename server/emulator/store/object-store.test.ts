import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreError } from './object-store.ts';
import { ObjectStore } from './object-store.ts';
import type { WatchEvent } from './types.ts';

const deployments = { group: 'apps', resource: 'deployments' };
const newDeploy = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ns' },
  spec: { replicas },
});

test('create assigns uid, resourceVersion, creationTimestamp and generation 1', () => {
  const store = new ObjectStore({ now: () => Date.UTC(2026, 0, 1, 0, 0, 0, 700), newUid: () => 'u1' });
  const created = store.create(deployments, newDeploy('web'));
  assert.equal(created.metadata.uid, 'u1');
  assert.equal(created.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(created.metadata.generation, 1);
  assert.equal(created.metadata.resourceVersion, store.resourceVersion);
  assert.throws(() => store.create(deployments, newDeploy('web')), (e: StoreError) => e.reason === 'AlreadyExists');
});

test('update bumps generation only for spec changes and rejects stale versions', () => {
  const store = new ObjectStore();
  const created = store.create(deployments, newDeploy('web'));
  const withStatus = store.update(deployments, { ...created, status: { replicas: 1 } });
  assert.equal(withStatus.metadata.generation, 1);
  const scaled = store.update(deployments, { ...withStatus, spec: { replicas: 3 } });
  assert.equal(scaled.metadata.generation, 2);
  assert.throws(() => store.update(deployments, created), (e: StoreError) => e.reason === 'Conflict');
  const same = store.update(deployments, scaled);
  assert.equal(same.metadata.resourceVersion, scaled.metadata.resourceVersion, 'a no-op write keeps the version');
});

test('finalizers hold a deleted object until they are cleared', () => {
  const store = new ObjectStore();
  const ns = { group: '', resource: 'namespaces' };
  store.create(ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', finalizers: ['kubernetes'] } });
  const marked = store.delete(ns, undefined, 'x');
  assert.ok(marked.metadata.deletionTimestamp);
  assert.ok(store.get(ns, undefined, 'x'));
  store.update(ns, { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
  assert.equal(store.get(ns, undefined, 'x'), undefined);
});

test('watch replays history after a resourceVersion, filters, and stops on unsubscribe', () => {
  const store = new ObjectStore();
  store.create(deployments, newDeploy('a'));
  const rv = store.resourceVersion;
  store.create(deployments, newDeploy('b'));
  const seen: WatchEvent[] = [];
  const stop = store.watch(deployments, { sinceResourceVersion: rv, filter: (o) => o.metadata.name !== 'c' }, (e) => seen.push(e));
  store.create(deployments, newDeploy('c'));
  store.delete(deployments, 'ns', 'a');
  stop();
  store.create(deployments, newDeploy('d'));
  assert.deepEqual(seen.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED b', 'DELETED a']);
});

test('snapshot and restore reproduce objects and the version counter', () => {
  const store = new ObjectStore();
  store.create(deployments, newDeploy('a'));
  const copy = ObjectStore.restore(JSON.parse(JSON.stringify(store.snapshot())));
  assert.deepEqual(copy.get(deployments, 'ns', 'a'), store.get(deployments, 'ns', 'a'));
  assert.equal(copy.resourceVersion, store.resourceVersion);
  assert.equal(copy.create(deployments, newDeploy('b')).metadata.resourceVersion, String(Number(store.resourceVersion) + 1));
});
