/**
 * Chapter scenarios (travels-facts §5): the tutorial's Istio objects applied to the simulated Travels
 * mesh, minutes of traffic on a hand-moved clock, then the Kiali graph/metrics as the UI would read them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDashboard, parseDashboardRequest } from '../kiali/dashboard.ts';
import { serviceList, workloadList } from '../kiali/lists.ts';
import * as ch from './testing/chapter-objects.ts';
import { edge, graph, label, rate } from './testing/graph-helpers.ts';
import { harness, type Harness } from './testing/harness.ts';
import { spanTags } from './traces.ts';

const MIN = 60000;
const ALL = 'travel-portal,travel-agency,travel-control';

function share(values: number[]): number[] {
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => (100 * v) / total);
}

function outboundByCode(h: Harness, ns: string, workload: string, reporter = 'source'): Record<string, number> {
  const q = new URLSearchParams({ direction: 'outbound', reporter, duration: '600', byLabels: 'response_code' });
  const d = buildDashboard(h.sim.telemetry, parseDashboardRequest(q, ns, 'workloads', workload, Math.floor(h.now() / 1000))) as {
    charts: { name: string; metrics: { name: string; labels: Record<string, string>; datapoints: [number, string][] }[] }[];
  };
  const vol = d.charts.find((c) => c.name === 'Request volume')!;
  const out: Record<string, number> = {};
  for (const m of vol.metrics.filter((x) => x.name === 'request_count')) out[m.labels.response_code] = m.datapoints.reduce((a, [, v]) => a + Number(v), 0);
  return out;
}

describe('install: no sidecars', () => {
  it('shows an empty graph and Missing Sidecar everywhere', () => {
    const h = harness({ injected: [] });
    h.run(5 * MIN);
    const g = graph(h, { namespaces: ALL });
    assert.equal(g.edges.length, 0);
    const win = { fromMs: h.now() - 10 * MIN, toMs: h.now() };
    for (const w of workloadList(h, 'travel-agency', win).workloads) assert.equal(w.istioSidecar, false, w.name);
    for (const s of serviceList(h, 'travel-portal', win).services) assert.equal(s.istioSidecar, false, s.name);
  });

  it('a caller without a sidecar appears as the unknown source of an injected callee', () => {
    const h = harness({ injected: ['travel-agency'] });
    h.run(5 * MIN);
    const g = graph(h, { namespaces: 'travel-agency' });
    assert.ok(edge(g, 'unknown', 'travel-agency/svc:travels'), 'unknown → travels');
    assert.ok(!g.nodes.some((n) => n.namespace === 'travel-portal'), 'portals report nothing');
    const e = edge(g, 'unknown', 'travel-agency/svc:travels')!;
    assert.equal(e.isMTLS, undefined, 'plaintext from an un-injected caller');
  });
});

describe('observe: everything injected', () => {
  const h = harness({});
  h.run(11 * MIN);
  const g = graph(h, { namespaces: ALL });

  it('draws the call tree with hotels the hottest leaf', () => {
    const hotels = rate(edge(g, 'travel-agency/svc:hotels', 'travel-agency/hotels:v1'));
    const ins = rate(edge(g, 'travel-agency/svc:insurances', 'travel-agency/insurances:v1'));
    const flights = rate(edge(g, 'travel-agency/svc:flights', 'travel-agency/flights:v1'));
    assert.ok(hotels / ins > 1.6 && hotels / ins < 2.4, `hotels/insurances ${hotels}/${ins}`);
    assert.ok(hotels / flights > 2.2 && hotels / flights < 3.9, `hotels/flights ${hotels}/${flights}`);
    for (const p of ['voyages', 'viaggi', 'travels']) assert.ok(rate(edge(g, `travel-portal/${p}:v1`, 'travel-agency/svc:travels')) > 0.2, p);
    assert.ok(rate(edge(g, 'travel-agency/hotels:v1', 'travel-agency/svc:mysqldb'), 'tcp') > 0, 'TCP edge to mysqldb');
  });

  it('marks mTLS and principals on mesh edges', () => {
    const e = edge(g, 'travel-portal/voyages:v1', 'travel-agency/svc:travels')!;
    assert.equal(e.isMTLS, '100');
    assert.equal(e.sourcePrincipal, 'spiffe://cluster.local/ns/travel-portal/sa/default');
  });

  it('marks the portals as roots and keeps rates as 2-decimal strings', () => {
    const voyages = g.nodes.find((n) => label(n) === 'travel-portal/voyages:v1')!;
    assert.equal(voyages.isRoot, true);
    for (const e of g.edges) for (const v of Object.values(e.traffic.rates)) assert.match(v, /^\d+\.\d{1,2}$/);
  });

  it('samples about 10 % of the portal loops as traces with the business tags', () => {
    assert.ok(h.sim.traces.size > 10, `traces: ${h.sim.traces.size}`);
    const t = h.sim.traces.query(() => true, 0, Infinity, 1)[0];
    const tags = spanTags(t.spans[0]).map((x) => x.key);
    for (const k of ['http.header.portal', 'http.header.device', 'http.header.user', 'http.header.travel']) assert.ok(tags.includes(k), k);
  });

  it('records each portal request as its own trace: a destinations list or a quote', () => {
    const traces = h.sim.traces.query(() => true, 0, Infinity, 1000);
    const rootPaths = traces.map((t) => t.spans.filter((s) => s.kind === 'server' && s.app === 'travels').map((s) => s.url.replace(/.*:8000/, '')));
    for (const paths of rootPaths) assert.equal(paths.length, 1, `one travels request per trace, got ${paths.join(' ')}`);
    const lists = traces.filter((_, i) => rootPaths[i][0] === '/travels');
    const quotes = traces.filter((_, i) => rootPaths[i][0] !== '/travels');
    assert.ok(lists.length > 0 && quotes.length > 0, `${lists.length} lists, ${quotes.length} quotes`);
    for (const t of lists) assert.ok(!t.spans.some((s) => ['flights', 'cars', 'insurances', 'discounts'].includes(s.app)), 'a destinations list calls hotels only');
    assert.ok(quotes.some((t) => t.spans.some((s) => s.app === 'insurances')), 'quotes fan out');
  });
});

describe('request routing', () => {
  it('spreads each portal over v1/v2/v3 before, pins them after', () => {
    const before = harness({ travelsVersions: ['v1', 'v2', 'v3'] });
    before.run(11 * MIN);
    const gb = graph(before, { namespaces: 'travel-portal', graphType: 'workload', injectServiceNodes: 'false' });
    for (const v of ['v1', 'v2', 'v3']) assert.ok(rate(edge(gb, 'travel-portal/voyages', `travel-agency/travels-${v}`)) > 0.03, `voyages→${v}`);

    const after = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio: ch.requestRouting() });
    after.run(11 * MIN);
    const ga = graph(after, { namespaces: 'travel-portal', graphType: 'workload', injectServiceNodes: 'false' });
    const expected: Record<string, string> = { travels: 'v1', viaggi: 'v2', voyages: 'v3' };
    for (const [portal, v] of Object.entries(expected)) {
      for (const other of ['v1', 'v2', 'v3']) {
        const r = rate(edge(ga, `travel-portal/${portal}`, `travel-agency/travels-${other}`));
        if (other === v) assert.ok(r > 0.2, `${portal}→${other} ${r}`);
        else assert.equal(r, 0, `${portal}→${other}`);
      }
    }
  });
});

describe('fault injection: 5 s delay on hotels', () => {
  const h = harness({ istio: ch.faultInjection() });
  h.run(16 * MIN);

  it('shows ~5 s at the source proxy of travels→hotels only, all 200', () => {
    const q = (direction: string, reporter: string, kind: 'workloads', name: string, ns: string) => {
      const d = buildDashboard(h.sim.telemetry, parseDashboardRequest(new URLSearchParams({ direction, reporter, duration: '600', avg: 'true', quantiles: '0.5' }), ns, kind, name, Math.floor(h.now() / 1000))) as {
        charts: { name: string; metrics: { stat?: string; datapoints: [number, string][] }[] }[];
      };
      const pts = d.charts.find((c) => c.name === 'Request duration')!.metrics.find((m) => m.stat === 'avg')!.datapoints.map(([, v]) => Number(v));
      return Math.max(...pts);
    };
    const hotelsIn = q('inbound', 'destination', 'workloads', 'hotels-v1', 'travel-agency');
    assert.ok(hotelsIn < 0.5, `hotels destination duration ${hotelsIn}s`);
    const g = graph(h, { namespaces: ALL, graphType: 'workload', injectServiceNodes: 'false' });
    const th = edge(g, 'travel-agency/travels-v1', 'travel-agency/hotels-v1')!;
    assert.ok(th.traffic.responses['200'].flags.DI, 'DI flag on the source view');
    assert.deepEqual(Object.keys(th.traffic.responses), ['200']);
    const pt = edge(g, 'travel-portal/voyages', 'travel-agency/travels-v1')!;
    assert.ok(Number(pt.responseTime) >= 4900, `portal→travels response time ${pt.responseTime}`);
    const src = h.sim.telemetry.series.filter((s) => s.kind === 'http' && s.labels.reporter === 'source' && s.labels.destination_service_name === 'hotels');
    const sum = (f: (s: (typeof src)[number]) => Float32Array) => src.reduce((a, s) => a + h.sim.telemetry.sum(f(s), 0, Infinity), 0);
    const avg = sum((s) => (s as { durSum: Float32Array }).durSum) / sum((s) => (s as { count: Float32Array }).count);
    assert.ok(avg > 4900 && avg < 5200, `source-reported travels→hotels ${avg} ms`);
  });

  it('slows the portal loop', () => {
    const base = harness({});
    base.run(16 * MIN);
    const slow = rate(edge(graph(h, { namespaces: ALL }), 'travel-portal/voyages:v1', 'travel-agency/svc:travels'));
    const normal = rate(edge(graph(base, { namespaces: ALL }), 'travel-portal/voyages:v1', 'travel-agency/svc:travels'));
    assert.ok(slow < normal * 0.75, `${slow} vs ${normal}`);
  });
});

describe('traffic shifting 80/10/10', () => {
  it('splits travels inbound within ±3 points', () => {
    const h = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio: ch.trafficShifting() });
    h.run(31 * MIN);
    const g = graph(h, { namespaces: ALL, duration: '1800s' });
    const rates = ['v1', 'v2', 'v3'].map((v) => rate(edge(g, 'travel-agency/svc:travels', `travel-agency/travels:${v}`)));
    const s = share(rates);
    assert.ok(Math.abs(s[0] - 80) <= 3 && Math.abs(s[1] - 10) <= 3 && Math.abs(s[2] - 10) <= 3, `shares ${s.map((x) => x.toFixed(1))}`);
    const svc = g.nodes.find((n) => label(n) === 'travel-agency/svc:travels')!;
    assert.equal(svc.hasTrafficShifting, true);
  });
});

describe('TCP traffic shifting 80/10/10', () => {
  it('splits mysqldb bytes per connection within ±3 points', () => {
    const h = harness({ mysqlVersions: ['v1', 'v2', 'v3'], istio: ch.tcpShifting() });
    h.run(31 * MIN);
    const g = graph(h, { namespaces: 'travel-agency', duration: '1800s' });
    const s = share(['v1', 'v2', 'v3'].map((v) => rate(edge(g, 'travel-agency/svc:mysqldb', `travel-agency/mysqldb:${v}`), 'tcp')));
    assert.ok(Math.abs(s[0] - 80) <= 3 && Math.abs(s[1] - 10) <= 3 && Math.abs(s[2] - 10) <= 3, `shares ${s.map((x) => x.toFixed(1))}`);
  });
});

describe('request timeouts', () => {
  it('gives voyages.fr 504 UT and nobody else', () => {
    const h = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio: [...ch.faultInjection(), ...ch.timeouts()] });
    h.run(16 * MIN);
    const g = graph(h, { namespaces: 'travel-portal' });
    const voyages = g.edges.filter((e) => label(e.from) === 'travel-portal/voyages:v1');
    assert.ok(voyages.some((e) => e.traffic.responses['504']?.flags.UT), 'voyages 504 UT');
    for (const p of ['viaggi', 'travels']) {
      for (const e of g.edges.filter((x) => label(x.from) === `travel-portal/${p}:v1`)) assert.equal(e.traffic.responses['504'], undefined, p);
    }
    const dc = h.sim.telemetry.series.some((s) => s.kind === 'http' && s.labels.reporter === 'destination' && s.labels.source_workload === 'voyages' && s.labels.response_flags === 'DC');
    assert.ok(dc, 'travels reports 0/DC for the abandoned requests');
  });

  it("shows travels' inbound voyages requests as - from the destination and as 504 from the source", () => {
    const h = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio: [...ch.faultInjection(), ...ch.timeouts()] });
    h.run(16 * MIN);
    const inbound = (reporter: string) => {
      const q = new URLSearchParams({ direction: 'inbound', reporter, duration: '600', byLabels: 'source_canonical_service,response_code' });
      const d = buildDashboard(h.sim.telemetry, parseDashboardRequest(q, 'travel-agency', 'apps', 'travels', Math.floor(h.now() / 1000))) as {
        charts: { name: string; metrics: { name: string; labels: Record<string, string> }[] }[];
      };
      const vol = d.charts.find((c) => c.name === 'Request volume')!;
      return new Set(vol.metrics.map((m) => `${m.labels.source_canonical_service},${m.labels.response_code}`));
    };
    const dest = inbound('destination');
    assert.ok(dest.has('voyages,0') && !dest.has('voyages,504'), [...dest].join(' '));
    const src = inbound('source');
    assert.ok(src.has('voyages,504') && src.has('viaggi,200') && !src.has('voyages,0'), [...src].join(' '));
  });
});

describe('circuit breaking', () => {
  it('gives the loadtester 503 UO at its own proxy, portals unaffected', () => {
    const h = harness({ travelsVersions: ['v1', 'v2', 'v3'], loadtester: true, istio: ch.circuitBreaker() });
    h.run(11 * MIN);
    const codes = outboundByCode(h, 'travel-portal', 'loadtester');
    assert.ok(codes['503'] > 0 && codes['200'] > 0, JSON.stringify(codes));
    const g = graph(h, { namespaces: 'travel-portal,travel-agency' });
    const e = g.edges.find((x) => label(x.from) === 'travel-portal/loadtester:v1' && x.traffic.responses['503'])!;
    assert.ok(e.traffic.responses['503'].flags.UO, 'UO flag');
    const portal = outboundByCode(h, 'travel-portal', 'voyages');
    assert.deepEqual(Object.keys(portal), ['200']);
    assert.equal(g.nodes.find((n) => label(n) === 'travel-agency/svc:travels')!.hasCB, true);
  });
});

describe('mirroring', () => {
  it('reports mirrored traffic to v3 only at the destination', () => {
    const h = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio: ch.mirroring() });
    h.run(31 * MIN);
    const g = graph(h, { namespaces: ALL, duration: '1800s' });
    const r = ['v1', 'v2', 'v3'].map((v) => rate(edge(g, 'travel-agency/svc:travels', `travel-agency/travels:${v}`)));
    const total = r[0] + r[1];
    assert.ok(Math.abs((100 * r[0]) / total - 80) <= 4 && Math.abs((100 * r[2]) / total - 50) <= 6, `rates ${r}`);
    const srcV3 = h.sim.telemetry.series.filter((s) => s.labels.reporter === 'source' && s.labels.destination_workload === 'travels-v3');
    assert.equal(srcV3.length, 0, 'no source report for the mirrored copies');
    assert.ok(rate(edge(g, 'travel-agency/travels:v3', 'travel-agency/svc:hotels')) > 0, 'v3 makes real calls');
  });
});

describe('secure: deny-all + per-workload policies', () => {
  it('denies the loadtester everywhere, then lets v1 through after the edit', () => {
    const h = harness({ travelsVersions: ['v1', 'v2', 'v3'], loadtester: true, istio: ch.securePolicies() });
    h.run(11 * MIN);
    assert.deepEqual(Object.keys(outboundByCode(h, 'travel-portal', 'loadtester')), ['403']);
    assert.deepEqual(Object.keys(outboundByCode(h, 'travel-portal', 'voyages')), ['200']);
    assert.deepEqual(Object.keys(outboundByCode(h, 'travel-agency', 'hotels-v1')), ['200']);

    const edited = harness({ travelsVersions: ['v1', 'v2', 'v3'], loadtester: true, istio: ch.securePolicies(true) });
    edited.run(11 * MIN);
    const g = graph(edited, { namespaces: 'travel-agency', graphType: 'workload', injectServiceNodes: 'false' });
    const v1 = edge(g, 'travel-portal/loadtester', 'travel-agency/travels-v1')!;
    const v2 = edge(g, 'travel-portal/loadtester', 'travel-agency/travels-v2')!;
    assert.deepEqual(Object.keys(v1.traffic.responses), ['200']);
    assert.deepEqual(Object.keys(v2.traffic.responses), ['403']);
    // Each fortio run of 70 calls is balanced over the three versions: about a third get through every
    // time, not all or none of a wave as when one version took a whole wave.
    const runs = edited.logs.filter((l) => l.startsWith('loadtester') && /Code 200 : /.test(l)).map((l) => Number(/Code 200 : (\d+)/.exec(l)![1]));
    const denied = edited.logs.filter((l) => l.startsWith('loadtester') && /Code 403 : /.test(l)).length;
    assert.ok(runs.length > 10 && denied >= runs.length, `${runs.length} runs with 200s, ${denied} with 403s`);
    for (const n of runs) assert.ok(n >= 20 && n <= 27, `a run let ${n} of 70 through`);
  });
});
