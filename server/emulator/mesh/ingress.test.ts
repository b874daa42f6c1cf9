/**
 * The ingress gateway and travel-control (First steps chapter): Host matching through Gateway +
 * VirtualService, the dashboard's status/settings API changing the simulated portals, and the
 * gateway→control→portal edges appearing only while the dashboard is polled.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ingress } from './ingress.ts';
import { serviceRequest } from './service-proxy.ts';
import { controlGateway } from './testing/chapter-objects.ts';
import { edge, graph } from './testing/graph-helpers.ts';
import { harness } from './testing/harness.ts';

const HOST = 'control.travel-control.istio-cluster.org';
const get = (path: string, host = HOST) => ({ host: '10.0.0.1', method: 'GET', path, headers: { 'x-forwarded-host': host } });

describe('ingress gateway', () => {
  it('refuses the connection while no Gateway opens port 80, as the API server\'s service proxy reports it', () => {
    const h = harness({ injected: ['travel-control'] });
    h.run(60000);
    const r = ingress(h, get('/'));
    assert.equal(r.status, 503);
    assert.equal(r.refused, true);
    const status = JSON.parse(r.body) as { kind: string; reason: string; message: string };
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, 'ServiceUnavailable');
    assert.match(status.message, /^error trying to reach service: dial tcp [\d.]+:8080: connect: connection refused$/);
  });

  it('answers Envoy\'s empty 404 when a Gateway listens but no VirtualService is bound to it', () => {
    const h = harness({ injected: ['travel-control'], istio: controlGateway().filter((o) => o.kind === 'Gateway') });
    h.run(60000);
    const r = ingress(h, get('/'));
    assert.equal(r.status, 404);
    assert.equal(r.body, '');
    assert.equal(r.refused, undefined);
  });

  it('serves the dashboard for the right Host only', () => {
    const h = harness({ injected: ['travel-control'], istio: controlGateway() });
    h.run(60000);
    const page = ingress(h, get('/'));
    assert.equal(page.status, 200);
    assert.match(page.body, /Travel Control Dashboard/);
    assert.equal(ingress(h, get('/', 'wrong.example.com')).status, 404);
  });

  it('returns the portals sorted by name and draws the edges while polled', () => {
    const h = harness({ injected: ['travel-control'], istio: controlGateway() });
    h.run(60000);
    for (let i = 0; i < 20; i++) {
      const r = ingress(h, get('/status'));
      assert.equal(r.status, 200);
      const list = JSON.parse(r.body) as { name: string }[];
      assert.deepEqual(list.map((p) => p.name), ['travels.uk', 'viaggi.it', 'voyages.fr']);
      h.run(5000);
    }
    const g = graph(h, { namespaces: 'travel-control,travel-portal,istio-system' });
    const gw = edge(g, 'istio-system/istio-ingressgateway', 'travel-control/svc:control') ?? g.edges.find((e) => e.to.service === 'control');
    assert.ok(gw, 'gateway → control');
    assert.equal(gw!.isMTLS, '100');
    assert.ok(edge(g, 'travel-control/control:v1', 'travel-portal/svc:viaggi'), 'control → viaggi service node');
  });

  it('PUT settings/{portal} changes that portal\'s traffic', () => {
    const h = harness({ istio: controlGateway() });
    h.run(60000);
    const body = JSON.stringify({ request_ratio: 100, devices: { web: 100, mobile: 0 }, users: { registered: 0, new: 100 }, travel_type: { t1: 0, t2: 0, t3: 100 } });
    const r = ingress(h, { host: '', method: 'PUT', path: '/settings/viaggi.it', headers: { 'x-forwarded-host': HOST }, body });
    assert.equal(r.status, 200);
    assert.equal(ingress(h, { host: '', method: 'PUT', path: '/settings/nowhere', headers: { 'x-forwarded-host': HOST }, body }).status, 404);
    assert.equal(ingress(h, { host: '', method: 'PUT', path: '/settings/viaggi.it', headers: { 'x-forwarded-host': HOST }, body: '{"request_ratio":"x"}' }).status, 400);
    h.run(11 * 60000);
    const g = graph(h, { namespaces: 'travel-portal,travel-agency' });
    const fast = Number(edge(g, 'travel-portal/viaggi:v1', 'travel-agency/svc:travels')!.traffic.rates.http);
    const normal = Number(edge(g, 'travel-portal/voyages:v1', 'travel-agency/svc:travels')!.traffic.rates.http);
    assert.ok(fast > normal * 4, `${fast} vs ${normal}`);
    const status = JSON.parse(ingress(h, get('/status')).body) as { name: string; status: { requests: { devices: { mobile: number }; travel_type: { t1: number } } } }[];
    const viaggi = status.find((p) => p.name === 'viaggi.it')!;
    assert.ok(viaggi.status.requests.travel_type.t1 <= 3, 'almost only t3 since the change');
  });
});

describe('istiod debug endpoints for istioctl', () => {
  it('shrinks proxy-config clusters with a Sidecar', async () => {
    const { securePolicies } = await import('./testing/chapter-objects.ts');
    const before = harness({});
    const pod = before.sim.topo.pods.find((p) => p.workload.name === 'cars-v1')!;
    const q = `/debug/istioctl/clusters?pod=${pod.name}&namespace=travel-agency`;
    const full = serviceRequest(before, 'istio-system', 'istiod', '15014', { host: '', method: 'GET', path: q, headers: {} }).body;
    assert.match(full, /^#exit=0\nSERVICE FQDN +PORT +SUBSET +DIRECTION +TYPE +DESTINATION RULE/);
    assert.match(full, /voyages\.travel-portal\.svc\.cluster\.local +8000 +- +outbound +EDS/);
    const after = harness({ istio: securePolicies() });
    const pod2 = after.sim.topo.pods.find((p) => p.workload.name === 'cars-v1')!;
    const small = serviceRequest(after, 'istio-system', 'istiod', '15014', { host: '', method: 'GET', path: `/debug/istioctl/clusters?pod=${pod2.name}&namespace=travel-agency`, headers: {} }).body;
    assert.doesNotMatch(small, /voyages\.travel-portal/);
    assert.match(small, /discounts\.travel-agency\.svc\.cluster\.local/);
    assert.match(small, /mysqldb\.travel-agency\.svc\.cluster\.local/);
    assert.ok(small.split('\n').length < full.split('\n').length);
  });

  it('analyze reports IST0102 for un-labelled namespaces and IST0101 for a missing gateway', () => {
    const h = harness({ injected: [] });
    const r = serviceRequest(h, 'istio-system', 'istiod', '15014', { host: '', method: 'GET', path: '/debug/istioctl/analyze?namespace=travel-agency', headers: {} }).body;
    assert.match(r, /Info \[IST0102\] \(Namespace travel-agency\) The namespace is not enabled for Istio injection/);
    const [, vs] = controlGateway().slice(1);
    const h2 = harness({ istio: [vs] });
    const r2 = serviceRequest(h2, 'istio-system', 'istiod', '15014', { host: '', method: 'GET', path: '/debug/istioctl/analyze?namespace=travel-control', headers: {} }).body;
    assert.match(r2, /^#exit=79\n/);
    assert.match(r2, /Error \[IST0101\] \(VirtualService travel-control\/control\) Referenced gateway not found: "travel-control\/control-gateway"/);
  });

  it('analyze warns (IST0132) when the Gateway does not serve a host of its VirtualService, and is quiet when it does', () => {
    const [gw, dr, vs] = controlGateway();
    const typo = JSON.parse(JSON.stringify(gw)) as typeof gw;
    (typo.spec as { servers: { hosts: string[] }[] }).servers[0].hosts = ['control.travel-contrl.istio-cluster.org'];
    const analyze = (objs: typeof gw[]) => serviceRequest(harness({ istio: objs }), 'istio-system', 'istiod', '15014', { host: '', method: 'GET', path: '/debug/istioctl/analyze?namespace=travel-control', headers: {} }).body;
    const bad = analyze([typo, dr, vs]);
    assert.match(bad, /^#exit=79\n/);
    assert.match(bad, /Warning \[IST0132\] \(VirtualService travel-control\/control\) one or more host \[control\.travel-control\.istio-cluster\.org\] defined in VirtualService travel-control\/control not found in Gateway travel-control\/control-gateway\./);
    assert.match(analyze([gw, dr, vs]), /No validation issues found when analyzing namespace: travel-control/);
  });

  it('proxy-status lists injected proxies as SYNCED', () => {
    const h = harness({ injected: ['travel-agency'] });
    const r = serviceRequest(h, 'istio-system', 'istiod', '15014', { host: '', method: 'GET', path: '/debug/istioctl/proxy-status', headers: {} }).body;
    assert.match(r, /cars-v1-[^ ]+\.travel-agency +Kubernetes +SYNCED +SYNCED +SYNCED +SYNCED +NOT SENT/);
    assert.doesNotMatch(r, /voyages/);
  });
});
