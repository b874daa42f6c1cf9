// Requests made inside a pod (`kubectl exec … -- curl`): through the pod's sidecar, so the caller's
// VirtualService faults apply and the time is the mesh's; without a sidecar, straight to the service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from './testing/harness.ts';
import { dr, vs } from './testing/chapter-objects.ts';
import { podRequest } from './service-proxy.ts';

const hotelsRule = (http: Record<string, unknown>) => [dr('hotels', ['v1']), vs('hotels', { http: [{ ...http, route: [{ destination: { host: 'hotels', subset: 'v1' }, weight: 100 }] }] })];

function travelsPod(h: ReturnType<typeof harness>) {
  const pod = h.sim.topo.pods.find((p) => p.namespace === 'travel-agency' && p.workload.name === 'travels-v1');
  assert.ok(pod?.hasProxy, 'travels-v1 has a sidecar');
  return { namespace: pod.namespace, name: pod.name };
}

test('a delay injected on hotels holds a curl from the travels pod, through its sidecar', () => {
  const h = harness({ istio: hotelsRule({ fault: { delay: { percentage: { value: 100 }, fixedDelay: '5s' } } }) });
  h.run(5000);
  const r = podRequest(h, travelsPod(h), 'travel-agency', 'hotels', { host: 'x', method: 'GET', path: '/hotels/Paris', headers: {} });
  assert.equal(r.response?.status, 200);
  assert.ok(r.latencyMs >= 5000, `latency ${r.latencyMs}`);
  assert.equal(r.response?.headers?.server, 'envoy');
  // A client outside the mesh (the API server, or a pod the mesh does not know) skips the caller-side fault.
  const outside = podRequest(h, { namespace: 'default', name: 'debug' }, 'travel-agency', 'hotels', { host: 'x', method: 'GET', path: '/', headers: {} });
  assert.ok(outside.latencyMs < 1000, `outside latency ${outside.latencyMs}`);
  assert.equal(outside.response?.headers?.server, undefined);
});

test('an abort answers with Envoy\'s own body; a service without endpoints is no healthy upstream', () => {
  const h = harness({ istio: hotelsRule({ fault: { abort: { percentage: { value: 100 }, httpStatus: 503 } } }) });
  h.run(5000);
  const r = podRequest(h, travelsPod(h), 'travel-agency', 'hotels', { host: 'x', method: 'GET', path: '/', headers: {} });
  assert.equal(r.response?.status, 503);
  assert.equal(r.response?.body, 'fault filter abort');
  const none = harness({ travelsVersions: [] });
  none.run(2000);
  const portal = none.sim.topo.pods.find((p) => p.namespace === 'travel-portal' && p.hasProxy)!;
  const empty = podRequest(none, { namespace: portal.namespace, name: portal.name }, 'travel-agency', 'travels', { host: 'x', method: 'GET', path: '/', headers: {} });
  assert.equal(empty.response?.status, 503);
  assert.equal(empty.response?.body, 'no healthy upstream');
});

test('a request the caller\'s proxy answers itself (fault abort) is traced as an error span', () => {
  const h = harness({ istio: hotelsRule({ fault: { abort: { percentage: { value: 100 }, httpStatus: 503 } } }) });
  h.run(5 * 60_000);
  const aborted = h.sim.traces.query((s) => s.flags === 'FI', 0, Infinity, 50);
  assert.ok(aborted.length > 0, `traces: ${h.sim.traces.size}`);
  const span = aborted[0].spans.find((s) => s.flags === 'FI')!;
  assert.equal(span.code, 503);
  assert.equal(span.kind, 'client');
  assert.equal(span.workload, 'travels-v1');
  assert.match(span.url, /hotels\.travel-agency\.svc\.cluster\.local/);
});

test('curl speaks the Travels API, and its headers drive header routing (the voyages.fr timeout)', async () => {
  const { timeouts, faultInjection } = await import('./testing/chapter-objects.ts');
  const h = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio: [...timeouts(), ...faultInjection()] });
  h.run(5000);
  const voyages = h.sim.topo.pods.find((p) => p.namespace === 'travel-portal' && p.workload.name === 'voyages')!;
  const from = { namespace: voyages.namespace, name: voyages.name };
  const list = podRequest(h, from, 'travel-agency', 'travels', { host: 'x', method: 'GET', path: '/travels', headers: {} });
  assert.equal(list.response?.status, 200);
  assert.ok(Array.isArray(JSON.parse(list.response!.body)) && JSON.parse(list.response!.body).length > 10);
  assert.ok(list.latencyMs > 4900, `hotels' delay shows in the destinations list: ${list.latencyMs}`);
  const timedOut = podRequest(h, from, 'travel-agency', 'travels', { host: 'x', method: 'GET', path: '/travels/Paris', headers: { Portal: 'voyages.fr' } });
  assert.equal(timedOut.response?.status, 504);
  assert.equal(timedOut.response?.body, 'upstream request timeout');
  assert.ok(Math.abs(timedOut.latencyMs - 2000) < 50, `${timedOut.latencyMs}`);
});
