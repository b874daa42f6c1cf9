import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createManualClock } from '../clock.ts';
import type { ClusterContext } from '../cluster.ts';
import { LogBook } from '../logs/log-book.ts';
import { Registry } from '../registry/registry.ts';
import { ObjectStore } from '../store/object-store.ts';
import { seededRng } from '../controllers/testing.ts';
import { seedCluster } from './index.ts';

const PODS = { group: '', resource: 'pods' };
const SERVICES = { group: '', resource: 'services' };

function fresh(): ClusterContext {
  const clock = createManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const store = new ObjectStore({ now: () => clock.now() });
  return { id: 't', store, clock, registry: Registry.builtIn(), logs: new LogBook(), rng: seededRng(7) };
}

test('seed: a fresh cluster has running system and istio pods with past ages', () => {
  const ctx = fresh();
  const t0 = performance.now();
  seedCluster(ctx);
  const ms = performance.now() - t0;
  const pods = ctx.store.list(PODS).items;
  const summary = pods.map((p) => `${p.metadata.namespace}/${p.metadata.name} ${(p.status as { phase: string }).phase} ${p.metadata.creationTimestamp}`);
  console.log(summary.join('\n'), `\nseed took ${ms.toFixed(0)} ms`);
  assert.ok(pods.every((p) => (p.status as { phase: string }).phase === 'Running'), 'all pods running');
  assert.ok(pods.some((p) => p.metadata.name.startsWith('istiod-')));
  assert.ok(pods.every((p) => Date.parse(p.metadata.creationTimestamp) < ctx.clock.now() - 60_000));
  const ingress = ctx.store.get(SERVICES, 'istio-system', 'istio-ingressgateway')!;
  const status = ingress.status as { loadBalancer: { ingress: { ip: string }[] } };
  assert.equal(status.loadBalancer.ingress[0]!.ip, (ingress.spec as { clusterIP: string }).clusterIP);
});
