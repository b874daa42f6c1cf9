/**
 * One emulated cluster: the composition of store, clock, registry, logs, controllers, seed objects and
 * the mesh simulator. Everything a cluster owns is created here and released by dispose(), and its
 * whole state round-trips through snapshot() so a server restart loses nothing.
 */
import { seededRng } from './seeded-rng.ts';
import { randomUUID } from 'node:crypto';
import { createClock, type Clock } from './clock.ts';
import { Registry } from './registry/registry.ts';
import { ObjectStore, type StoreSnapshot } from './store/object-store.ts';
import { LogBook } from './logs/log-book.ts';
import { seedCluster } from './seed/index.ts';
import { startControllers } from './controllers/index.ts';
import { startMesh, type MeshHandle, type MeshSnapshot } from './mesh/index.ts';
import type { KObject, ResourceKey } from './store/types.ts';
import { holdsDeletion } from './apiserver/deletion.ts';

export interface ClusterContext {
  id: string;
  store: ObjectStore;
  clock: Clock;
  registry: Registry;
  logs: LogBook;
  /** Seeded random numbers in [0, 1): names, hashes and IPs repeat for the same seed. */
  rng: () => number;
}

export interface ClusterSnapshot {
  version: 1;
  id: string;
  /** Simulated time when the snapshot was taken; the restored clock continues from here (or from now, at real speed). */
  now: number;
  timeScale: number;
  seed: number;
  store: StoreSnapshot;
  /** Telemetry, traces and portal settings, so graphs and metrics survive a restart too. */
  mesh?: MeshSnapshot;
}

export interface ClusterOptions {
  id?: string;
  timeScale?: number;
  seed?: number;
  clock?: Clock;
  snapshot?: ClusterSnapshot;
  /** Start the mesh traffic simulator (default true). */
  withMesh?: boolean;
}

/**
 * Events a watch can resume from. kubectl lists and then watches from the list's resourceVersion at
 * once, so a short history is enough, and each kept event pins an old object version in memory.
 */
const WATCH_HISTORY = 512;

const CRD_KEY: ResourceKey = { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' };

export class Cluster {
  readonly ctx: ClusterContext;
  readonly mesh: MeshHandle | undefined;
  private readonly seed: number;
  private readonly disposers: (() => void)[] = [];

  private constructor(ctx: ClusterContext, seed: number, opts: ClusterOptions, fresh: boolean) {
    this.ctx = ctx;
    this.seed = seed;
    // Any CRD write — seed, learner, restore — keeps discovery in step with the stored definitions.
    for (const crd of ctx.store.list(CRD_KEY).items) ctx.registry.addCrd(crd);
    this.disposers.push(
      ctx.store.watch(CRD_KEY, {}, (e) => {
        if (e.type === 'DELETED') {
          ctx.registry.removeCrd(e.object.metadata.name);
          purgeCustomResources(ctx, e.object);
        } else if (!e.object.metadata.deletionTimestamp) ctx.registry.addCrd(e.object);
      }),
    );
    if (fresh) seedCluster(ctx);
    const controllers = startControllers(ctx);
    this.disposers.push(() => controllers.dispose());
    this.mesh = opts.withMesh === false ? undefined : startMesh(ctx, { snapshot: opts.snapshot?.mesh });
    this.disposers.push(() => ctx.clock.dispose());
  }

  static create(opts: ClusterOptions = {}): Cluster {
    const snap = opts.snapshot;
    const seed = opts.seed ?? snap?.seed ?? Math.floor(Math.random() * 2 ** 31);
    const timeScale = opts.timeScale ?? snap?.timeScale ?? 1;
    // At real speed the cluster's time is wall time: after a server restart, ages (kubectl's AGE column)
    // include the downtime, as a real cluster's would. Sped-up time has left the wall clock anyway.
    const start = snap && (timeScale === 1 ? Math.max(snap.now, Date.now()) : snap.now);
    const clock = opts.clock ?? createClock({ timeScale, start });
    const storeOpts = { now: () => clock.now(), holdsDeletion, historySize: WATCH_HISTORY };
    const store = snap ? ObjectStore.restore(snap.store, storeOpts) : new ObjectStore(storeOpts);
    const ctx: ClusterContext = {
      id: opts.id ?? snap?.id ?? randomUUID(),
      store,
      clock,
      registry: Registry.builtIn(),
      logs: new LogBook(),
      // A restored cluster must not replay the random names it already handed out.
      rng: seededRng(snap ? (seed ^ snap.store.resourceVersion) >>> 0 : seed),
    };
    return new Cluster(ctx, seed, opts, !snap);
  }

  /** The store's resourceVersion: it moves with every write to the cluster's objects. */
  revision(): string {
    return this.ctx.store.resourceVersion;
  }

  snapshot(): ClusterSnapshot {
    return {
      version: 1,
      id: this.ctx.id,
      now: this.ctx.clock.now(),
      timeScale: this.ctx.clock.timeScale,
      seed: this.seed,
      store: this.ctx.store.snapshot(),
      mesh: this.mesh?.snapshot(),
    };
  }

  dispose(): void {
    this.mesh?.dispose();
    for (const d of this.disposers.splice(0).reverse()) d();
  }
}

/** Deleting a CRD deletes its custom resources (apiextensions' customresourcecleanup finalizer). */
function purgeCustomResources(ctx: ClusterContext, crd: KObject): void {
  const spec = crd.spec as { group?: string; names?: { plural?: string } } | undefined;
  if (!spec?.group || !spec.names?.plural) return;
  const key: ResourceKey = { group: spec.group, resource: spec.names.plural };
  for (const obj of ctx.store.list(key).items) {
    try {
      const live = ctx.store.get(key, obj.metadata.namespace, obj.metadata.name);
      if (live?.metadata.finalizers?.length) ctx.store.update(key, { ...live, metadata: { ...live.metadata, finalizers: [] } });
      ctx.store.delete(key, obj.metadata.namespace, obj.metadata.name);
    } catch {
      // Already gone: nothing to clean up.
    }
  }
}

