/**
 * A whole emulated cluster (seed, controllers, admission with sidecar injection, mesh) running the
 * Travels demo from the project's manifests, on a manual clock: for integration tests and benchmarks.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { admit } from '../../admission/index.ts';
import { createManualClock } from '../../clock.ts';
import { Cluster } from '../../cluster.ts';
import type { KObject } from '../../store/types.ts';

const MANIFESTS = new URL('../../../../labs/travels/manifests/', import.meta.url);

/** Writes an object through admission, as the API server would. */
export function write(cluster: Cluster, obj: KObject): void {
  const ctx = cluster.ctx;
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const info = ctx.registry.byKind(obj.apiVersion, obj.kind);
  if (!info) throw new Error(`no resource for ${obj.apiVersion} ${obj.kind}`);
  const full = { ...obj, metadata: { ...obj.metadata, uid: obj.metadata.uid ?? '', resourceVersion: obj.metadata.resourceVersion ?? '', creationTimestamp: obj.metadata.creationTimestamp ?? '' } } as KObject;
  const admitted = admit(ctx, 'CREATE', { ...info, group, version }, full);
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ...meta } = admitted.metadata;
  ctx.store.create({ group: info.group, resource: info.resource }, { ...admitted, metadata: meta });
}

export function applyFile(cluster: Cluster, file: string, ns: string): void {
  for (const doc of parseAllDocuments(readFileSync(new URL(file, MANIFESTS), 'utf8'))) {
    const obj = doc.toJSON() as KObject | null;
    if (!obj?.kind) continue;
    obj.metadata.namespace ??= ns;
    write(cluster, obj);
  }
}

export type ManualClock = ReturnType<typeof createManualClock>;

/** The three Travels namespaces, labelled for injection, with the demo deployed. */
export function travelsCluster(seed = 11): { cluster: Cluster; clock: ManualClock } {
  const clock = createManualClock(Date.UTC(2026, 0, 1, 10));
  const cluster = Cluster.create({ clock, seed });
  for (const ns of ['travel-agency', 'travel-portal', 'travel-control']) {
    write(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio-injection': 'enabled' } } } as unknown as KObject);
  }
  applyFile(cluster, 'travel_agency.yaml', 'travel-agency');
  applyFile(cluster, 'travel_portal.yaml', 'travel-portal');
  applyFile(cluster, 'travel_control.yaml', 'travel-control');
  return { cluster, clock };
}

/** Advances the manual clock a second at a time, letting the controllers flush (they run on microtasks). */
export async function runFor(clock: ManualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1000) {
    clock.advance(1000);
    await new Promise((r) => setImmediate(r));
  }
}
