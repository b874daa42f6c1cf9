import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from './cluster.ts';
import { createManualClock } from './clock.ts';
import type { KObject } from './store/types.ts';
import { runFor, travelsCluster } from './mesh/testing/cluster-fixture.ts';

const CRDS = { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' };

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true }],
  },
};

test('a fresh cluster is seeded and serves the Istio CRDs', () => {
  const c = Cluster.create({ withMesh: false, seed: 7 });
  try {
    assert.ok(c.ctx.store.get({ group: '', resource: 'namespaces' }, undefined, 'istio-system'));
    assert.equal(c.ctx.registry.preferred('networking.istio.io', 'virtualservices')?.version, 'v1');
  } finally {
    c.dispose();
  }
});

test('CRDs written to the store appear in and leave the registry, taking their objects along', () => {
  const c = Cluster.create({ withMesh: false, seed: 7 });
  try {
    c.ctx.store.create(CRDS, structuredClone(widgetCrd) as unknown as KObject);
    assert.equal(c.ctx.registry.lookup('example.com', 'v1', 'widgets')?.kind, 'Widget');
    c.ctx.store.create({ group: 'example.com', resource: 'widgets' }, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'default' },
    });
    c.ctx.store.delete(CRDS, undefined, 'widgets.example.com');
    assert.equal(c.ctx.registry.lookup('example.com', 'v1', 'widgets'), undefined);
    assert.equal(c.ctx.store.list({ group: 'example.com', resource: 'widgets' }).items.length, 0, 'custom resources go with their CRD');
  } finally {
    c.dispose();
  }
});

test('snapshot and restore keep objects, learner CRDs, resourceVersions and the clock', () => {
  const clock = createManualClock(Date.UTC(2026, 10, 26, 1, 0, 0));
  const c = Cluster.create({ withMesh: false, seed: 7, clock });
  c.ctx.store.create(CRDS, structuredClone(widgetCrd) as unknown as KObject);
  c.ctx.store.create({ group: 'example.com', resource: 'widgets' }, {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default' },
    spec: { size: 3 },
  });
  clock.advance(60_000);
  const snap = JSON.parse(JSON.stringify(c.snapshot()));
  const rv = c.ctx.store.resourceVersion;
  c.dispose();

  const restored = Cluster.create({ snapshot: snap, withMesh: false });
  const scaled = Cluster.create({ snapshot: { ...snap, timeScale: 10 }, withMesh: false });
  try {
    assert.ok(Math.abs(scaled.ctx.clock.now() - snap.now) < 5_000, 'sped-up time continues from the snapshot');
    assert.equal(restored.ctx.id, snap.id);
    assert.equal(restored.ctx.store.resourceVersion, rv);
    assert.equal(restored.ctx.registry.lookup('example.com', 'v1', 'widgets')?.kind, 'Widget');
    const w = restored.ctx.store.get({ group: 'example.com', resource: 'widgets' }, 'default', 'w');
    assert.deepEqual(w?.spec, { size: 3 });
    assert.ok(Math.abs(restored.ctx.clock.now() - Date.now()) < 5_000, 'at real speed the clock catches up with the downtime (the snapshot is from January)');
    assert.ok(snap.now < Date.now() - 60_000);
    assert.ok(restored.ctx.store.get({ group: '', resource: 'namespaces' }, undefined, 'istio-system'), 'not re-seeded, still there');
  } finally {
    restored.dispose();
    scaled.dispose();
  }
});

test('snapshot and restore keep the mesh: portal settings come back with the cluster', async () => {
  const { cluster: c, clock } = travelsCluster();
  await runFor(clock, 60_000);
  const settings = c.mesh?.sim.portal('viaggi.it')?.settings;
  assert.ok(settings, 'the mesh knows the running portals');
  assert.ok(c.mesh?.sim.setPortalSettings('viaggi.it', { ...settings, request_ratio: 90 }));
  const snap = JSON.parse(JSON.stringify(c.snapshot()));
  c.dispose();
  assert.ok(snap.mesh, 'the snapshot carries the mesh');

  const restored = Cluster.create({ snapshot: snap, clock: createManualClock(snap.now) });
  try {
    assert.equal(restored.mesh?.sim.portal('viaggi.it')?.settings.request_ratio, 90);
    assert.equal(restored.mesh?.sim.portal('voyages.fr')?.settings.request_ratio, 50);
  } finally {
    restored.dispose();
  }
});
