import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteObject } from '../apiserver/deletion.ts';
import type { KObject } from '../store/types.ts';
import { CONFIGMAPS, DAEMONSETS, DEPLOYMENTS, ENDPOINTS, ENDPOINTSLICES, NAMESPACES, PODS, REPLICASETS, SERVICEACCOUNTS, SERVICES } from './keys.ts';
import { deployment, testCluster } from './testing.ts';

test('namespace deletion: Terminating, contents purged, then DELETED', () => {
  const tc = testCluster({ namespaces: ['default', 'travel-agency'] });
  tc.start();
  tc.create(DEPLOYMENTS, deployment('cars', { namespace: 'travel-agency', replicas: 2 }));
  tc.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cars', namespace: 'travel-agency' }, spec: { selector: { app: 'cars' }, ports: [{ name: 'http', port: 8000 }] } });
  tc.run(6000);
  assert.ok(tc.ctx.store.get(SERVICEACCOUNTS, 'travel-agency', 'default'), 'default ServiceAccount created');
  assert.ok(tc.ctx.store.get(CONFIGMAPS, 'travel-agency', 'kube-root-ca.crt'), 'root CA published');
  const events: string[] = [];
  tc.ctx.store.watch(NAMESPACES, {}, (e) => events.push(`${e.type} ${e.object.metadata.name} ${(e.object.status as { phase?: string }).phase}`));
  const ns = tc.ctx.store.get(NAMESPACES, undefined, 'travel-agency')!;
  const res = deleteObject(tc.ctx, NAMESPACES, ns, {});
  assert.equal(res.removed, false);
  assert.equal((tc.ctx.store.get(NAMESPACES, undefined, 'travel-agency')!.status as { phase: string }).phase, 'Terminating');
  tc.run(100);
  const during = (tc.ctx.store.get(NAMESPACES, undefined, 'travel-agency')!.status as { conditions: { type: string; status: string; message: string }[] }).conditions;
  const remaining = during.find((c) => c.type === 'NamespaceContentRemaining')!;
  assert.equal(remaining.status, 'True');
  assert.match(remaining.message, /^Some resources are remaining: pods\. has 2 resource instances$/);
  tc.run(5000);
  assert.equal(tc.ctx.store.get(NAMESPACES, undefined, 'travel-agency'), undefined);
  assert.equal(events.at(-1), 'DELETED travel-agency Terminating');
  for (const key of tc.ctx.store.keys()) {
    assert.equal(tc.ctx.store.list(key, { namespace: 'travel-agency' }).items.length, 0, `${key.resource} purged`);
  }
});

function owned(): { tc: ReturnType<typeof testCluster>; d: KObject } {
  const tc = testCluster();
  tc.start();
  tc.create(DEPLOYMENTS, deployment('hotels', { replicas: 2 }));
  tc.run(6000);
  return { tc, d: tc.ctx.store.get(DEPLOYMENTS, 'default', 'hotels')! };
}

test('garbage collection, Background: the deployment goes at once, its ReplicaSet and pods follow', () => {
  const { tc, d } = owned();
  assert.equal(deleteObject(tc.ctx, DEPLOYMENTS, d, { propagation: 'Background' }).removed, true);
  tc.run(5000);
  assert.equal(tc.ctx.store.list(REPLICASETS).items.length, 0);
  assert.equal(tc.ctx.store.list(PODS).items.length, 0);
});

test('garbage collection, Foreground: the owner waits behind foregroundDeletion until dependents are gone', () => {
  const { tc, d } = owned();
  assert.equal(deleteObject(tc.ctx, DEPLOYMENTS, d, { propagation: 'Foreground' }).removed, false);
  const marked = tc.ctx.store.get(DEPLOYMENTS, 'default', 'hotels');
  assert.ok(marked?.metadata.deletionTimestamp);
  assert.deepEqual(marked?.metadata.finalizers, ['foregroundDeletion']);
  tc.run(5000);
  assert.equal(tc.ctx.store.get(DEPLOYMENTS, 'default', 'hotels'), undefined);
  assert.equal(tc.ctx.store.list(REPLICASETS).items.length, 0);
});

test('garbage collection, Orphan: dependents lose their owner reference and keep running', () => {
  const { tc, d } = owned();
  deleteObject(tc.ctx, DEPLOYMENTS, d, { propagation: 'Orphan' });
  tc.run(3000);
  assert.equal(tc.ctx.store.get(DEPLOYMENTS, 'default', 'hotels'), undefined);
  const [rs] = tc.ctx.store.list(REPLICASETS).items;
  assert.ok(rs, 'ReplicaSet kept');
  assert.equal(rs!.metadata.ownerReferences, undefined);
  assert.equal(tc.ctx.store.list(PODS).items.length, 2);
});

test('endpoints and endpointslices follow ready pods; named target ports resolve', () => {
  const tc = testCluster();
  tc.start();
  const d = deployment('travels', { replicas: 2 });
  (d.spec.template.spec.containers[0] as Record<string, unknown>).ports = [{ containerPort: 8000, name: 'web' }];
  tc.create(DEPLOYMENTS, d);
  tc.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'travels', namespace: 'default', labels: { app: 'travels' } }, spec: { selector: { app: 'travels' }, ports: [{ name: 'http', port: 8000, targetPort: 'web' }] } });
  tc.run(6000);
  const ep = tc.ctx.store.get(ENDPOINTS, 'default', 'travels')!;
  const subsets = ep.subsets as { addresses: { ip: string; targetRef: { kind: string } }[]; ports: unknown[] }[];
  assert.equal(subsets[0]!.addresses.length, 2);
  assert.deepEqual(subsets[0]!.ports, [{ name: 'http', port: 8000, protocol: 'TCP' }]);
  assert.equal(subsets[0]!.addresses[0]!.targetRef.kind, 'Pod');
  const [slice] = tc.ctx.store.list(ENDPOINTSLICES).items;
  assert.equal(slice!.metadata.labels!['kubernetes.io/service-name'], 'travels');
  assert.match(slice!.metadata.name, /^travels-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal((slice!.endpoints as unknown[]).length, 2);
  // Scale to zero: no addresses left, and the Service's deletion removes Endpoints and slice.
  const cur = structuredClone(tc.ctx.store.get(DEPLOYMENTS, 'default', 'travels')!);
  (cur.spec as { replicas: number }).replicas = 0;
  tc.update(DEPLOYMENTS, cur);
  tc.run(5000);
  assert.equal(tc.ctx.store.get(ENDPOINTS, 'default', 'travels')!.subsets, undefined);
  deleteObject(tc.ctx, SERVICES, tc.ctx.store.get(SERVICES, 'default', 'travels')!, {});
  tc.run(500);
  assert.equal(tc.ctx.store.get(ENDPOINTS, 'default', 'travels'), undefined);
  assert.equal(tc.ctx.store.list(ENDPOINTSLICES).items.length, 0);
});

test('a LoadBalancer Service gets an external IP (minikube tunnel style: its cluster IP)', () => {
  const tc = testCluster();
  tc.start();
  const svc = tc.create(SERVICES, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', namespace: 'default' }, spec: { type: 'LoadBalancer', selector: { app: 'gw' }, ports: [{ name: 'http2', port: 80, targetPort: 8080 }] } });
  tc.run(200);
  const stored = tc.ctx.store.get(SERVICES, 'default', 'gw')!;
  const ip = (svc.spec as { clusterIP: string }).clusterIP;
  assert.deepEqual((stored.status as { loadBalancer: unknown }).loadBalancer, { ingress: [{ ip, ipMode: 'VIP' }] });
  const port = ((stored.spec as { ports: { nodePort: number }[] }).ports[0]!).nodePort;
  assert.ok(port >= 30000 && port <= 32767);
});

test('a DaemonSet runs one pod on the node and replaces it when its template changes', () => {
  const tc = testCluster();
  tc.start();
  const ds = tc.create(DAEMONSETS, {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'kube-proxy', namespace: 'default' },
    spec: { selector: { matchLabels: { k8s: 'proxy' } }, template: { metadata: { labels: { k8s: 'proxy' } }, spec: { containers: [{ name: 'p', image: 'registry.k8s.io/kube-proxy:v1.32.5' }] } } },
  });
  tc.run(5000);
  const [first] = tc.ctx.store.list(PODS).items;
  assert.match(first!.metadata.name, /^kube-proxy-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  const cur = structuredClone(tc.ctx.store.get(DAEMONSETS, 'default', 'kube-proxy')!);
  (cur.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': 'now' };
  tc.update(DAEMONSETS, cur);
  tc.run(8000);
  const pods = tc.ctx.store.list(PODS).items;
  assert.equal(pods.length, 1);
  assert.notEqual(pods[0]!.metadata.name, first!.metadata.name);
  const status = tc.ctx.store.get(DAEMONSETS, 'default', 'kube-proxy')!.status as Record<string, number>;
  assert.equal(status.numberReady, 1);
  assert.equal(status.updatedNumberScheduled, 1);
  void ds;
});

test('deleting a pod records Killing when the deletion starts, once', () => {
  const tc = testCluster();
  tc.start();
  tc.create(DEPLOYMENTS, deployment('voyages'));
  tc.run(5000);
  const pod = tc.ctx.store.list(PODS).items[0]!;
  deleteObject(tc.ctx, PODS, pod, {});
  tc.run(100);
  const killing = () => tc.ctx.store.list({ group: '', resource: 'events' }, { namespace: 'default' }).items.filter((e) => e.reason === 'Killing');
  assert.equal(killing().length, 1);
  assert.ok(tc.ctx.store.get(PODS, 'default', pod.metadata.name)?.metadata.deletionTimestamp, 'still terminating');
  tc.run(5000);
  assert.equal(tc.ctx.store.get(PODS, 'default', pod.metadata.name), undefined);
  assert.equal(killing().length, 1);
  assert.equal(killing()[0]!.message, 'Stopping container voyages');
});

test('the default ServiceAccount and kube-root-ca.crt come back when deleted', () => {
  const tc = testCluster();
  tc.start();
  tc.ctx.store.delete(SERVICEACCOUNTS, 'default', 'default');
  tc.ctx.store.delete(CONFIGMAPS, 'default', 'kube-root-ca.crt');
  tc.run(100);
  assert.ok(tc.ctx.store.get(SERVICEACCOUNTS, 'default', 'default'));
  assert.ok(tc.ctx.store.get(CONFIGMAPS, 'default', 'kube-root-ca.crt'));
});
