/** Envoy access-log lines: who writes which response details, and Envoy's address fields on each side. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAccessLog, type AccessLogEntry } from './access-log.ts';
import type { PodInfo } from './topology.ts';
import type { MeshRequest } from './engine.ts';
import { harness } from './testing/harness.ts';
import { mirroring } from './testing/chapter-objects.ts';

const pod = (name: string, ip: string) => ({ name, ip, namespace: 'travel-agency', behaviour: 'app' }) as unknown as PodInfo;
const req = { kind: 'destinations', method: 'GET', path: '/travels', headers: {} } as MeshRequest;
const svc = { name: 'travels', namespace: 'travel-agency', fqdn: 'travels.travel-agency.svc.cluster.local', clusterIP: '10.96.12.34' };
const caller = pod('loadtester', '10.244.0.11');
const callee = pod('travels-v1', '10.244.0.27');
const entry = (over: Partial<AccessLogEntry>): AccessLogEntry => ({
  pod: caller, dir: 'outbound', req, code: 200, flags: '-', t: 0, latency: 12, svc, peer: callee,
  cluster: 'outbound|8000||travels.travel-agency.svc.cluster.local', reqBytes: 0, respBytes: 1617, ...over,
});

test('an AuthorizationPolicy denial is named in the callee\'s inbound line only', () => {
  const out = formatAccessLog(entry({ code: 403 }), () => 0.5);
  const inb = formatAccessLog(entry({ code: 403, pod: callee, dir: 'inbound', peer: caller, cluster: 'inbound|8000||' }), () => 0.5);
  assert.match(out, /" 403 - via_upstream /);
  assert.match(inb, /" 403 - rbac_access_denied_matched_policy\[none\] /);
});

test('outbound: upstream is the callee, the app dialled the ClusterIP from its own address; inbound: the pod\'s own IP upstream', () => {
  const out = formatAccessLog(entry({}), () => 0.5);
  assert.match(out, /" 200 - via_upstream - "-" 0 1617 12 12 "-" "Go-http-client\/1\.1" "[0-9a-f-]+" "travels\.travel-agency:8000" "10\.244\.0\.27:8000" outbound\|8000\|\|travels\.travel-agency\.svc\.cluster\.local 10\.244\.0\.11:\d+ 10\.96\.12\.34:8000 10\.244\.0\.11:\d+ - default$/);
  const inb = formatAccessLog(entry({ pod: callee, dir: 'inbound', peer: caller, cluster: 'inbound|8000||' }), () => 0.5);
  assert.match(inb, /"10\.244\.0\.27:8000" inbound\|8000\|\| 127\.0\.0\.6:\d+ 10\.244\.0\.27:8000 10\.244\.0\.11:\d+ outbound_\.8000_\._\.travels\.travel-agency\.svc\.cluster\.local default$/);
  // An answer the caller's proxy gave itself has no upstream.
  const overflow = formatAccessLog(entry({ code: 503, flags: 'UO', peer: undefined }), () => 0.5);
  assert.match(overflow, /" 503 UO upstream_reset_before_response_started\{overflow\} .* 12 - "-" .* "-" outbound\|8000\|\|travels\.travel-agency\.svc\.cluster\.local - 10\.96\.12\.34:8000 /);
});

test('a mirrored copy reaches its target with "-shadow" on its authority; the routed requests keep theirs', () => {
  const h = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio: mirroring() });
  h.run(60_000);
  const inbound = (workload: string) => h.logs.filter((l) => l.startsWith(workload) && l.includes('/istio-proxy ') && l.includes(' inbound|8000||'));
  const v3 = inbound('travels-v3');
  assert.ok(v3.length > 0, 'travels-v3 logs the mirrored copies');
  assert.ok(v3.every((l) => l.includes('"travels.travel-agency-shadow:8000"')), v3[0]);
  const v1 = inbound('travels-v1');
  assert.ok(v1.length > 0 && v1.every((l) => l.includes('"travels.travel-agency:8000"')), v1[0]);
});
