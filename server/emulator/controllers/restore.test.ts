import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createManualClock } from '../clock.ts';
import { Cluster } from '../cluster.ts';
import { admit } from '../admission/index.ts';
import { DEPLOYMENTS, PODS } from './keys.ts';
import { deployment } from './testing.ts';

test('a restored cluster keeps running: logs come back, controllers resume, nothing churns', async () => {
  const clock = createManualClock(Date.UTC(2026, 0, 1, 12));
  const a = Cluster.create({ withMesh: false, seed: 5, clock });
  const snap = a.snapshot();
  a.dispose();
  const clock2 = createManualClock(snap.now);
  const b = Cluster.create({ withMesh: false, snapshot: snap, clock: clock2 });
  const { store, logs } = b.ctx;
  const istiod = store.list(PODS, { namespace: 'istio-system' }).items.find((p) => p.metadata.name.startsWith('istiod-'))!;
  assert.ok(logs.read('istio-system', istiod.metadata.name, 'discovery').some((l) => l.includes('Starting Istiod')));
  const rv = store.resourceVersion;
  await new Promise((r) => setImmediate(r));
  clock2.advance(10_000);
  await new Promise((r) => setImmediate(r));
  assert.equal(store.resourceVersion, rv, 'an idle restored cluster writes nothing');
  const obj = deployment('web', { image: 'nginx:1.27' }) as unknown as Parameters<typeof admit>[3];
  const info = b.ctx.registry.lookup('apps', 'v1', 'deployments')!;
  store.create(DEPLOYMENTS, admit(b.ctx, 'CREATE', info, { ...obj, metadata: { ...obj.metadata, uid: '', resourceVersion: '', creationTimestamp: '' } }) as never);
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setImmediate(r));
    clock2.advance(250);
  }
  await new Promise((r) => setImmediate(r));
  const pods = store.list(PODS, { namespace: 'default' }).items;
  assert.equal(pods.length, 1);
  assert.equal((pods[0]!.status as { phase: string }).phase, 'Running');
  b.dispose();
});
