// Mesh badges read from a real emulated cluster through its Kubernetes API: sidecars appear once the
// namespace is labelled for injection, routing rules and policies are counted, the graph is read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EmulatorHost } from '../emulator/host.ts';
import { kubeRequest } from '../kube/client.ts';
import { readMeshBadges } from './mesh-badges.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';

let host: EmulatorHost;
let access: ClusterAccess;
before(async () => {
  host = await EmulatorHost.start({ host: '127.0.0.1', port: 0, timeScale: 20 });
  const c = host.createCluster({});
  access = { server: host.url, token: c.token };
});
after(() => host.close());

const create = async (path: string, body: unknown) => {
  const r = await kubeRequest(access, 'POST', path, body);
  assert.ok(r.status < 300, `${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
};

test('a fresh cluster: no Travels pods, no rules, graph read', async () => {
  const b = await readMeshBadges(access);
  assert.deepEqual(b.sidecars, { injected: 0, total: 0 });
  assert.equal(b.routingRules, 0);
  assert.equal(b.error, undefined);
  assert.notEqual(b.trafficRps, null, 'the Kiali graph answered through the service proxy');
});

test('injected pods, routing rules and policies show up', async () => {
  await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'travel-agency', labels: { 'istio-injection': 'enabled' } } });
  await create('/apis/apps/v1/namespaces/travel-agency/deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hotels-v1' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'hotels', version: 'v1' } },
      template: { metadata: { labels: { app: 'hotels', version: 'v1' } }, spec: { containers: [{ name: 'hotels', image: 'kiali/demo_travels_hotels:v1' }] } } },
  });
  await create('/apis/networking.istio.io/v1/namespaces/travel-agency/virtualservices', {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'hotels' },
    spec: { hosts: ['hotels'], http: [{ route: [{ destination: { host: 'hotels' } }] }] },
  });
  await create('/apis/security.istio.io/v1/namespaces/travel-agency/authorizationpolicies', {
    apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny-all' }, spec: {},
  });
  let b = await readMeshBadges(access);
  for (let i = 0; i < 50 && b.sidecars.injected === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    b = await readMeshBadges(access);
  }
  assert.equal(b.sidecars.total, 1);
  assert.equal(b.sidecars.injected, 1, 'the pod got an istio-proxy sidecar');
  assert.equal(b.routingRules, 1);
  assert.equal(b.authorizationPolicies, 1);
});

test('an unreachable cluster gives an error badge, not a crash', async () => {
  const b = await readMeshBadges({ server: 'http://127.0.0.1:9', token: 'x' });
  assert.ok(b.error);
  assert.equal(b.trafficRps, null);
});
