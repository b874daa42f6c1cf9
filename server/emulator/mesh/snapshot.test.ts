/**
 * Mesh state across a server restart: the telemetry ring and the portals' settings come back from a
 * snapshot, so graphs and the dashboard look the same after the restore.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySettings, defaultSettings } from './portal.ts';
import { edge, graph, rate } from './testing/graph-helpers.ts';
import { harness } from './testing/harness.ts';

describe('mesh snapshot', () => {
  it('restores telemetry and portal settings', () => {
    const a = harness({});
    a.run(10 * 60000);
    const fast = { ...defaultSettings(), request_ratio: 90 };
    applySettings(a.sim.portal('viaggi.it')!, fast);
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    assert.ok(JSON.stringify(snap).length < 200000, `snapshot size ${JSON.stringify(snap).length}`);

    // The restored cluster has the same objects (the store snapshot), hence the same pod names.
    const b = harness({});
    b.apply(a.objects);
    b.sim.restore(snap);
    const before = rate(edge(graph(a, { namespaces: 'travel-agency' }), 'travel-agency/svc:hotels', 'travel-agency/hotels:v1'));
    const g = graph({ ...b, now: () => a.now() }, { namespaces: 'travel-agency' });
    const after = rate(edge(g, 'travel-agency/svc:hotels', 'travel-agency/hotels:v1'));
    assert.ok(before > 0.5);
    assert.equal(after, before);
    assert.equal(b.sim.portal('viaggi.it')!.settings.request_ratio, 90);
    assert.equal(b.sim.portal('voyages.fr')!.settings.request_ratio, 50);
  });
});
