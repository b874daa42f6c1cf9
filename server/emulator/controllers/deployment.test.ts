import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../store/types.ts';
import { DEPLOYMENTS, EVENTS, PODS, REPLICASETS } from './keys.ts';
import { deployment, testCluster } from './testing.ts';
import type { TestCluster } from './testing.ts';

const st = (o: KObject | undefined) => (o?.status ?? {}) as Record<string, unknown>;

function snapshot(tc: TestCluster, name: string): string {
  const d = tc.ctx.store.get(DEPLOYMENTS, 'default', name)!;
  const s = st(d);
  const rs = tc.ctx.store.list(REPLICASETS, { namespace: 'default' }).items
    .map((r) => `${r.metadata.annotations?.['deployment.kubernetes.io/revision']}:${(r.spec as { replicas: number }).replicas}/${st(r).availableReplicas ?? 0}`)
    .sort()
    .join(' ');
  const pods = tc.ctx.store.list(PODS, { namespace: 'default' }).items.length;
  return `replicas=${s.replicas ?? 0} updated=${s.updatedReplicas ?? 0} available=${s.availableReplicas ?? 0} pods=${pods} rs=[${rs}]`;
}

/** Runs the cluster in 250 ms steps and records every distinct deployment/RS state. */
function trace(tc: TestCluster, name: string, ms: number): string[] {
  const seen: string[] = [snapshot(tc, name)];
  for (let t = 0; t < ms; t += 250) {
    tc.run(250, 250);
    const s = snapshot(tc, name);
    if (s !== seen.at(-1)) seen.push(s);
  }
  return seen;
}

test('a new deployment gets one ReplicaSet named <deploy>-<hash> and ready pods', () => {
  const tc = testCluster();
  tc.start();
  tc.create(DEPLOYMENTS, deployment('cars', { replicas: 2 }));
  tc.run(8000);
  const [rs] = tc.ctx.store.list(REPLICASETS).items;
  assert.match(rs!.metadata.name, /^cars-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
  const hash = rs!.metadata.labels!['pod-template-hash']!;
  assert.equal(rs!.metadata.name, `cars-${hash}`);
  assert.deepEqual((rs!.spec as { selector: unknown }).selector, { matchLabels: { app: 'cars', 'pod-template-hash': hash } });
  assert.equal(rs!.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
  assert.equal(rs!.metadata.ownerReferences![0]!.kind, 'Deployment');
  const pods = tc.ctx.store.list(PODS).items;
  assert.equal(pods.length, 2);
  for (const p of pods) assert.match(p.metadata.name, new RegExp(`^cars-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
  const d = tc.ctx.store.get(DEPLOYMENTS, 'default', 'cars')!;
  assert.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
  const s = st(d);
  assert.equal(s.observedGeneration, 1);
  assert.equal(s.readyReplicas, 2);
  assert.equal(s.availableReplicas, 2);
  const conds = s.conditions as { type: string; reason: string; message: string }[];
  assert.deepEqual(conds.map((c) => `${c.type}/${c.reason}`), ['Available/MinimumReplicasAvailable', 'Progressing/NewReplicaSetAvailable']);
  assert.equal(conds[1]!.message, `ReplicaSet "${rs!.metadata.name}" has successfully progressed.`);
  const reasons = tc.ctx.store.list(EVENTS, { namespace: 'default' }).items.map((e) => e.reason);
  for (const r of ['ScalingReplicaSet', 'SuccessfulCreate', 'Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']) assert.ok(reasons.includes(r), r);
});

test('rolling update of 3 replicas (25%/25%) follows the golden sequence', () => {
  const tc = testCluster();
  tc.start();
  tc.create(DEPLOYMENTS, deployment('hotels', { replicas: 3 }));
  tc.run(8000);
  const d = structuredClone(tc.ctx.store.get(DEPLOYMENTS, 'default', 'hotels')!);
  const tpl = (d.spec as { template: { spec: { containers: { image: string }[] } } }).template;
  tpl.spec.containers[0]!.image = 'quay.io/kiali/demo_travels_hotels:v2';
  const before = snapshot(tc, 'hotels');
  tc.update(DEPLOYMENTS, d);
  const seq = [before, ...trace(tc, 'hotels', 15000)];
  // maxSurge 1 (25% of 3 rounded up), maxUnavailable 0 (rounded down): never fewer than 3 available.
  // maxSurge 1 (25% of 3 rounded up), maxUnavailable 0 (rounded down): never fewer than 3 available;
  // `pods` also counts pods still terminating.
  assert.deepEqual(seq, [
    'replicas=3 updated=3 available=3 pods=3 rs=[1:3/3]',
    'replicas=4 updated=1 available=3 pods=4 rs=[1:3/3 2:1/0]',
    'replicas=4 updated=2 available=3 pods=5 rs=[1:2/2 2:2/1]',
    'replicas=4 updated=2 available=3 pods=4 rs=[1:2/2 2:2/1]',
    'replicas=4 updated=3 available=3 pods=5 rs=[1:1/1 2:3/2]',
    'replicas=4 updated=3 available=3 pods=4 rs=[1:1/1 2:3/2]',
    'replicas=3 updated=3 available=3 pods=4 rs=[1:0/0 2:3/3]',
    'replicas=3 updated=3 available=3 pods=3 rs=[1:0/0 2:3/3]',
  ]);
  for (const line of seq) {
    const available = Number(/available=(\d+)/.exec(line)![1]);
    const pods = Number(/pods=(\d+)/.exec(line)![1]);
    assert.ok(available >= 3 || line === seq[0], `availability kept: ${line}`);
    assert.ok(pods <= 4 + 1, `surge bounded: ${line}`);
  }
  assert.match(seq.at(-1)!, /^replicas=3 updated=3 available=3 pods=3 rs=\[1:0\/0 2:3\/3\]$/);
});

function setImage(tc: TestCluster, name: string, image: string): void {
  const d = structuredClone(tc.ctx.store.get(DEPLOYMENTS, 'default', name)!);
  (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = image;
  tc.update(DEPLOYMENTS, d);
}

test('rollout undo reuses the old ReplicaSet under a new revision', () => {
  const tc = testCluster();
  tc.start();
  tc.create(DEPLOYMENTS, deployment('flights'));
  tc.run(6000);
  const first = tc.ctx.store.list(REPLICASETS).items[0]!.metadata.name;
  setImage(tc, 'flights', 'quay.io/kiali/demo_travels_flights:v2');
  tc.run(8000);
  // kubectl rollout undo: the template of revision 1 goes back into the deployment.
  const old = tc.ctx.store.get(REPLICASETS, 'default', first)!;
  const d = structuredClone(tc.ctx.store.get(DEPLOYMENTS, 'default', 'flights')!);
  const tpl = structuredClone((old.spec as { template: { metadata: { labels: Record<string, string> } } }).template);
  delete tpl.metadata.labels['pod-template-hash'];
  (d.spec as { template: unknown }).template = tpl;
  tc.update(DEPLOYMENTS, d);
  tc.run(8000);
  const rsList = tc.ctx.store.list(REPLICASETS).items;
  assert.equal(rsList.length, 2, 'no third ReplicaSet');
  const reused = tc.ctx.store.get(REPLICASETS, 'default', first)!;
  assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
  assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
  assert.equal((reused.spec as { replicas: number }).replicas, 1);
  const dep = tc.ctx.store.get(DEPLOYMENTS, 'default', 'flights')!;
  assert.equal(dep.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
  assert.equal(st(dep).availableReplicas, 1);
});

test('scale up and down changes the ReplicaSet and records ScalingReplicaSet events', () => {
  const tc = testCluster();
  tc.start();
  tc.create(DEPLOYMENTS, deployment('discounts'));
  tc.run(6000);
  const d = structuredClone(tc.ctx.store.get(DEPLOYMENTS, 'default', 'discounts')!);
  (d.spec as { replicas: number }).replicas = 3;
  tc.update(DEPLOYMENTS, d);
  tc.run(6000);
  assert.equal(st(tc.ctx.store.get(DEPLOYMENTS, 'default', 'discounts')).readyReplicas, 3);
  const d2 = structuredClone(tc.ctx.store.get(DEPLOYMENTS, 'default', 'discounts')!);
  (d2.spec as { replicas: number }).replicas = 1;
  tc.update(DEPLOYMENTS, d2);
  tc.run(6000);
  assert.equal(tc.ctx.store.list(PODS).items.length, 1);
  const rs = tc.ctx.store.list(REPLICASETS).items[0]!.metadata.name;
  const messages = tc.ctx.store.list(EVENTS, { namespace: 'default' }).items.filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
  assert.deepEqual(messages.sort(), [`Scaled down replica set ${rs} from 3 to 1`, `Scaled up replica set ${rs} from 0 to 1`, `Scaled up replica set ${rs} from 1 to 3`].sort());
});

test('Recreate strategy stops old pods before starting new ones', () => {
  const tc = testCluster();
  tc.start();
  const obj = deployment('mysqldb', { replicas: 2 });
  (obj.spec as Record<string, unknown>).strategy = { type: 'Recreate' };
  tc.create(DEPLOYMENTS, obj);
  tc.run(6000);
  setImage(tc, 'mysqldb', 'quay.io/kiali/demo_travels_mysqldb:v2');
  let mixed = false;
  for (let t = 0; t < 12000; t += 250) {
    tc.run(250, 250);
    const images = new Set(tc.ctx.store.list(PODS).items.map((p) => (p.spec as { containers: { image: string }[] }).containers[0]!.image));
    if (images.size > 1) mixed = true;
  }
  assert.equal(mixed, false, 'old and new pods never run together');
  const pods = tc.ctx.store.list(PODS).items;
  assert.equal(pods.length, 2);
  assert.ok(pods.every((p) => (p.spec as { containers: { image: string }[] }).containers[0]!.image.endsWith(':v2')));
});
