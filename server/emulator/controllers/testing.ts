/**
 * Test fixtures for the controllers: a ClusterContext on a manual clock with a seeded RNG, and
 * helpers to write through admission and to let simulated time pass with the controllers running.
 */
import { pullError } from './registry.ts';
import { seededRng as rngFromSeed } from '../seeded-rng.ts';
import { createManualClock } from '../clock.ts';
import type { ClusterContext } from '../cluster.ts';
import { admit } from '../admission/index.ts';
import { LogBook } from '../logs/log-book.ts';
import { Registry } from '../registry/registry.ts';
import { ObjectStore } from '../store/object-store.ts';
import { holdsDeletion } from '../apiserver/deletion.ts';
import type { KObject, ResourceKey } from '../store/types.ts';
import { NAMESPACES, NODES } from './keys.ts';
import { startControllers } from './index.ts';
import type { ControllersHandle } from './index.ts';

export const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);

export const seededRng = (seed = 42): (() => number) => rngFromSeed(seed);

export interface TestCluster {
  ctx: ClusterContext;
  clock: ReturnType<typeof createManualClock>;
  controllers: ControllersHandle | undefined;
  /** Creates through admission, like the API server. */
  create(key: ResourceKey, obj: Omit<KObject, 'metadata'> & { metadata: Partial<KObject['metadata']> & { name: string } }): KObject;
  update(key: ResourceKey, obj: KObject): KObject;
  /** Advances simulated time in steps, letting the controllers settle after each. */
  run(ms: number, step?: number): void;
  start(): void;
}

export function testCluster(opts: { node?: boolean; namespaces?: string[] } = {}): TestCluster {
  const clock = createManualClock(T0);
  let uid = 0;
  const store = new ObjectStore({ now: () => clock.now(), newUid: () => `uid-${++uid}`, holdsDeletion });
  const ctx: ClusterContext = { id: 'test', store, clock, registry: Registry.builtIn(), logs: new LogBook(), rng: seededRng() };
  const info = (key: ResourceKey, obj: KObject) => {
    const version = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[1]! : obj.apiVersion;
    return ctx.registry.lookup(key.group, version, key.resource)!;
  };
  const tc: TestCluster = {
    ctx,
    clock,
    controllers: undefined,
    create(key, obj) {
      const full = { ...obj, metadata: { uid: '', resourceVersion: '', creationTimestamp: '', ...obj.metadata } } as KObject;
      const admitted = admit(ctx, 'CREATE', info(key, full), full);
      const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ...meta } = admitted.metadata;
      const out = store.create(key, { ...admitted, metadata: { ...meta, ...(admitted.metadata.uid ? { uid: admitted.metadata.uid } : {}) } });
      tc.controllers?.flush();
      return out;
    },
    update(key, obj) {
      const old = store.get(key, obj.metadata.namespace, obj.metadata.name);
      const out = store.update(key, admit(ctx, 'UPDATE', info(key, obj), structuredClone(obj), old));
      tc.controllers?.flush();
      return out;
    },
    run(ms, step = 100) {
      for (let t = 0; t < ms; t += step) {
        clock.advance(step);
        tc.controllers?.flush();
      }
    },
    start() {
      tc.controllers = startControllers(ctx);
      tc.controllers.flush();
    },
  };
  if (opts.node !== false) store.create(NODES, testNode());
  for (const ns of opts.namespaces ?? ['default']) tc.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  return tc;
}

export function testNode(): KObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: 'travels-lab-control-plane', uid: '', resourceVersion: '', creationTimestamp: '' },
    status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }], conditions: [{ type: 'Ready', status: 'True' }] },
  } as KObject;
}

/** The demo image a Travels workload runs (the portals share one): an image the registry has. */
const demoImage = (name: string) => `quay.io/kiali/demo_travels_${pullError(`quay.io/kiali/demo_travels_${name}:v1`) ? 'portal' : name}:v1`;

export function deployment(name: string, opts: { replicas?: number; image?: string; labels?: Record<string, string>; namespace?: string } = {}) {
  const labels = opts.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: opts.namespace ?? 'default' },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name, image: opts.image ?? demoImage(name), ports: [{ containerPort: 8000 }] }] } },
    },
  };
}
