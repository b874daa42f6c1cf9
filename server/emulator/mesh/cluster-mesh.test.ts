/**
 * The mesh inside a whole emulated cluster (seed, controllers, admission with sidecar injection):
 * the tutorial's manifests written through admission, minutes on a manual clock, then the Kiali API
 * and istiod's debug endpoints as the API server's service proxy calls them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { admit } from '../admission/index.ts';
import { createManualClock } from '../clock.ts';
import { Cluster } from '../cluster.ts';
import { handleKiali } from '../kiali/handler.ts';
import type { KObject } from '../store/types.ts';
import { handleIngress } from './ingress.ts';
import { handleServiceRequest } from './service-proxy.ts';
import { controlGateway } from './testing/chapter-objects.ts';

const MANIFESTS = new URL('../../../labs/travels/manifests/', import.meta.url);

/** Advances the manual clock a second at a time, letting the controllers flush (they run on microtasks). */
async function runFor(clock: ReturnType<typeof createManualClock>, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1000) {
    clock.advance(1000);
    await new Promise((r) => setImmediate(r));
  }
}

function write(cluster: Cluster, obj: KObject): void {
  const ctx = cluster.ctx;
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const info = ctx.registry.byKind(obj.apiVersion, obj.kind);
  assert.ok(info, `no resource for ${obj.apiVersion} ${obj.kind}`);
  const full = { ...obj, metadata: { ...obj.metadata, uid: obj.metadata.uid ?? '', resourceVersion: obj.metadata.resourceVersion ?? '', creationTimestamp: obj.metadata.creationTimestamp ?? '' } } as KObject;
  const admitted = admit(ctx, 'CREATE', { ...info, group, version }, full);
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ...meta } = admitted.metadata;
  ctx.store.create({ group: info.group, resource: info.resource }, { ...admitted, metadata: meta });
}

function applyFile(cluster: Cluster, file: string, ns: string): void {
  for (const doc of parseAllDocuments(readFileSync(new URL(file, MANIFESTS), 'utf8'))) {
    const obj = doc.toJSON() as KObject | null;
    if (!obj?.kind) continue;
    obj.metadata.namespace ??= ns;
    write(cluster, obj);
  }
}

function travelsCluster(): { cluster: Cluster; clock: ReturnType<typeof createManualClock> } {
  const clock = createManualClock(Date.UTC(2026, 0, 1, 10));
  const cluster = Cluster.create({ clock, seed: 11 });
  for (const ns of ['travel-agency', 'travel-portal', 'travel-control']) {
    write(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio-injection': 'enabled' } } } as unknown as KObject);
  }
  applyFile(cluster, 'travel_agency.yaml', 'travel-agency');
  applyFile(cluster, 'travel_portal.yaml', 'travel-portal');
  applyFile(cluster, 'travel_control.yaml', 'travel-control');
  return { cluster, clock };
}

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
      assert.equal((await handleIngress(cluster, req)).status, 404);
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
