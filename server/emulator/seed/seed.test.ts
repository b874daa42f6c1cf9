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
  seedCluster(ctx);
  const pods = ctx.store.list(PODS).items;
  assert.ok(pods.every((p) => (p.status as { phase: string }).phase === 'Running'), 'all pods running');
  assert.ok(pods.some((p) => p.metadata.name.startsWith('istiod-')));
  assert.ok(pods.every((p) => Date.parse(p.metadata.creationTimestamp) < ctx.clock.now() - 60_000));
  const ingress = ctx.store.get(SERVICES, 'istio-system', 'istio-ingressgateway')!;
  const status = ingress.status as { loadBalancer: { ingress: { ip: string }[] } };
  assert.equal(status.loadBalancer.ingress[0]!.ip, (ingress.spec as { clusterIP: string }).clusterIP);
  const ports = (ingress.spec as { ports: { name: string; port: number; nodePort: number }[] }).ports;
  assert.deepEqual(ports.map((p) => `${p.name}:${p.port}`), ['status-port:15021', 'http2:80', 'https:443', 'tcp:31400', 'tls:15443']);
  assert.ok(ports.every((p) => p.nodePort >= 30000 && p.nodePort <= 32767));
  assert.equal((ctx.store.get(SERVICES, 'kube-system', 'kube-dns')!.spec as { clusterIP: string }).clusterIP, '10.96.0.10');
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'istio-system']) {
    assert.ok(ctx.store.get({ group: '', resource: 'namespaces' }, undefined, ns), ns);
    assert.ok(ctx.store.get({ group: '', resource: 'serviceaccounts' }, ns, 'default'), `${ns} default SA`);
  }
  for (const svc of ['istiod', 'istio-egressgateway', 'kiali', 'prometheus', 'grafana', 'tracing', 'zipkin']) assert.ok(ctx.store.get(SERVICES, 'istio-system', svc), svc);
  assert.equal((ctx.store.get(SERVICES, 'istio-system', 'kiali')!.spec as { ports: { port: number }[] }).ports[0]!.port, 20001);
  assert.ok(ctx.registry.lookup('networking.istio.io', 'v1', 'virtualservices'), 'Istio CRDs registered');
  const istiod = pods.find((p) => p.metadata.name.startsWith('istiod-'))!;
  assert.ok(ctx.logs.read('istio-system', istiod.metadata.name, 'discovery').length > 0, 'start-up logs');
});
