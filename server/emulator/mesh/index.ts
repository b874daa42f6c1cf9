/**
 * The living mesh of one emulated cluster: watches the cluster's objects, runs the Travels traffic
 * model on the cluster clock, and keeps Istio-style telemetry, logs and traces for the Kiali API,
 * the ingress gateway and istioctl's debug endpoints.
 */
import type { ClusterContext } from '../cluster.ts';
import { restartContainer } from '../controllers/index.ts';
import type { KObject, ResourceKey } from '../store/types.ts';
import { MeshSimulator, type MeshSnapshot } from './simulator.ts';

export type { MeshSnapshot };
import type { MeshObjects } from './topology.ts';

export interface MeshHandle {
  dispose(): void;
  /** The simulator: topology, telemetry, traces and portal state. */
  readonly sim: MeshSimulator;
  /** Applies pending object changes and runs traffic up to the clock's now (call before reading). */
  sync(): void;
  /** The cluster's current simulated time. */
  now(): number;
  /** Telemetry and portal state, to keep across a server restart (pass back to startMesh). */
  snapshot(): MeshSnapshot;
}

const KEYS: Record<keyof MeshObjects, ResourceKey> = {
  namespaces: { group: '', resource: 'namespaces' },
  pods: { group: '', resource: 'pods' },
  services: { group: '', resource: 'services' },
  deployments: { group: 'apps', resource: 'deployments' },
  replicaSets: { group: 'apps', resource: 'replicasets' },
  virtualServices: { group: 'networking.istio.io', resource: 'virtualservices' },
  destinationRules: { group: 'networking.istio.io', resource: 'destinationrules' },
  gateways: { group: 'networking.istio.io', resource: 'gateways' },
  authorizationPolicies: { group: 'security.istio.io', resource: 'authorizationpolicies' },
  sidecars: { group: 'networking.istio.io', resource: 'sidecars' },
  peerAuthentications: { group: 'security.istio.io', resource: 'peerauthentications' },
};
const WATCHED = new Set(Object.values(KEYS).map((k) => `${k.group}/${k.resource}`));

/** Reads the objects the mesh cares about from the store. */
export function listMeshObjects(store: ClusterContext['store']): MeshObjects {
  const out = {} as MeshObjects;
  for (const [field, k] of Object.entries(KEYS) as [keyof MeshObjects, ResourceKey][]) {
    out[field] = store.list(k).items as KObject[];
  }
  return out;
}

export function startMesh(ctx: ClusterContext, opts: { snapshot?: MeshSnapshot } = {}): MeshHandle {
  const sim = new MeshSimulator({
    rng: ctx.rng,
    log: (ns, pod, container, line, at) => ctx.logs.append(ns, pod, container, line, at),
    restartContainer: (ns, pod, container) => {
      // The portal panics on a transport error; the kubelet restarts it.
      restartContainer(ctx, ns, pod, container, { exitCode: 2, reason: 'Error' });
    },
  });
  let dirty = true;
  if (opts.snapshot) {
    sim.setObjects(listMeshObjects(ctx.store), ctx.clock.now());
    sim.restore(opts.snapshot);
  }
  const unwatch = ctx.store.watch(undefined, {}, (e) => {
    if (WATCHED.has(`${e.key.group}/${e.key.resource}`)) dirty = true;
  });
  const sync = () => {
    const now = ctx.clock.now();
    if (dirty) {
      dirty = false;
      sim.setObjects(listMeshObjects(ctx.store), now);
    }
    sim.advance(now);
  };
  // One tick per simulated second at normal speed; at high time scales keep the real interval near 50 ms.
  const tickMs = Math.max(1000, Math.round(ctx.clock.timeScale * 50));
  const cancel = ctx.clock.setInterval(sync, tickMs);
  return {
    sim,
    sync,
    now: () => ctx.clock.now(),
    snapshot: () => {
      sync();
      return sim.snapshot();
    },
    dispose() {
      cancel();
      unwatch();
    },
  };
}
