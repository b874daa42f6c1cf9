/**
 * Pure view models of the mesh views (graph, metrics) against the recorded Kiali JSON: labels, health
 * colours, badges, boxes, regrouping, reporters, names, units. Browserless, run by Playwright with the
 * other mesh specs (components/ may not import node:* modules, so these tests live here).
 */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { KialiGraph } from '../../components/client/kiali-types.ts';
import { DEFAULT_OPTIONS, edgeLabel, toGraphView, type GraphViewOptions } from '../../components/client/mesh-graph-model.ts';
import { healthOfPercentages } from '../../components/client/mesh-health.ts';
import type { KialiDashboard } from '../../components/client/kiali-types.ts';
import { chartsToShow, regroup, resolveGroupBy, seriesName, unitScale } from '../../components/client/kiali-metrics-model.ts';

const load = (name: string): KialiGraph => JSON.parse(readFileSync(new URL(`../../components/client/fixtures/${name}.json`, import.meta.url), 'utf8')) as KialiGraph;
const opts = (o: Partial<GraphViewOptions> = {}): GraphViewOptions => ({ ...DEFAULT_OPTIONS, namespaces: ['travel-agency', 'travel-portal', 'travel-control'], ...o });

test('Kiali health thresholds: any 5xx degrades, 10% 5xx fails, 4xx at 10%/20%', () => {
  expect(healthOfPercentages(0, 0)).toBe('healthy');
  expect(healthOfPercentages(0, 0.1)).toBe('degraded');
  expect(healthOfPercentages(0, 10)).toBe('failure');
  expect(healthOfPercentages(9.9, 0)).toBe('healthy');
  expect(healthOfPercentages(10, 0)).toBe('degraded');
  expect(healthOfPercentages(20, 0)).toBe('failure');
});

test('observe: namespace boxes are added, app boxes kept, versions labelled inside their box', () => {
  const g = load('graph-observe-versionedApp');
  const before = JSON.stringify(g);
  const v = toGraphView(g, opts());
  expect(JSON.stringify(g), 'input graph must not be mutated').toBe(before);
  const nsBoxes = v.nodes.filter((n) => n.box === 'namespace').map((n) => n.lines[0]).sort();
  expect(nsBoxes).toEqual(['travel-agency', 'travel-portal']);
  const hotelsV1 = v.nodes.find((n) => n.data.workload === 'hotels-v1')!;
  expect(hotelsV1.lines).toEqual(['v1']);
  expect(v.nodes.find((n) => n.id === hotelsV1.parent)?.box).toBe('app');
  const voyages = v.nodes.find((n) => n.data.app === 'voyages')!;
  expect(voyages.lines).toEqual(['voyages', 'v1']);
  expect(voyages.badges).toEqual(['root']);
  expect(v.edges.every((e) => e.health === 'healthy')).toBeTruthy();
  expect(v.edges.filter((e) => e.protocol === 'tcp').length).toBe(5); // 4 leaves → mysqldb service → mysqldb v1
});

test('without namespace boxes, nodes of other namespaces name their namespace', () => {
  const v = toGraphView(load('graph-first-steps-versionedApp'), opts({ namespaces: ['travel-control'], boxNamespaces: false }));
  const gw = v.nodes.find((n) => n.data.app === 'istio-ingressgateway')!;
  expect(gw.lines).toEqual(['istio-ingressgateway', 'latest', '(istio-system)']);
  expect(gw.outside).toBeTruthy();
  expect(gw.badges).toEqual(['root', 'gateway']);
  expect(gw.hosts).toBe(1);
});

test('missing-sidecar badge on workloads flagged by Kiali, only while that display option is on', () => {
  const g = load('graph-first-steps-versionedApp');
  const control = g.elements.nodes!.find((n) => n.data.app === 'control' && n.data.nodeType === 'app')!;
  control.data.hasMissingSC = true;
  expect(toGraphView(g, opts()).nodes.filter((n) => n.badges.includes('missingSidecar')).map((n) => n.data.app)).toEqual(['control']);
  expect(toGraphView(g, opts({ showMissingSidecars: false })).nodes.filter((n) => n.badges.includes('missingSidecar'))).toHaveLength(0);
});

test('circuit breaking: the loadtester edge and node fail, travels service carries the CB badge', () => {
  const v = toGraphView(load('graph-circuit-breaking-versionedApp'), opts({ edgeLabels: ['rate'] }));
  const lt = v.nodes.find((n) => n.data.app === 'loadtester')!;
  expect(lt.health).toBe('failure');
  const failing = v.edges.filter((e) => e.health === 'failure');
  expect(failing.some((e) => e.source === lt.id && e.label === '13.81rps\n65.0% err')).toBeTruthy();
  const svc = v.nodes.find((n) => n.kind === 'service' && n.data.service === 'travels' && n.data.namespace === 'travel-agency')!;
  expect(svc.badges).toEqual(['cb']);
});

test('timeouts: routing badges replace the plain VS badge; 504 UT makes the voyages edge red', () => {
  const v = toGraphView(load('graph-timeouts-versionedApp'), opts());
  const svc = v.nodes.find((n) => n.kind === 'service' && n.data.service === 'travels' && n.data.namespace === 'travel-agency')!;
  expect(svc.badges).toEqual(['requestRouting', 'timeout']);
  const voyages = v.nodes.find((n) => n.data.app === 'voyages')!;
  const e = v.edges.find((x) => x.source === voyages.id)!;
  expect(e.health).toBe('failure');
  expect(Object.keys(e.data.traffic!.responses!)).toEqual(['504']);
});

test('edge labels: distribution omitted at 100 %, response time in s from 1000 ms, TCP in kbps', () => {
  const edge = { id: 'e', source: 'a', target: 'b', responseTime: '5012', traffic: { protocol: 'http' as const, rates: { http: '0.80', httpPercentReq: '100.0' } } };
  expect(edgeLabel(edge, ['rate', 'distribution', 'responseTime'])).toEqual(['0.80rps', '5.01s']);
  expect(edgeLabel({ ...edge, responseTime: '45', traffic: { protocol: 'http', rates: { http: '1', httpPercentReq: '33.3' } } }, ['distribution', 'responseTime'])).toEqual(['33.3%', '45ms']);
  expect(edgeLabel({ id: 't', source: 'a', target: 'b', traffic: { protocol: 'tcp', rates: { tcp: '2048' } } }, ['rate', 'responseTime'])).toEqual(['2.00kbps']);
});

test('security: mTLS marks only when the Security display option is on', () => {
  const g = load('graph-secure-versionedApp');
  expect(toGraphView(g, opts()).edges.filter((e) => e.mtls).length).toBe(0);
  const on = toGraphView(g, opts({ showSecurity: true }));
  expect(on.edges.filter((e) => e.mtls).length).toBe(on.edges.length);
  expect(on.edges.some((e) => e.health === 'failure' && e.data.traffic?.responses?.['403'])).toBeTruthy();
});

test('every recorded graph converts without losing nodes or edges', () => {
  const types = ['versionedApp', 'app', 'workload', 'service', 'versionedApp-no-service-nodes', 'app-no-service-nodes', 'workload-no-service-nodes'];
  for (const sc of ['install', 'first-steps', 'observe', 'request-routing-before', 'request-routing', 'fault-injection', 'traffic-shifting', 'tcp-shifting', 'timeouts', 'circuit-breaking', 'mirroring', 'secure', 'secure-edited']) {
    for (const t of types) {
      const g = load(`graph-${sc}-${t}`);
      const v = toGraphView(g, opts());
      expect(v.edges.length, `${sc}/${t}`).toBe(g.elements.edges?.length ?? 0);
      const ids = new Set(v.nodes.map((n) => n.id));
      expect(v.edges.every((e) => ids.has(e.source) && ids.has(e.target)), `${sc}/${t}: dangling edge`).toBeTruthy();
    }
  }
});


const loadDash = (n: string): KialiDashboard => JSON.parse(readFileSync(new URL(`../../components/client/fixtures/${n}.json`, import.meta.url), 'utf8')) as KialiDashboard;
const last = (pts: [number, string][]): number => Number(pts.at(-1)![1]);

test('group-by choices map to Kiali labels per direction; raw labels pass through', () => {
  expect(resolveGroupBy(['localVersion', 'remoteApp'], 'inbound')).toEqual(['destination_canonical_revision', 'source_canonical_service']);
  expect(resolveGroupBy(['localVersion', 'remoteApp'], 'outbound')).toEqual(['source_canonical_revision', 'destination_canonical_service']);
  expect(resolveGroupBy(['response_code', 'response_code'], 'outbound')).toEqual(['response_code']);
});

test('traffic shifting: inbound volume by local version is about 80/10/10', () => {
  const d = regroup(loadDash('dashboard-traffic-shifting-travel-agency-apps-travels-inbound'), ['destination_canonical_revision'], 'destination');
  const vol = d.charts.find((c) => c.name === 'Request volume')!.metrics.filter((m) => m.name === 'request_count');
  expect(vol.map((m) => m.labels.destination_canonical_revision).sort()).toEqual(['v1', 'v2', 'v3']);
  const avg = (m: (typeof vol)[0]) => m.datapoints.reduce((a, [, v]) => a + Number(v), 0) / m.datapoints.length;
  const total = vol.reduce((a, m) => a + avg(m), 0);
  const share = Object.fromEntries(vol.map((m) => [m.labels.destination_canonical_revision, (avg(m) / total) * 100]));
  expect(Math.abs(share.v1 - 80) < 3 && Math.abs(share.v2 - 10) < 3, JSON.stringify(share)).toBeTruthy();
});

test('mirroring: v3 only in destination-reported telemetry', () => {
  const raw = loadDash('dashboard-mirroring-travel-agency-apps-travels-inbound');
  const versions = (rep: 'source' | 'destination') => regroup(raw, ['destination_canonical_revision'], rep)
    .charts[0].metrics.filter((m) => m.name === 'request_count').map((m) => m.labels.destination_canonical_revision).sort();
  expect(versions('source')).toEqual(['v1', 'v2']);
  expect(versions('destination')).toEqual(['v1', 'v2', 'v3']);
});

test('fault injection: ~5 s at the source, normal at the destination', () => {
  const raw = loadDash('dashboard-fault-injection-travel-agency-services-hotels-inbound');
  const avgOf = (rep: 'source' | 'destination') => regroup(raw, [], rep).charts[1].metrics.find((m) => m.stat === 'avg')!;
  expect(last(avgOf('source').datapoints) > 3, 'source avg in seconds').toBeTruthy();
  expect(last(avgOf('destination').datapoints) < 0.1, 'destination avg in seconds').toBeTruthy();
});

test('circuit breaking and security: outbound codes of the loadtester', () => {
  const codes = (n: string) => regroup(loadDash(n), ['response_code'], 'source').charts[0].metrics.filter((m) => m.name === 'request_count').map((m) => m.labels.response_code).sort();
  expect(codes('dashboard-circuit-breaking-travel-portal-workloads-loadtester-outbound')).toEqual(['200', '503']);
  expect(codes('dashboard-secure-travel-portal-workloads-loadtester-outbound')).toEqual(['403']);
});

test('series names and units read like Kiali', () => {
  const d = regroup(loadDash('dashboard-observe-travel-agency-workloads-travels-v1-outbound'), ['destination_canonical_service'], 'source');
  const dur = d.charts.find((c) => c.name === 'Request duration')!;
  expect(dur.metrics.map((m) => seriesName(m, ['destination_canonical_service'], dur)).includes('avg,hotels')).toBeTruthy();
  expect(unitScale('seconds', 0.05).axis).toBe('ms');
  expect(unitScale('bytes', 1250).axis).toBe('kB');
  expect(chartsToShow(d, undefined).map((c) => c.name)).toEqual(['Request volume', 'Request duration', 'Request size', 'Response size']);
  const tcp = loadDash('dashboard-tcp-shifting-travel-agency-apps-mysqldb-inbound');
  expect(chartsToShow(tcp, undefined).map((c) => c.name)).toEqual(['TCP opened', 'TCP closed', 'TCP received', 'TCP sent']);
});
