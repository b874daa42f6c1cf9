/** The graph view model against the recorded Kiali graphs: labels, health colours, badges, boxes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { KialiGraph } from './kiali-types.ts';
import { DEFAULT_OPTIONS, edgeLabel, toGraphView, type GraphViewOptions } from './mesh-graph-model.ts';
import { healthOfPercentages } from './mesh-health.ts';

const load = (name: string): KialiGraph => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as KialiGraph;
const opts = (o: Partial<GraphViewOptions> = {}): GraphViewOptions => ({ ...DEFAULT_OPTIONS, namespaces: ['travel-agency', 'travel-portal', 'travel-control'], ...o });

test('Kiali health thresholds: any 5xx degrades, 10% 5xx fails, 4xx at 10%/20%', () => {
  assert.equal(healthOfPercentages(0, 0), 'healthy');
  assert.equal(healthOfPercentages(0, 0.1), 'degraded');
  assert.equal(healthOfPercentages(0, 10), 'failure');
  assert.equal(healthOfPercentages(9.9, 0), 'healthy');
  assert.equal(healthOfPercentages(10, 0), 'degraded');
  assert.equal(healthOfPercentages(20, 0), 'failure');
});

test('observe: namespace boxes are added, app boxes kept, versions labelled inside their box', () => {
  const g = load('graph-observe-versionedApp');
  const before = JSON.stringify(g);
  const v = toGraphView(g, opts());
  assert.equal(JSON.stringify(g), before, 'input graph must not be mutated');
  const nsBoxes = v.nodes.filter((n) => n.box === 'namespace').map((n) => n.lines[0]).sort();
  assert.deepEqual(nsBoxes, ['travel-agency', 'travel-portal']);
  const hotelsV1 = v.nodes.find((n) => n.data.workload === 'hotels-v1')!;
  assert.deepEqual(hotelsV1.lines, ['v1']);
  assert.equal(v.nodes.find((n) => n.id === hotelsV1.parent)?.box, 'app');
  const voyages = v.nodes.find((n) => n.data.app === 'voyages')!;
  assert.deepEqual(voyages.lines, ['voyages', 'v1']);
  assert.deepEqual(voyages.badges, ['root']);
  assert.ok(v.edges.every((e) => e.health === 'healthy'));
  assert.equal(v.edges.filter((e) => e.protocol === 'tcp').length, 5); // 4 leaves → mysqldb service → mysqldb v1
});

test('without namespace boxes, nodes of other namespaces name their namespace', () => {
  const v = toGraphView(load('graph-first-steps-versionedApp'), opts({ namespaces: ['travel-control'], boxNamespaces: false }));
  const gw = v.nodes.find((n) => n.data.app === 'istio-ingressgateway')!;
  assert.deepEqual(gw.lines, ['istio-ingressgateway', 'latest', '(istio-system)']);
  assert.ok(gw.outside);
  assert.deepEqual(gw.badges, ['root', 'gateway']);
  assert.equal(gw.hosts, 1);
  const missing = v.nodes.filter((n) => n.badges.includes('missingSidecar'));
  assert.equal(missing.length, 3);
});

test('circuit breaking: the loadtester edge and node fail, travels service carries the CB badge', () => {
  const v = toGraphView(load('graph-circuit-breaking-versionedApp'), opts({ edgeLabels: ['rate'] }));
  const lt = v.nodes.find((n) => n.data.app === 'loadtester')!;
  assert.equal(lt.health, 'failure');
  const failing = v.edges.filter((e) => e.health === 'failure');
  assert.ok(failing.some((e) => e.source === lt.id && e.label === '13.81rps\n65.0% err'));
  const svc = v.nodes.find((n) => n.kind === 'service' && n.data.service === 'travels' && n.data.namespace === 'travel-agency')!;
  assert.deepEqual(svc.badges, ['cb']);
});

test('timeouts: routing badges replace the plain VS badge; 504 UT makes the voyages edge red', () => {
  const v = toGraphView(load('graph-timeouts-versionedApp'), opts());
  const svc = v.nodes.find((n) => n.kind === 'service' && n.data.service === 'travels' && n.data.namespace === 'travel-agency')!;
  assert.deepEqual(svc.badges, ['requestRouting', 'timeout']);
  const voyages = v.nodes.find((n) => n.data.app === 'voyages')!;
  const e = v.edges.find((x) => x.source === voyages.id)!;
  assert.equal(e.health, 'failure');
  assert.deepEqual(Object.keys(e.data.traffic!.responses!), ['504']);
});

test('edge labels: distribution omitted at 100 %, response time in s from 1000 ms, TCP in kbps', () => {
  const edge = { id: 'e', source: 'a', target: 'b', responseTime: '5012', traffic: { protocol: 'http' as const, rates: { http: '0.80', httpPercentReq: '100.0' } } };
  assert.deepEqual(edgeLabel(edge, ['rate', 'distribution', 'responseTime']), ['0.80rps', '5.01s']);
  assert.deepEqual(edgeLabel({ ...edge, responseTime: '45', traffic: { protocol: 'http', rates: { http: '1', httpPercentReq: '33.3' } } }, ['distribution', 'responseTime']), ['33.3%', '45ms']);
  assert.deepEqual(edgeLabel({ id: 't', source: 'a', target: 'b', traffic: { protocol: 'tcp', rates: { tcp: '2048' } } }, ['rate', 'responseTime']), ['2.00kbps']);
});

test('security: mTLS marks only when the Security display option is on', () => {
  const g = load('graph-secure-versionedApp');
  assert.equal(toGraphView(g, opts()).edges.filter((e) => e.mtls).length, 0);
  const on = toGraphView(g, opts({ showSecurity: true }));
  assert.equal(on.edges.filter((e) => e.mtls).length, on.edges.length);
  assert.ok(on.edges.some((e) => e.health === 'failure' && e.data.traffic?.responses?.['403']));
});

test('every recorded graph converts without losing nodes or edges', () => {
  for (const sc of ['install', 'first-steps', 'observe', 'request-routing', 'fault-injection', 'traffic-shifting', 'tcp-shifting', 'timeouts', 'circuit-breaking', 'mirroring', 'secure']) {
    for (const t of ['versionedApp', 'app', 'workload', 'service']) {
      const g = load(`graph-${sc}-${t}`);
      const v = toGraphView(g, opts());
      assert.equal(v.edges.length, g.elements.edges?.length ?? 0, `${sc}/${t}`);
      const ids = new Set(v.nodes.map((n) => n.id));
      assert.ok(v.edges.every((e) => ids.has(e.source) && ids.has(e.target)), `${sc}/${t}: dangling edge`);
    }
  }
});
