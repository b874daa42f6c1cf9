/** Envoy access-log lines: who writes which response details. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAccessLog } from './access-log.ts';
import type { PodInfo } from './topology.ts';
import type { MeshRequest } from './engine.ts';

const pod = (name: string, ip: string) => ({ name, ip, namespace: 'travel-agency', behaviour: 'app' }) as unknown as PodInfo;
const req = { kind: 'destinations', method: 'GET', path: '/travels', headers: {} } as MeshRequest;
const svc = { name: 'travels', namespace: 'travel-agency', fqdn: 'travels.travel-agency.svc.cluster.local' };

test('an AuthorizationPolicy denial is named in the callee\'s inbound line only', () => {
  const caller = pod('loadtester', '10.0.0.1');
  const callee = pod('travels-v1', '10.0.0.2');
  const out = formatAccessLog(caller, 'outbound', req, 403, '-', 0, 1, svc, callee, 'outbound|8000||travels.travel-agency.svc.cluster.local', () => 0.5);
  const inb = formatAccessLog(callee, 'inbound', req, 403, '-', 0, 1, svc, caller, 'inbound|8000||', () => 0.5);
  assert.match(out, /" 403 - via_upstream /);
  assert.match(inb, /" 403 - rbac_access_denied_matched_policy\[none\] /);
});
