/**
 * Opaque TCP through the mesh (the leaf services' MySQL connections): VirtualService tcp weights chosen
 * per connection, DestinationRule subsets, AuthorizationPolicy (a denied connection is closed before
 * any data), and Istio's TCP metrics from both proxies.
 */
import type { MeshEngine } from './engine.ts';
import { authorize, egressAllows, findDestinationRule, findVirtualService, peerMode, splitWeighted, subsetEndpoints } from './routing.ts';
import type { PodInfo, ServiceInfo } from './topology.ts';

/** n connections (one query each) from src to svc at t; returns how many got their answer. */
export function connectTcp(engine: MeshEngine, src: PodInfo, svc: ServiceInfo, t: number, n: number): number {
  const viaProxy = src.hasProxy && src.up && egressAllows(engine.topo, src, svc);
  const vs = viaProxy ? findVirtualService(engine.topo, svc.fqdn, 'mesh', src.namespace) : undefined;
  const route = vs?.tcp[0]?.route;
  if (!route || route.length === 0) return connectGroup(engine, src, viaProxy, svc, undefined, t, n);
  const counts: number[] = [];
  splitWeighted(route, n, engine.rng, counts);
  let ok = 0;
  for (let i = 0; i < route.length; i++) {
    const target = counts[i] > 0 ? engine.service(route[i].host, src.namespace) : undefined;
    if (target) ok += connectGroup(engine, src, viaProxy, target, route[i].subset, t, counts[i]);
  }
  return ok;
}

function connectGroup(engine: MeshEngine, src: PodInfo, viaProxy: boolean, svc: ServiceInfo, subset: string | undefined, t: number, n: number): number {
  const topo = engine.topo;
  const dr = viaProxy ? findDestinationRule(topo, svc.fqdn, src.namespace) : undefined;
  const pods = viaProxy ? subsetEndpoints(svc, dr, subset) : svc.endpoints;
  if (!pods || pods.length === 0) {
    if (viaProxy) engine.reporter.tcp('source', src, undefined, svc, 'UH', false, t, n, 0, 0);
    return 0;
  }
  const pod = pods.length === 1 ? pods[0] : pods[Math.floor(engine.rng() * pods.length)];
  const mtls = viaProxy && pod.hasProxy;
  if (pod.hasProxy && !mtls && peerMode(topo, pod) === 'STRICT') return 0;
  const allowed = !pod.hasProxy || authorize(topo, pod, mtls ? src.principal : undefined);
  // Istio counts per connection, not per proxy: "sent" = response bytes (a city's rows, ~1.5 kB),
  // "received" = request bytes (one ~200-byte query), the same on both reporters (istio/istio#32399).
  const request = allowed ? n * (180 + engine.rng() * 60) : 0;
  const response = allowed ? n * (900 + engine.rng() * 1200) : 0;
  if (viaProxy) engine.reporter.tcp('source', src, pod.hasProxy ? pod : undefined, svc, '-', mtls, t, n, response, request);
  if (pod.hasProxy) engine.reporter.tcp('destination', mtls ? src : undefined, pod, svc, '-', mtls, t, n, response, request);
  return allowed ? n : 0;
}
