import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../store/types.ts';
import { JOBS, PODS } from './keys.ts';
import { reconcilePod } from './kubelet.ts';
import { restartContainer } from './restart.ts';
import { T0, testCluster } from './testing.ts';
import type { TestCluster } from './testing.ts';

type Status = { phase: string; podIP?: string; containerStatuses?: { name: string; ready: boolean; restartCount: number; state: Record<string, unknown>; lastState: Record<string, unknown> }[]; conditions?: { type: string; status: string }[] };
const status = (p: KObject | undefined) => (p?.status ?? {}) as Status;

/** What `kubectl get pod` would print as READY and STATUS, reduced to what the kubelet controls. */
function row(p: KObject | undefined): string {
  if (!p) return 'gone';
  const s = status(p);
  const cs = s.containerStatuses ?? [];
  const ready = `${cs.filter((c) => c.ready).length}/${(p.spec as { containers: unknown[] }).containers.length}`;
  const waiting = cs.find((c) => (c.state.waiting as { reason?: string } | undefined)?.reason);
  const init = (p.status as { initContainerStatuses?: { state: Record<string, unknown> }[] }).initContainerStatuses;
  let phase = s.phase;
  if (p.metadata.deletionTimestamp) phase = 'Terminating';
  else if (init?.some((c) => !c.state.terminated)) phase = `Init:0/${init.length}`;
  else if (waiting) phase = (waiting.state.waiting as { reason: string }).reason;
  return `${ready} ${phase}`;
}

function lifecycle(tc: TestCluster, name: string, ms: number): string[] {
  const out = [row(tc.ctx.store.get(PODS, 'default', name))];
  for (let t = 0; t < ms; t += 100) {
    tc.run(100, 100);
    const r = row(tc.ctx.store.get(PODS, 'default', name));
    if (r !== out.at(-1)) out.push(r);
  }
  return out;
}

const pod = (name: string, containers: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...extra }, spec: { containers },
});

test('a plain pod goes Pending → ContainerCreating → Running 1/1', () => {
  const tc = testCluster();
  tc.start();
  tc.create(PODS, pod('web', [{ name: 'web', image: 'nginx' }]));
  assert.deepEqual(lifecycle(tc, 'web', 6000), ['0/1 Pending', '0/1 ContainerCreating', '1/1 Running']);
  const s = status(tc.ctx.store.get(PODS, 'default', 'web'));
  assert.equal(s.podIP, '10.244.0.2');
  assert.deepEqual(s.conditions!.map((c) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
  const cs = s.containerStatuses![0]! as unknown as Record<string, unknown>;
  assert.equal(cs.image, 'docker.io/library/nginx:latest');
  assert.match(String(cs.imageID), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.match(String(cs.containerID), /^containerd:\/\/[0-9a-f]{64}$/);
  assert.ok(tc.ctx.logs !== undefined);
});

test('a Travels image that does not exist: ErrImagePull, then ImagePullBackOff with retries; the pod stays Pending', () => {
  const tc = testCluster();
  tc.start();
  tc.create(PODS, pod('typo', [{ name: 'travels', image: 'quay.io/kiali/demo_travels_travel:v1' }]));
  assert.deepEqual(lifecycle(tc, 'typo', 20_000), ['0/1 Pending', '0/1 ContainerCreating', '0/1 ErrImagePull', '0/1 ImagePullBackOff', '0/1 ErrImagePull', '0/1 ImagePullBackOff']);
  assert.equal(status(tc.ctx.store.get(PODS, 'default', 'typo')).phase, 'Pending');
  const events = tc.ctx.store.list({ group: '', resource: 'events' }, { namespace: 'default' }).items.map((e) => `${(e as { reason?: string }).reason}: ${(e as { message?: string }).message}`);
  assert.ok(events.some((e) => e.startsWith('Failed: Failed to pull image "quay.io/kiali/demo_travels_travel:v1": rpc error: code = NotFound')), events.join('\n'));
  assert.ok(events.includes('BackOff: Back-off pulling image "quay.io/kiali/demo_travels_travel:v1"'));
  // The demo's real images, and images from anywhere else, pull.
  tc.create(PODS, pod('fine', [{ name: 'cars', image: 'quay.io/kiali/demo_travels_cars:v1' }, { name: 'other', image: 'nginx:1.27' }]));
  tc.run(8000, 100);
  assert.equal(row(tc.ctx.store.get(PODS, 'default', 'fine')), '2/2 Running');
});

test('a container whose Secret is missing waits in CreateContainerConfigError, then starts once the Secret exists', () => {
  const tc = testCluster();
  tc.start();
  const env = [{ name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'mysql-credentials', key: 'rootpasswd' } } }];
  tc.create(PODS, pod('db', [{ name: 'mysqldb', image: 'quay.io/kiali/demo_travels_mysqldb:v1', env }]));
  assert.deepEqual(lifecycle(tc, 'db', 8000), ['0/1 Pending', '0/1 ContainerCreating', '0/1 CreateContainerConfigError']);
  const waiting = status(tc.ctx.store.get(PODS, 'default', 'db')).containerStatuses![0].state.waiting as { message: string };
  assert.equal(waiting.message, 'secret "mysql-credentials" not found');
  const events = tc.ctx.store.list({ group: '', resource: 'events' }, { namespace: 'default' }).items.map((e) => `${(e as { reason?: string }).reason}: ${(e as { message?: string }).message}`);
  assert.ok(events.includes('Failed: Error: secret "mysql-credentials" not found'), events.join('\n'));
  // A Secret without the key: the kubelet names the key.
  tc.create({ group: '', resource: 'secrets' }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mysql-credentials', namespace: 'default' }, data: { other: 'eA==' } });
  tc.run(11_000, 100);
  assert.equal((status(tc.ctx.store.get(PODS, 'default', 'db')).containerStatuses![0].state.waiting as { message: string }).message, "couldn't find key rootpasswd in Secret default/mysql-credentials");
  const secret = tc.ctx.store.get({ group: '', resource: 'secrets' }, 'default', 'mysql-credentials')!;
  tc.ctx.store.update({ group: '', resource: 'secrets' }, { ...secret, data: { rootpasswd: 'eA==' } });
  tc.run(15_000, 100);
  assert.equal(row(tc.ctx.store.get(PODS, 'default', 'db')), '1/1 Running');
});

test('an injected pod shows Init:0/1, PodInitializing, then 1/2 until the proxy passes its readiness probe, then 2/2', () => {
  const tc = testCluster({ namespaces: [] });
  tc.create({ group: '', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { 'istio-injection': 'enabled' } } });
  tc.start();
  tc.create(PODS, pod('cars', [{ name: 'cars', image: 'quay.io/kiali/demo_travels_cars:v1' }]));
  assert.deepEqual(lifecycle(tc, 'cars', 8000), ['0/2 Pending', '0/2 Init:0/1', '0/2 PodInitializing', '1/2 Running', '2/2 Running']);
  const lines = tc.ctx.logs.read('default', 'cars', 'istio-proxy');
  assert.ok(lines.some((l) => l.includes('Envoy proxy is ready')));
  assert.ok(lines.some((l) => l.includes('ips=[10.244.0.2]')));
});

test('stage timing follows the clock: nothing happens until the stage is due', () => {
  const tc = testCluster();
  tc.create(PODS, pod('slow', [{ name: 'slow', image: 'nginx:1.27' }]));
  const env = { now: T0, rng: tc.ctx.rng };
  const first = reconcilePod(tc.ctx.store, 'default', 'slow', env);
  assert.equal(first.actions[0]!.op, 'update'); // scheduling happens at once
  tc.ctx.store.update(PODS, (first.actions[0] as { obj: KObject }).obj);
  const early = reconcilePod(tc.ctx.store, 'default', 'slow', env);
  assert.deepEqual(early.actions, []);
  assert.ok(early.wakeAt! > T0 && early.wakeAt! <= T0 + 700);
});

test('restartContainer records lastState, bumps restartCount and keeps the previous logs', () => {
  const tc = testCluster();
  tc.start();
  tc.create(PODS, pod('portal', [{ name: 'control', image: 'quay.io/kiali/demo_travels_portal:v1', env: [{ name: 'PORTAL_NAME', value: 'viaggi.it' }] }]));
  tc.run(5000);
  tc.ctx.logs.append('default', 'portal', 'control', 'GetDestinations from [viaggi.it]');
  assert.equal(restartContainer(tc.ctx, 'default', 'portal', 'control'), true);
  tc.run(3000);
  const cs = status(tc.ctx.store.get(PODS, 'default', 'portal')).containerStatuses![0]!;
  assert.equal(cs.restartCount, 1);
  assert.equal((cs.lastState.terminated as { reason: string }).reason, 'Error');
  assert.ok(cs.state.running);
  assert.ok(tc.ctx.logs.read('default', 'portal', 'control', { previous: true }).includes('GetDestinations from [viaggi.it]'));
  assert.ok(!tc.ctx.logs.read('default', 'portal', 'control').includes('GetDestinations from [viaggi.it]'));
});

test('a Job runs its pod to completion and reports Complete', () => {
  const tc = testCluster();
  tc.start();
  tc.create(JOBS, {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'default' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'busybox:1.36', command: ['true'] }] } } },
  });
  tc.run(12000);
  const job = tc.ctx.store.get(JOBS, 'default', 'migrate')!;
  const js = job.status as { succeeded: number; conditions: { type: string; status: string }[]; completionTime: string };
  assert.equal(js.succeeded, 1);
  assert.ok(js.completionTime);
  assert.ok(js.conditions.some((c) => c.type === 'Complete' && c.status === 'True'));
  const [p] = tc.ctx.store.list(PODS).items;
  assert.equal(status(p).phase, 'Succeeded');
  assert.match(p!.metadata.name, /^migrate-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});
