/**
 * Checks the generated built-in schemas against the upstream Kubernetes OpenAPI document (a test oracle in
 * ../shared, never read by the product): for every definition the tutorial's kinds reach, the fields, their
 * types and formats, and the strategic-merge-patch extensions must agree; descriptions mostly agree (upstream
 * is 1.28, the npm package is newer and rewords a few).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { definitions, type SchemaObject } from './definitions.ts';

const ORACLE = new URL('../../../../shared/reference/upstream/kubernetes-1.28-openapi-v2.json', import.meta.url);
const upstream = (JSON.parse(readFileSync(ORACLE, 'utf8')) as { definitions: Record<string, SchemaObject> }).definitions;
const ours = definitions().schemas;

const ROOTS = ['Namespace', 'Pod', 'Service', 'ConfigMap', 'Secret', 'ServiceAccount', 'Endpoints', 'Event', 'Node']
  .map((k) => `io.k8s.api.core.v1.${k}`)
  .concat(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].map((k) => `io.k8s.api.apps.v1.${k}`))
  .concat(['Job', 'CronJob'].map((k) => `io.k8s.api.batch.v1.${k}`));

// Fields upstream 1.28 had that later releases removed or retyped (the npm package follows newer Kubernetes).
const REMOVED = new Set(['io.k8s.api.core.v1.PodResourceClaim.source']);
const RETYPED: Record<string, string> = {
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec.resources': 'ref:io.k8s.api.core.v1.VolumeResourceRequirements',
};

function refName(s: SchemaObject): string | undefined {
  const ref = s.$ref ?? s.allOf?.[0]?.$ref;
  return ref?.slice(ref.lastIndexOf('/') + 1);
}

function closure(): string[] {
  const seen = new Set<string>(ROOTS);
  const queue = [...ROOTS];
  while (queue.length) {
    const name = queue.shift()!;
    const walk = (s: SchemaObject | undefined): void => {
      if (!s) return;
      const r = refName(s);
      if (r && !seen.has(r)) { seen.add(r); queue.push(r); }
      walk(s.items);
      if (typeof s.additionalProperties === 'object') walk(s.additionalProperties);
    };
    for (const [field, p] of Object.entries(upstream[name]?.properties ?? {})) if (!REMOVED.has(`${name}.${field}`)) walk(p);
  }
  return [...seen];
}

const kindOf = (s: SchemaObject): string => (refName(s) ? `ref:${refName(s)}` : `${s.type}${s.format ? `/${s.format}` : ''}`);
const PATCH_KEYS = ['x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type'] as const;

test('every upstream field of the tutorial kinds exists with the same type', () => {
  const names = closure();
  assert.ok(names.length > 100, `closure has ${names.length} definitions`);
  for (const name of names) {
    const up = upstream[name]!;
    const mine = ours[name];
    assert.ok(mine, `definition ${name}`);
    for (const [field, p] of Object.entries(up.properties ?? {})) {
      if (REMOVED.has(`${name}.${field}`)) continue;
      const m = mine.properties?.[field];
      assert.ok(m, `${name}.${field}`);
      assert.equal(kindOf(m), RETYPED[`${name}.${field}`] ?? kindOf(p), `${name}.${field} type`);
      if (p.type === 'array') assert.equal(kindOf(m.items ?? {}), kindOf(p.items ?? {}), `${name}.${field} items`);
    }
  }
});

test('strategic merge patch extensions agree with upstream', () => {
  let checked = 0;
  for (const name of closure()) {
    for (const [field, p] of Object.entries(upstream[name]!.properties ?? {})) {
      const m = ours[name]?.properties?.[field];
      if (!m) continue;
      for (const key of PATCH_KEYS) {
        if (p[key] === undefined) continue;
        checked++;
        assert.deepEqual(m[key], p[key], `${name}.${field} ${key}`);
      }
    }
  }
  assert.ok(checked > 40, `checked ${checked} extensions`);
});

test('descriptions match upstream for most fields and for the ones explain users read first', () => {
  let same = 0;
  let total = 0;
  for (const name of closure()) {
    for (const [field, p] of Object.entries(upstream[name]!.properties ?? {})) {
      const m = ours[name]?.properties?.[field];
      if (!m || !p.description) continue;
      total++;
      if (m.description === p.description) same++;
    }
  }
  assert.ok(same / total > 0.85, `${same}/${total} descriptions equal`);
  for (const [def, field] of [['io.k8s.api.apps.v1.DeploymentSpec', 'replicas'], ['io.k8s.api.core.v1.PodSpec', 'containers'], ['io.k8s.api.core.v1.ServiceSpec', 'type'], ['io.k8s.api.core.v1.Container', 'image']] as const) {
    assert.equal(ours[def]?.properties?.[field]?.description, upstream[def]?.properties?.[field]?.description, `${def}.${field}`);
  }
  assert.equal(ours['io.k8s.api.apps.v1.Deployment']?.description, upstream['io.k8s.api.apps.v1.Deployment']?.description);
});
