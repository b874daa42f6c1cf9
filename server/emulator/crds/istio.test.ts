import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { istioCrds } from './istio.ts';

// Upstream Istio CRDs: a test oracle only (never read by the product).
const ORACLE = new URL('../../../../shared/reference/upstream/istio-crds.gen.yaml', import.meta.url);

interface Crd {
  metadata: { name: string };
  spec: {
    group: string;
    names: Record<string, unknown>;
    scope: string;
    versions: { name: string; served: boolean; storage: boolean; additionalPrinterColumns?: unknown[]; schema: { openAPIV3Schema: Record<string, unknown> } }[];
  };
}

const upstream = new Map(
  parseAllDocuments(readFileSync(ORACLE, 'utf8'))
    .map((d) => d.toJS() as Crd | null)
    .filter((d): d is Crd => !!d)
    .map((d) => [d.metadata.name, d]),
);
const ours = istioCrds(Date.parse('2026-11-26T00:00:00Z')) as unknown as Crd[];

test('every Istio kind the labs need is defined', () => {
  const kinds = ours.map((c) => c.spec.names.kind).sort();
  assert.deepEqual(kinds, [
    'AuthorizationPolicy', 'DestinationRule', 'EnvoyFilter', 'Gateway', 'PeerAuthentication', 'ProxyConfig',
    'RequestAuthentication', 'ServiceEntry', 'Sidecar', 'Telemetry', 'VirtualService', 'WasmPlugin', 'WorkloadEntry', 'WorkloadGroup',
  ]);
});

test('names, scope, versions and printer columns agree with Istio', () => {
  for (const crd of ours) {
    const up = upstream.get(crd.metadata.name);
    assert.ok(up, `${crd.metadata.name} exists upstream`);
    assert.deepEqual(crd.spec.names, up.spec.names, crd.metadata.name);
    assert.equal(crd.spec.scope, up.spec.scope);
    const strip = (v: Crd['spec']['versions'][number]) => ({ name: v.name, served: v.served, storage: v.storage, cols: v.additionalPrinterColumns ?? [] });
    assert.deepEqual(crd.spec.versions.map(strip), up.spec.versions.map(strip), crd.metadata.name);
  }
});

test('schemas keep Istio structure: top-level fields and descriptions of spec', () => {
  for (const crd of ours) {
    const up = upstream.get(crd.metadata.name)!;
    for (const [i, v] of crd.spec.versions.entries()) {
      const mine = v.schema.openAPIV3Schema as { properties: Record<string, { description?: string; properties?: Record<string, unknown> }> };
      const theirs = up.spec.versions[i]!.schema.openAPIV3Schema as typeof mine;
      assert.deepEqual(Object.keys(mine.properties).sort(), Object.keys(theirs.properties).sort(), crd.metadata.name);
      assert.equal(mine.properties.spec?.description, theirs.properties.spec?.description, `${crd.metadata.name} spec description`);
      const ourFields = Object.keys(mine.properties.spec?.properties ?? {});
      const upFields = Object.keys(theirs.properties.spec?.properties ?? {});
      // Newer Istio may add fields; every field we serve must exist upstream.
      for (const f of ourFields) assert.ok(upFields.includes(f), `${crd.metadata.name} spec.${f}`);
      assert.equal((mine.properties.status as Record<string, unknown>)['x-kubernetes-preserve-unknown-fields'], true);
    }
  }
});

test('CRD objects look established', () => {
  const vs = ours.find((c) => c.metadata.name === 'virtualservices.networking.istio.io') as unknown as { status: { conditions: { type: string; status: string }[]; storedVersions: string[] } };
  assert.deepEqual(vs.status.conditions.map((c) => `${c.type}=${c.status}`), ['NamesAccepted=True', 'Established=True']);
  assert.deepEqual(vs.status.storedVersions, ['v1']);
});
