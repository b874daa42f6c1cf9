/**
 * The mesh inside a whole emulated cluster (seed, controllers, admission with sidecar injection):
 * the tutorial's manifests written through admission, minutes on a manual clock, then the Kiali API
 * and istiod's debug endpoints as the API server's service proxy calls them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handleKiali } from '../kiali/handler.ts';
import { handleIngress } from './ingress.ts';
import { handleServiceRequest } from './service-proxy.ts';
import { controlGateway } from './testing/chapter-objects.ts';
import { runFor, travelsCluster, write } from './testing/cluster-fixture.ts';

describe('mesh in an emulated cluster', () => {
  it('turns the applied manifests into Kiali graph traffic', async () => {
    const { cluster, clock } = travelsCluster();
    try {
      await runFor(clock, 11 * 60000);
      const q = new URLSearchParams({ namespaces: 'travel-portal,travel-agency', graphType: 'versionedApp', injectServiceNodes: 'true', duration: '600s' });
      const r = await handleKiali(cluster, '/api/namespaces/graph', q);
      assert.equal(r.status, 200);
      const g = JSON.parse(r.body) as { elements: { nodes: { data: { nodeType: string; service?: string; app?: string } }[]; edges: unknown[] } };
      assert.ok(g.elements.edges.length >= 15, `edges: ${g.elements.edges.length}`);
      assert.ok(g.elements.nodes.some((n) => n.data.nodeType === 'service' && n.data.service === 'hotels'));
      const wl = JSON.parse((await handleKiali(cluster, '/api/namespaces/travel-agency/workloads', new URLSearchParams())).body) as { workloads: { istioSidecar: boolean }[] };
      assert.ok(wl.workloads.length >= 7 && wl.workloads.every((w) => w.istioSidecar));
      const logs = cluster.ctx.logs.read('travel-agency', cluster.mesh!.sim.topo.pods.find((p) => p.workload.name === 'travels-v1')!.name, 'travels', {});
      assert.ok(logs.some((l) => l.includes('GetDestinations from [')), 'travels app log lines');
    } finally {
      cluster.dispose();
    }
  });

  it('serves istioctl and the ingress through the service proxy handlers', async () => {
    const { cluster, clock } = travelsCluster();
    try {
      await runFor(clock, 60000);
      const v = await handleServiceRequest(cluster, 'istio-system', 'istiod', '15014', { host: '', method: 'GET', path: '/debug/istioctl/version', headers: {} });
      assert.match(v.body, /^#exit=0\nclient version: /);
      const req = { host: '', method: 'GET', path: '/status', headers: { 'x-forwarded-host': 'control.travel-control.istio-cluster.org' } };
      const refused = await handleIngress(cluster, req);
      assert.equal(refused.status, 503, 'no Gateway listens on port 80 yet');
      assert.equal(refused.headers.server, undefined, 'the refusal does not come from Envoy');
      for (const o of controlGateway()) write(cluster, o);
      await runFor(clock, 1000);
      const ok = await handleIngress(cluster, req);
      assert.equal(ok.status, 200, ok.body);
      assert.equal((JSON.parse(ok.body) as unknown[]).length, 3);
    } finally {
      cluster.dispose();
    }
  });
});
