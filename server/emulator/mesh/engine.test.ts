/**
 * Data-plane rules one request at a time: VirtualService matching (exact/prefix/regex, first match,
 * no match → NR), fault abort, un-injected callees, PeerAuthentication STRICT, and the portal's crash
 * on a transport error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../store/types.ts';
import type { MeshRequest } from './engine.ts';
import { MeshSimulator } from './simulator.ts';
import { dr, vs } from './testing/chapter-objects.ts';
import { harness, seededRng, T0 } from './testing/harness.ts';
import { istioObject, travelsObjects } from './testing/travels-fixture.ts';

const fq = 'travels.travel-agency.svc.cluster.local';
const quote = (portal: string): MeshRequest => ({ kind: 'quote', method: 'GET', path: '/travels/Rome', headers: { portal, device: 'web', user: 'new', travel: 't1' }, city: 'Rome' });

function setup(istio: KObject[], injected?: string[]) {
  const h = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio, injected });
  const pod = (w: string) => h.sim.topo.pods.find((p) => p.workload.name === w)!;
  const svc = h.sim.engine.service(fq, 'travel-portal')!;
  const call = (from: string, req: MeshRequest) => h.sim.engine.call(pod(from), svc, req, h.now());
  return { h, pod, svc, call };
}

describe('VirtualService matching', () => {
  it('takes the first matching rule across exact, prefix and regex header matches', () => {
    const { call } = setup([
      dr('travels', ['v1', 'v2', 'v3']),
      vs('travels', {
        http: [
          { match: [{ headers: { portal: { regex: 'via.*\\.it' } } }], route: [{ destination: { host: fq, subset: 'v2' } }] },
          { match: [{ headers: { portal: { prefix: 'voy' } } }, { headers: { device: { exact: 'mobile' } } }], route: [{ destination: { host: fq, subset: 'v3' } }] },
          { match: [{ headers: { portal: { exact: 'viaggi.it' } } }], route: [{ destination: { host: fq, subset: 'v1' } }] },
        ],
      }),
    ]);
    const from: Record<string, string> = { 'viaggi.it': 'viaggi', 'voyages.fr': 'voyages', 'travels.uk': 'travels' };
    const dest = (portal: string) => call(from[portal], quote(portal));
    assert.equal(dest('viaggi.it').code, 200);
    assert.equal(dest('voyages.fr').code, 200);
    const nr = dest('travels.uk');
    assert.equal(nr.code, 404);
    assert.equal(nr.flags, 'NR');
  });

  it('routes by the regex rule (v2) even though a later rule matches exactly', () => {
    const { h, call } = setup([
      dr('travels', ['v1', 'v2', 'v3']),
      vs('travels', { http: [
        { match: [{ headers: { portal: { regex: 'via.*' } } }], route: [{ destination: { host: fq, subset: 'v2' } }] },
        { match: [{ headers: { portal: { exact: 'viaggi.it' } } }], route: [{ destination: { host: fq, subset: 'v1' } }] },
      ] }),
    ]);
    for (let i = 0; i < 10; i++) call('viaggi', quote('viaggi.it'));
    const dests = h.sim.telemetry.series.filter((s) => s.labels.reporter === 'source' && s.labels.source_workload === 'viaggi').map((s) => s.labels.destination_workload);
    assert.deepEqual([...new Set(dests)], ['travels-v2']);
  });

  it('of two VirtualServices claiming the host, the oldest wins; a sidecar prefers one in its own namespace', () => {
    const at = (o: KObject, ns: string, created: string): KObject => ({ ...o, metadata: { ...o.metadata, namespace: ns, creationTimestamp: created } });
    const to = (subset: string) => vs('travels', { http: [{ route: [{ destination: { host: fq, subset } }] }] });
    const versionsFrom = (h: ReturnType<typeof setup>['h'], from: string) =>
      [...new Set(h.sim.telemetry.series.filter((s) => s.labels.reporter === 'source' && s.labels.source_workload === from).map((s) => s.labels.destination_workload))];
    // A stray copy in default, applied after the one in travel-agency: the older one rules.
    const older = setup([dr('travels', ['v1', 'v2', 'v3']), at(to('v1'), 'travel-agency', '2026-01-01T00:00:00Z'), at(to('v3'), 'default', '2026-01-01T00:05:00Z')]);
    for (let i = 0; i < 10; i++) older.call('voyages', quote('voyages.fr'));
    assert.deepEqual(versionsFrom(older.h, 'voyages'), ['travels-v1']);
    // The stray copy first: it rules for clients elsewhere, but one in the client's own namespace comes first.
    const stray = setup([dr('travels', ['v1', 'v2', 'v3']), at(to('v1'), 'travel-agency', '2026-01-01T00:05:00Z'), at(to('v3'), 'default', '2026-01-01T00:00:00Z'), at(to('v2'), 'travel-portal', '2026-01-01T00:09:00Z')]);
    for (let i = 0; i < 10; i++) stray.call('voyages', quote('voyages.fr'));
    assert.deepEqual(versionsFrom(stray.h, 'voyages'), ['travels-v2']);
    const noLocal = setup([dr('travels', ['v1', 'v2', 'v3']), at(to('v1'), 'travel-agency', '2026-01-01T00:05:00Z'), at(to('v3'), 'default', '2026-01-01T00:00:00Z')]);
    for (let i = 0; i < 10; i++) noLocal.call('voyages', quote('voyages.fr'));
    assert.deepEqual(versionsFrom(noLocal.h, 'voyages'), ['travels-v3']);
  });

  it('a DestinationRule in an unrelated namespace does not apply: its subsets are unknown (503 NC)', () => {
    const stray = { ...dr('travels', ['v1', 'v2', 'v3']) };
    stray.metadata = { ...stray.metadata, namespace: 'default' };
    const { call } = setup([stray, vs('travels', { http: [{ route: [{ destination: { host: fq, subset: 'v1' } }] }] })]);
    const o = call('voyages', quote('voyages.fr'));
    assert.deepEqual([o.code, o.flags], [503, 'NC']);
  });

  it('aborts with the configured status at the source only (FI)', () => {
    const { h, call } = setup([vs('travels', { http: [{ fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }, route: [{ destination: { host: fq } }] }] })]);
    const o = call('voyages', quote('voyages.fr'));
    assert.deepEqual([o.code, o.flags, o.body], [503, 'FI', 'text']);
    const reporters = h.sim.telemetry.series.filter((s) => s.labels.source_workload === 'voyages').map((s) => `${s.labels.reporter}:${s.labels.response_flags}`);
    assert.deepEqual(reporters, ['source:FI']);
  });
});

describe('mTLS and sidecars', () => {
  it('a sidecar-less callee is reached in plaintext and reports nothing', () => {
    const { h, call } = setup([], ['travel-portal']);
    const o = call('voyages', quote('voyages.fr'));
    assert.equal(o.code, 200);
    const series = h.sim.telemetry.series.map((s) => `${s.labels.reporter}:${s.labels.destination_workload}:${s.labels.connection_security_policy}`);
    assert.deepEqual(series, ['source:unknown:unknown'], 'only the portal proxy reports, without the callee identity');
  });

  it('STRICT PeerAuthentication refuses plaintext callers', () => {
    const { call } = setup([istioObject('PeerAuthentication', 'travel-agency', 'default', { mtls: { mode: 'STRICT' } })], ['travel-agency']);
    const o = call('voyages', quote('voyages.fr'));
    assert.equal(o.transport, true);
  });
});

describe('portal crash', () => {
  it('restarts the portal container when nothing answers', () => {
    const restarts: string[] = [];
    const sim = new MeshSimulator({ rng: seededRng(3), restartContainer: (ns, pod, c) => restarts.push(`${ns}/${pod}/${c}`) });
    const objs = travelsObjects({ injected: [] });
    // No travels pods: the Service has no endpoints and, without a sidecar, the connection is refused.
    objs.pods = objs.pods.filter((p) => !p.metadata.name.startsWith('travels-v1'));
    sim.setObjects(objs, T0);
    for (let t = T0; t < T0 + 60000; t += 1000) sim.advance(t);
    assert.ok(restarts.some((r) => r.startsWith('travel-portal/voyages-') && r.endsWith('/voyages')), restarts.join(','));
    assert.ok(restarts.some((r) => r.startsWith('travel-portal/viaggi-') && r.endsWith('/control')), 'viaggi runs in a container named control');
  });
});

describe('outlier detection', () => {
  it('ejects a host answering 5xx, then the client gets 503 UH until the ejection ends', () => {
    const h = harness({ istio: [dr('hotels', ['v1'], { outlierDetection: { consecutive5xxErrors: 1, baseEjectionTime: '30s' } })] });
    // No database: hotels answers 500 to every request.
    h.apply({ ...h.objects, pods: h.objects.pods.filter((p) => !p.metadata.name.startsWith('mysqldb')) });
    const travels = h.sim.topo.pods.find((p) => p.workload.name === 'travels-v1')!;
    const hotels = h.sim.engine.service('hotels.travel-agency', 'travel-agency')!;
    const req: MeshRequest = { kind: 'hotelsList', method: 'GET', path: '/hotels', headers: {} };
    assert.equal(h.sim.engine.call(travels, hotels, req, h.now()).code, 500);
    const ejected = h.sim.engine.call(travels, hotels, req, h.now() + 1000);
    assert.deepEqual([ejected.code, ejected.flags], [503, 'UH']);
    assert.equal(h.sim.engine.outliers.ejectedBy(travels, h.now() + 1000).size, 1);
    assert.equal(h.sim.engine.call(travels, hotels, req, h.now() + 31000).code, 500, 'back after baseEjectionTime');
  });
});
