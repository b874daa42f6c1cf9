// The meshTraffic check's `share` and `mirrored` options on the simulated mesh's own Kiali answers: an
// 80/10/10 split and mirrored copies pass, an even split (which also reaches every version) does not, nor
// does a minute that still holds the traffic from before the change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../emulator/cluster.ts';
import { LogBook } from '../emulator/logs/log-book.ts';
import { handleKiali } from '../emulator/kiali/handler.ts';
import { dr, mirroring, trafficShifting } from '../emulator/mesh/testing/chapter-objects.ts';
import { harness, type Harness } from '../emulator/mesh/testing/harness.ts';
import { judgeGraph, judgeMirror } from './mesh-check.ts';

const check = { from: 'travel-portal/voyages', to: 'travel-agency/travels-v3' };
const kiali = async (h: Harness, path: string, q: URLSearchParams) => {
  const r = await handleKiali({ mesh: h, ctx: { logs: new LogBook() } } as unknown as Cluster, path, q);
  assert.equal(r.status, 200);
  return JSON.parse(r.body);
};

/** The query checkMirror sends, answered by the Kiali handler of a harness. */
async function verdict(h: Harness) {
  const q = new URLSearchParams({
    direction: 'inbound', reporter: 'both', duration: '60s', step: '15s', rateInterval: '15s',
    'filters[]': 'request_count', 'byLabels[]': 'source_workload,reporter',
  });
  return judgeMirror(await kiali(h, '/api/namespaces/travel-agency/workloads/travels-v3/metrics', q), check);
}

/** The traffic-shifting chapter's check: 60–95 % of the shops' travels requests on travels-v1. */
async function shareVerdict(h: Harness) {
  const q = new URLSearchParams({ namespaces: 'travel-portal,travel-agency', graphType: 'workload', duration: '60s', injectServiceNodes: 'false', boxBy: '' });
  return judgeGraph(await kiali(h, '/api/namespaces/graph', q), { from: 'travel-portal/*', to: 'travel-agency/travels-v1', share: { min: 60, max: 95 } });
}

test('share: 80/10/10 puts the shops\' requests on travels-v1 within 60–95 %; an even split does not, on any seed', async () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    const shifted = harness({ seed, travelsVersions: ['v1', 'v2', 'v3'], istio: trafficShifting() });
    shifted.run(2 * 60000);
    const ok = await shareVerdict(shifted);
    assert.equal(ok.ok, true, `seed ${seed}: ${ok.detail}`);
    assert.match(ok.detail, /^\d+ % of the requests from travel-portal to travels reach travels-v1/);
    const even = harness({ seed, travelsVersions: ['v1', 'v2', 'v3'], istio: [dr('travels', ['v1', 'v2', 'v3'])] });
    even.run(2 * 60000);
    const no = await shareVerdict(even);
    assert.equal(no.ok, false, `seed ${seed}: ${no.detail}`);
    assert.match(no.detail, /expected 60–95 %/);
  }
});

test('mirrored copies to travels-v3 pass; an even split over v1..v3 does not', async () => {
  const even = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio: [dr('travels', ['v1', 'v2', 'v3'])] });
  even.run(3 * 60000);
  const plain = await verdict(even);
  assert.equal(plain.ok, false);
  assert.match(plain.detail, /ordinary routed traffic/);

  const mirrored = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio: mirroring() });
  mirrored.run(3 * 60000);
  const copies = await verdict(mirrored);
  assert.equal(copies.ok, true, copies.detail);
});

test('right after the mirror is applied, the routed traffic of the last minute still fails it; a minute later it passes', async () => {
  const h = harness({ travelsVersions: ['v1', 'v2', 'v3'], istio: [dr('travels', ['v1', 'v2', 'v3'])] });
  h.run(3 * 60000);
  h.apply({ ...h.objects, virtualServices: mirroring().filter((o) => o.kind === 'VirtualService') });
  h.run(10_000);
  assert.equal((await verdict(h)).ok, false);
  h.run(80_000);
  assert.equal((await verdict(h)).ok, true);
});

test('no requests reported by travels-v3 at all: fails with its own reason', () => {
  const v = judgeMirror({ request_count: [] }, check);
  assert.equal(v.ok, false);
  assert.match(v.detail, /reports no requests from voyages/);
});
