import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectStore } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import { PODS, REPLICASETS } from './keys.ts';
import { podTemplateHash, safeEncode } from './names.ts';
import { reconcileReplicaSet } from './replicaset.ts';
import { T0, seededRng } from './testing.ts';

function rsStore(replicas: number, pods: { name: string; ready: boolean; created: string }[]): ObjectStore {
  let n = 0;
  const store = new ObjectStore({ now: () => T0, newUid: () => `uid-${++n}` });
  const rs = store.create(REPLICASETS, {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'web-5d9f8c7b6', namespace: 'default', generation: 1 },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  });
  for (const p of pods) {
    store.create(PODS, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: p.name, namespace: 'default', labels: { app: 'web' }, creationTimestamp: p.created, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true }] },
      spec: { nodeName: 'node', containers: [] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: p.ready ? 'True' : 'False', lastTransitionTime: p.created }] },
    });
  }
  return store;
}

const summary = (actions: ReturnType<typeof reconcileReplicaSet>['actions']) =>
  actions.map((a) => {
    if (a.op === 'create') return `create ${a.obj.metadata.name}`;
    if (a.op === 'delete') return `delete ${a.name} grace=${a.graceSeconds}`;
    if (a.op === 'event') return `event ${a.event.reason}: ${a.event.message}`;
    if (a.op === 'update') return `status ${JSON.stringify((a.obj as KObject).status)}`;
    return a.op;
  });

test('golden: scaling a ReplicaSet from 0 to 2 creates two pods with seeded names', () => {
  const out = reconcileReplicaSet(rsStore(2, []), 'default', 'web-5d9f8c7b6', { now: T0, rng: seededRng(1) });
  assert.deepEqual(summary(out.actions), [
    'create web-5d9f8c7b6-vbs99',
    'event SuccessfulCreate: Created pod: web-5d9f8c7b6-vbs99',
    'create web-5d9f8c7b6-kvzp9',
    'event SuccessfulCreate: Created pod: web-5d9f8c7b6-kvzp9',
    'status {"replicas":0,"observedGeneration":1}',
  ]);
  const pod = (out.actions[0] as { obj: KObject }).obj;
  assert.equal(pod.metadata.generateName, 'web-5d9f8c7b6-');
  assert.deepEqual(pod.metadata.ownerReferences![0], { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9f8c7b6', uid: 'uid-1', controller: true, blockOwnerDeletion: true });
});

test('golden: scaling down deletes not-ready pods first, then the newest', () => {
  const store = rsStore(1, [
    { name: 'web-5d9f8c7b6-aaaaa', ready: true, created: '2026-01-01T09:00:00Z' },
    { name: 'web-5d9f8c7b6-bbbbb', ready: true, created: '2026-01-01T09:30:00Z' },
    { name: 'web-5d9f8c7b6-ccccc', ready: false, created: '2026-01-01T08:00:00Z' },
  ]);
  const out = reconcileReplicaSet(store, 'default', 'web-5d9f8c7b6', { now: T0, rng: seededRng(1) });
  assert.deepEqual(summary(out.actions), [
    'delete web-5d9f8c7b6-ccccc grace=30',
    'event SuccessfulDelete: Deleted pod: web-5d9f8c7b6-ccccc',
    'delete web-5d9f8c7b6-bbbbb grace=30',
    'event SuccessfulDelete: Deleted pod: web-5d9f8c7b6-bbbbb',
    'status {"replicas":3,"fullyLabeledReplicas":3,"readyReplicas":2,"availableReplicas":2,"observedGeneration":1}',
  ]);
});

test('pod-template-hash: fnv32a of the canonical template, encoded in the safe alphabet', () => {
  assert.equal(safeEncode('0123456789'), '456789bcdf');
  const a = podTemplateHash({ metadata: { labels: { app: 'a', v: '1' } }, spec: { containers: [] } });
  const b = podTemplateHash({ spec: { containers: [] }, metadata: { labels: { v: '1', app: 'a' } } });
  assert.equal(a, b, 'key order does not matter');
  assert.match(a, /^[456789bcdf]{6,10}$/);
  assert.notEqual(podTemplateHash({ spec: { containers: [] } }, 1), podTemplateHash({ spec: { containers: [] } }, 0));
});
