// The verdict of the meshTraffic check on Kiali graph JSON (workload graph, no service nodes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeGraph } from './mesh-check.ts';

const node = (id: string, namespace: string, workload: string, app: string, nodeType = 'workload') => ({ data: { id, nodeType, namespace, workload, app } });
const graph: Parameters<typeof judgeGraph>[0] = {
  elements: {
    nodes: [
      node('a', 'travel-portal', 'voyages', 'voyages'),
      node('b', 'travel-agency', 'travels-v1', 'travels'),
      node('c', 'travel-portal', 'loadtester', 'loadtester'),
      { data: { id: 'd', nodeType: 'service', namespace: 'travel-agency', service: 'travels' } },
    ],
    edges: [
      { data: { id: 'e1', source: 'a', target: 'b', traffic: { protocol: 'http', rates: { http: '0.40' }, responses: { '200': { flags: { '-': '100.0' } } } } } },
      { data: { id: 'e2', source: 'c', target: 'd', traffic: { protocol: 'http', rates: { http: '9.00', http5xx: '8.00' }, responses: { '503': { flags: { UO: '90.0' } }, '200': {} } } } },
    ],
  },
};

test('an edge between two workloads passes, with its rate', () => {
  const v = judgeGraph(graph, { from: 'travel-portal/voyages', to: 'travel-agency/travels-v1' });
  assert.equal(v.ok, true);
  assert.match(v.detail, /0\.40 req\/s/);
});

test('"to" may name the app or the service node', () => {
  assert.equal(judgeGraph(graph, { from: 'travel-portal/voyages', to: 'travel-agency/travels' }).ok, true);
  assert.equal(judgeGraph(graph, { from: 'travel-portal/loadtester', to: 'travel-agency/travels', code: '503' }).ok, true);
});

test('a missing edge or a missing response code fails with a reason', () => {
  const none = judgeGraph(graph, { from: 'travel-portal/viaggi', to: 'travel-agency/travels' });
  assert.equal(none.ok, false);
  assert.match(none.detail, /no traffic/);
  const code = judgeGraph(graph, { from: 'travel-portal/voyages', to: 'travel-agency/travels', code: '403' });
  assert.equal(code.ok, false);
  assert.match(code.detail, /no 403 responses \(codes: 200\)/);
  assert.equal(judgeGraph(graph, { from: 'travel-portal/loadtester', to: 'travel-agency/travels', absentCode: '503' }).ok, false);
});

test('"from" must be the workload itself, not its app', () => {
  assert.equal(judgeGraph({ elements: {} }, { from: 'travel-portal/voyages', to: 'travel-agency/travels' }).ok, false);
});
