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

// viaggi's traffic as Kiali draws it in the three states of the request-routing step.
function viaggiGraph(edges: { to: string; rate: string; code?: string; flag?: string }[]): Parameters<typeof judgeGraph>[0] {
  const dest = { destServices: [{ namespace: 'travel-agency', name: 'travels' }] };
  return {
    elements: {
      nodes: [
        node('p', 'travel-portal', 'viaggi', 'viaggi'),
        node('t', 'travel-portal', 'travels', 'travels'),
        { data: { ...node('v1', 'travel-agency', 'travels-v1', 'travels').data, ...dest } },
        { data: { ...node('v2', 'travel-agency', 'travels-v2', 'travels').data, ...dest } },
        { data: { ...node('v3', 'travel-agency', 'travels-v3', 'travels').data, ...dest } },
        node('h', 'travel-agency', 'hotels-v1', 'hotels'),
        { data: { id: 's', nodeType: 'service', namespace: 'travel-agency', service: 'travels' } },
      ],
      edges: edges.map((e, i) => ({
        data: { id: `e${i}`, source: e.to === 'hotels' ? 'v2' : 'p', target: e.to === 'hotels' ? 'h' : e.to, traffic: { protocol: 'http', rates: { http: e.rate }, responses: { [e.code ?? '200']: { flags: { [e.flag ?? '-']: '100.0' } } } } },
      })),
    },
  };
}
const onlyV2 = { from: 'travel-portal/viaggi', to: 'travel-agency/travels-v2', only: true };

test('only: an even spread over the versions does not count as routed to v2', () => {
  const spread = viaggiGraph([{ to: 'v1', rate: '0.09' }, { to: 'v2', rate: '0.09' }, { to: 'v3', rate: '0.08' }]);
  assert.equal(judgeGraph(spread, { from: onlyV2.from, to: onlyV2.to }).ok, true, 'without only, any v2 traffic passes');
  const v = judgeGraph(spread, onlyV2);
  assert.equal(v.ok, false);
  assert.match(v.detail, /viaggi also sends requests elsewhere: travels-v1 0\.09 req\/s; travels-v3 0\.08 req\/s/);
});

test('only: 404s from no matching rule fail the check', () => {
  const noRoute = viaggiGraph([{ to: 'v2', rate: '0.05' }, { to: 's', rate: '0.20', code: '404', flag: 'NR' }]);
  const v = judgeGraph(noRoute, onlyV2);
  assert.equal(v.ok, false);
  assert.match(v.detail, /service travels 0\.20 req\/s \(404 NR\)/);
  assert.equal(judgeGraph(viaggiGraph([{ to: 's', rate: '0.27', code: '404', flag: 'NR' }]), onlyV2).ok, false);
});

test('only: all of viaggi\'s traffic on v2 passes; other apps and other sources do not matter', () => {
  const routed = viaggiGraph([{ to: 'v2', rate: '0.27' }, { to: 'hotels', rate: '0.5' }]);
  assert.deepEqual(judgeGraph(routed, onlyV2), { ok: true, detail: '0.27 req/s, codes 200' });
});

test('a code with a flag passes only when the responses of that code carry the flag (UO, not NC)', () => {
  assert.equal(judgeGraph(graph, { from: 'travel-portal/loadtester', to: 'travel-agency/travels', code: '503', flag: 'UO' }).ok, true);
  const nc = judgeGraph(graph, { from: 'travel-portal/loadtester', to: 'travel-agency/travels', code: '503', flag: 'NC' });
  assert.equal(nc.ok, false);
  assert.equal(nc.detail, '503 responses seen, but with flag UO, not NC');
});
