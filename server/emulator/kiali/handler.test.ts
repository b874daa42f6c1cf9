/**
 * The Kiali-compatible API over the simulated mesh, through handleKiali as the API server's service
 * proxy calls it: graph types and shapes, node graphs, metrics dashboards, lists, health, traces,
 * Istio config, and errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cluster } from '../cluster.ts';
import { LogBook } from '../logs/log-book.ts';
import { circuitBreaker, controlGateway, dr, faultInjection, trafficShifting, vs } from '../mesh/testing/chapter-objects.ts';
import { ingress } from '../mesh/ingress.ts';
import { harness, type Harness } from '../mesh/testing/harness.ts';
import { handleKiali, toClusterTime } from './handler.ts';

function fakeCluster(h: Harness): Cluster {
  return { mesh: h, ctx: { logs: new LogBook() } } as unknown as Cluster;
}

async function get<T>(c: Cluster, path: string, q: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const r = await handleKiali(c, path, new URLSearchParams(q));
  assert.equal(r.contentType, 'application/json');
  return { status: r.status, body: JSON.parse(r.body) as T };
}

interface Graph {
  timestamp: number;
  duration: number;
  graphType: string;
  elements: { nodes: { data: Record<string, unknown> }[]; edges: { data: Record<string, unknown> }[] };
}

const h = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio: [...trafficShifting(), ...faultInjection()] });
h.run(11 * 60000);
const c = fakeCluster(h);

describe('kiali graph API', () => {
  it('returns the Cytoscape envelope for each graph type', async () => {
    for (const graphType of ['app', 'versionedApp', 'workload', 'service']) {
      const r = await get<Graph>(c, '/api/namespaces/graph', { namespaces: 'travel-agency', graphType, duration: '600s', injectServiceNodes: 'true' });
      assert.equal(r.status, 200);
      assert.equal(r.body.graphType, graphType);
      assert.equal(r.body.duration, 600);
      assert.ok(r.body.elements.edges.length > 0, graphType);
      const types = new Set(r.body.elements.nodes.map((n) => n.data.nodeType));
      if (graphType === 'workload') assert.ok(types.has('workload') && !types.has('app'));
      if (graphType === 'app') assert.ok(types.has('app') && r.body.elements.nodes.every((n) => n.data.nodeType !== 'app' || n.data.version === undefined));
      if (graphType === 'service') assert.ok(!types.has('workload') || r.body.elements.nodes.filter((n) => n.data.nodeType === 'workload').every((n) => n.data.isRoot || n.data.isOutside));
    }
  });

  it('puts response times on service → workload hops and direct edges only, as Kiali does (kiali-2297)', async () => {
    const q = { namespaces: 'travel-agency,travel-portal', duration: '600s', responseTime: '95' };
    const nodeType = (g: Graph) => new Map(g.elements.nodes.map((n) => [n.data.id, n.data.nodeType]));
    const injected = (await get<Graph>(c, '/api/namespaces/graph', { ...q, graphType: 'versionedApp', injectServiceNodes: 'true' })).body;
    const types = nodeType(injected);
    const http = injected.elements.edges.filter((e) => (e.data.traffic as { protocol: string }).protocol === 'http');
    const intoServices = http.filter((e) => types.get(e.data.target) === 'service');
    const fromServices = http.filter((e) => types.get(e.data.source) === 'service');
    assert.ok(intoServices.length > 3 && fromServices.length > 3);
    assert.deepEqual(intoServices.filter((e) => e.data.responseTime !== undefined).map((e) => e.data.id), [], 'no label on edges into service nodes');
    assert.ok(fromServices.every((e) => Number(e.data.responseTime) > 0), 'every service → workload hop has one');
    // The delay injected on calls to hotels shows where Kiali shows it: on the travels service → travels
    // hops (travels' proxy waits for hotels), not on hotels service → hotels-v1 (hotels' proxy answers fast).
    const data = new Map(injected.elements.nodes.map((n) => [n.data.id, n.data]));
    const hop = (svc: string) => fromServices.filter((e) => data.get(e.data.source)?.service === svc).map((e) => Number(e.data.responseTime));
    assert.ok(hop('travels').length > 0 && hop('travels').every((ms) => ms >= 4900), `travels hops ${hop('travels')}`);
    assert.ok(hop('hotels').length > 0 && hop('hotels').every((ms) => ms < 1000), `hotels hops ${hop('hotels')}`);
    const plain = (await get<Graph>(c, '/api/namespaces/graph', { ...q, graphType: 'workload', injectServiceNodes: 'false' })).body;
    const direct = plain.elements.edges.filter((e) => (e.data.traffic as { protocol: string }).protocol === 'http');
    assert.ok(direct.length > 3 && direct.every((e) => Number(e.data.responseTime) > 0), 'without service nodes every HTTP edge has one');
    const services = (await get<Graph>(c, '/api/namespaces/graph', { ...q, graphType: 'service' })).body;
    assert.deepEqual(services.elements.edges.filter((e) => e.data.responseTime !== undefined).map((e) => e.data.id), [], 'the service graph has none');
  });

  it('counts only successful responses: aborts and an open circuit breaker give edges into service nodes no 0 ms label', async () => {
    const istio = [
      ...circuitBreaker(),
      dr('hotels', ['v1']),
      vs('hotels', { http: [{ fault: { abort: { percentage: { value: 50 }, httpStatus: 503 } }, route: [{ destination: { host: 'hotels.travel-agency.svc.cluster.local', subset: 'v1' } }] }] }),
    ];
    const g = harness({ travelsVersions: ['v1', 'v2', 'v3'], loadtester: true, istio });
    g.run(3 * 60000);
    const graph = (await get<Graph>(fakeCluster(g), '/api/namespaces/graph', {
      namespaces: 'travel-agency,travel-portal', duration: '180s', responseTime: '95', graphType: 'versionedApp', injectServiceNodes: 'true',
    })).body;
    const types = new Map(graph.elements.nodes.map((n) => [n.data.id, n.data.nodeType]));
    const codes = (e: { data: Record<string, unknown> }) => Object.keys((e.data.traffic as { responses?: Record<string, unknown> }).responses ?? {});
    const intoServices = graph.elements.edges.filter((e) => types.get(e.data.target) === 'service');
    assert.ok(intoServices.some((e) => codes(e).includes('503')), 'the 503s (FI, UO) are on edges into service nodes');
    assert.deepEqual(intoServices.filter((e) => e.data.responseTime !== undefined).map((e) => `${e.data.id} ${e.data.responseTime}`), []);
    const intoHotels = graph.elements.edges.filter((e) => types.get(e.data.source) === 'service' && String(e.data.target).length > 0
      && graph.elements.nodes.find((n) => n.data.id === e.data.target)?.data.app === 'hotels');
    assert.ok(intoHotels.length > 0 && intoHotels.every((e) => Number(e.data.responseTime) > 0), 'hotels service → hotels-v1 keeps its time');
  });

  it('badges a service with the VirtualService of its namespace that routes to it, as the gateway\'s does for control', async () => {
    const g = harness({ injected: ['travel-control'], istio: controlGateway() });
    for (let i = 0; i < 20; i++) {
      ingress(g, { host: 'control.travel-control.istio-cluster.org', method: 'GET', path: '/', headers: { 'x-forwarded-host': 'control.travel-control.istio-cluster.org' } });
      g.run(1000);
    }
    const r = await get<Graph>(fakeCluster(g), '/api/namespaces/graph', { namespaces: 'travel-control', graphType: 'versionedApp', injectServiceNodes: 'true', duration: '60s' });
    const control = r.body.elements.nodes.find((n) => n.data.nodeType === 'service' && n.data.service === 'control')?.data;
    assert.ok(control, JSON.stringify(r.body.elements.nodes.map((n) => n.data.id)));
    assert.deepEqual(control.hasVS, { hostnames: ['control.travel-control.istio-cluster.org'] });
  });

  it('puts Istio badges on service nodes and error-free rates on edges', async () => {
    const r = await get<Graph>(c, '/api/namespaces/graph', { namespaces: 'travel-agency', graphType: 'versionedApp', injectServiceNodes: 'true' });
    const hotels = r.body.elements.nodes.find((n) => n.data.nodeType === 'service' && n.data.service === 'hotels')!.data;
    assert.equal(hotels.hasFaultInjection, true);
    assert.deepEqual(hotels.hasVS, { hostnames: ['hotels.travel-agency.svc.cluster.local'] });
    const travels = r.body.elements.nodes.find((n) => n.data.nodeType === 'service' && n.data.service === 'travels')!.data;
    assert.equal(travels.hasTrafficShifting, true);
    for (const e of r.body.elements.edges) {
      const t = e.data.traffic as { protocol: string; rates: Record<string, string> };
      assert.ok(['http', 'tcp'].includes(t.protocol));
      assert.equal(t.rates.httpPercentErr, undefined, 'no errors in this scenario');
    }
  });

  it('builds node graphs around one workload', async () => {
    const r = await get<Graph>(c, '/api/namespaces/travel-agency/workloads/hotels-v1/graph', { graphType: 'workload', injectServiceNodes: 'true' });
    assert.equal(r.status, 200);
    const names = r.body.elements.nodes.map((n) => n.data.workload ?? n.data.service);
    assert.ok(names.includes('hotels-v1') && names.includes('discounts'), names.join(','));
    assert.ok(!names.includes('cars-v1'), 'unrelated workloads stay out');
  });

  it('rejects a graph request without namespaces or with a bad graph type', async () => {
    assert.equal((await get(c, '/api/namespaces/graph', {})).status, 400);
    assert.equal((await get(c, '/api/namespaces/graph', { namespaces: 'x', graphType: 'nope' })).status, 400);
    assert.equal((await get(c, '/api/nothing/here')).status, 404);
  });
});

describe('kiali metrics, lists, health, traces', () => {
  it('serves the inbound dashboard grouped by local version', async () => {
    const r = await get<{ title: string; charts: { name: string; metrics: { labels: Record<string, string>; datapoints: [number, string][] }[] }[] }>(
      c, '/api/namespaces/travel-agency/services/travels/dashboard', { direction: 'inbound', reporter: 'destination', duration: '600', 'byLabels[]': 'destination_canonical_revision' });
    assert.equal(r.body.title, 'Inbound Metrics');
    const vol = r.body.charts.find((x) => x.name === 'Request volume')!;
    const versions = vol.metrics.map((m) => m.labels.destination_canonical_revision).sort();
    assert.deepEqual([...new Set(versions)], ['v1', 'v2', 'v3']);
    assert.ok(vol.metrics[0].datapoints.length > 10);
    assert.ok(r.body.charts.some((x) => x.name === 'TCP sent'));
  });

  it('TCP charts read as Kiali\'s do for mysqldb: sent (the rows) several times received (the queries)', async () => {
    const r = await get<{ charts: { name: string; metrics: { datapoints: [number, string][] }[] }[] }>(
      c, '/api/namespaces/travel-agency/services/mysqldb/dashboard', { direction: 'inbound', reporter: 'destination', duration: '600' });
    const total = (name: string) => r.body.charts.find((x) => x.name === name)!.metrics.flatMap((m) => m.datapoints).reduce((s, [, v]) => s + (Number(v) || 0), 0);
    assert.ok(total('TCP sent') > 2 * total('TCP received'), `sent ${total('TCP sent')} received ${total('TCP received')}`);
  });

  it('lists workloads, apps and services with health', async () => {
    const w = await get<{ workloads: { name: string; istioSidecar: boolean; health: { requests: { inbound: Record<string, Record<string, number>> } } }[] }>(c, '/api/namespaces/travel-agency/workloads');
    const hotels = w.body.workloads.find((x) => x.name === 'hotels-v1')!;
    assert.equal(hotels.istioSidecar, true);
    assert.ok(hotels.health.requests.inbound.http['200'] > 0);
    const a = await get<{ applications: { name: string }[] }>(c, '/api/namespaces/travel-agency/apps');
    assert.ok(a.body.applications.some((x) => x.name === 'travels'));
    const s = await get<{ services: { name: string; istioReferences: { objectType: string }[] }[] }>(c, '/api/namespaces/travel-agency/services');
    assert.deepEqual(s.body.services.find((x) => x.name === 'travels')!.istioReferences.map((x) => x.objectType).sort(), ['DestinationRule', 'VirtualService']);
    const health = await get<Record<string, unknown>>(c, '/api/namespaces/travel-agency/health', { type: 'workload' });
    assert.ok('cars-v1' in health.body);
    const details = await get<{ pods: unknown[] }>(c, '/api/namespaces/travel-agency/workloads/cars-v1');
    assert.equal(details.body.pods.length, 1);
  });

  it('returns sampled traces in Jaeger shape, filterable by tag', async () => {
    const r = await get<{ data: { traceID: string; spans: { tags: { key: string; value: unknown }[] }[] }[] }>(
      c, '/api/namespaces/travel-agency/apps/travels/traces', { limit: '20', tags: JSON.stringify({ 'http.header.portal': 'viaggi.it' }) });
    assert.ok(r.body.data.length > 0);
    for (const t of r.body.data) assert.ok(t.spans.some((s) => s.tags.some((x) => x.key === 'http.header.portal' && x.value === 'viaggi.it')));
  });

  it('serves raw namespace metrics for the Overview sparklines', async () => {
    const r = await get<Record<string, { datapoints: [number, string][] }[]>>(c, '/api/namespaces/travel-agency/metrics',
      { 'filters[]': 'request_count', direction: 'inbound', reporter: 'destination', duration: '600', step: '60' });
    assert.deepEqual(Object.keys(r.body), ['request_count']);
    assert.ok(r.body.request_count[0].datapoints.some(([, v]) => Number(v) > 0));
  });

  it('lists the Istio config of a namespace', async () => {
    const r = await get<{ virtualServices: { metadata: { name: string } }[]; destinationRules: unknown[] }>(c, '/api/namespaces/travel-agency/istio');
    assert.deepEqual(r.body.virtualServices.map((v) => v.metadata.name).sort(), ['hotels', 'travels']);
    assert.equal(r.body.destinationRules.length, 2);
  });
});

describe('browser times on a fast cluster clock', () => {
  it('moves a window near the real now onto the cluster clock, keeping its length', () => {
    const real = 1_700_000_000_000;
    const cluster = real + 3_600_000;
    const q = toClusterTime(new URLSearchParams({ startMicros: String((real - 600000) * 1000), endMicros: String(real * 1000) }), cluster, real);
    assert.equal(Number(q.get('endMicros')) / 1000, cluster);
    assert.equal(Number(q.get('startMicros')) / 1000, cluster - 600000);
    const untouched = toClusterTime(new URLSearchParams({ queryTime: String(real / 1000 - 86400) }), cluster, real);
    assert.equal(untouched.get('queryTime'), String(real / 1000 - 86400));
  });
});
