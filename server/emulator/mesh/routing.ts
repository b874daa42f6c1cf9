/**
 * Istio's routing and policy decisions as pure lookups over a Topology: which VirtualService rule a
 * request matches, which DestinationRule subset and connection pool apply, whether a Sidecar lets a
 * proxy see a host, what PeerAuthentication mode a server has and whether an AuthorizationPolicy admits a caller.
 */
import {
  hostMatches,
  stringMatches,
  type DestinationRuleView,
  type HttpRule,
  type PeerAuthenticationView,
  type RouteDest,
  type TrafficPolicyView,
  type VirtualServiceView,
} from './istio-config.ts';
import { selects, type PodInfo, type ServiceInfo, type Topology } from './topology.ts';

export interface RequestAttrs {
  path: string;
  method: string;
  authority: string;
  headers: Record<string, string | undefined>;
}

/**
 * The VirtualService a proxy applies to `host`; `context` is 'mesh' for sidecars or `ns/name` of a gateway.
 * Istio's precedence where several claim the host: an exact host beats a wildcard, then a sidecar takes
 * one from its own namespace (`clientNs`) before the others, then the oldest (the list is oldest first).
 */
export function findVirtualService(topo: Topology, host: string, context: string, clientNs?: string): VirtualServiceView | undefined {
  let best: VirtualServiceView | undefined;
  let bestRank = Infinity;
  for (const vs of topo.istio.virtualServices) {
    if (!vs.gateways.includes(context)) continue;
    if (!vs.hosts.some((h) => hostMatches(h, host))) continue;
    const rank = (vs.hosts.includes(host) ? 0 : 2) + (clientNs !== undefined && vs.namespace === clientNs ? 0 : 1);
    if (rank < bestRank) {
      best = vs;
      bestRank = rank;
    }
  }
  return best;
}

function blockMatches(block: HttpRule['match'][number], req: RequestAttrs): boolean {
  for (const h of block.headers) if (!stringMatches(h.match, req.headers[h.name])) return false;
  if (block.uri && !stringMatches(block.uri, req.path)) return false;
  if (block.method && !stringMatches(block.method, req.method)) return false;
  if (block.authority && !stringMatches(block.authority, req.authority)) return false;
  return true;
}

/** First matching http rule, or undefined (Envoy answers 404 NR). */
export function matchHttpRule(vs: VirtualServiceView, req: RequestAttrs): HttpRule | undefined {
  for (const rule of vs.http) {
    if (rule.match.length === 0 || rule.match.some((b) => blockMatches(b, req))) return rule;
  }
  return undefined;
}

/** Splits n requests among weighted destinations (multinomial draw). Writes counts into out. */
export function splitWeighted(routes: RouteDest[], n: number, rng: () => number, out: number[]): void {
  out.length = routes.length;
  out.fill(0);
  let total = 0;
  for (const r of routes) total += Math.max(0, r.weight);
  if (total <= 0 || routes.length === 0) return;
  if (routes.length === 1) {
    out[0] = n;
    return;
  }
  for (let i = 0; i < n; i++) {
    let x = rng() * total;
    let j = 0;
    for (; j < routes.length - 1; j++) {
      x -= Math.max(0, routes[j].weight);
      if (x < 0) break;
    }
    out[j]++;
  }
}

/**
 * n requests balanced over k endpoints as a round-robin balancer does: an even share each, the remainder
 * to endpoints picked at random (so a lone request lands anywhere, and no endpoint is always first).
 */
export function spread(n: number, k: number, rng: () => number): number[] {
  const out = new Array<number>(k).fill(Math.floor(n / k));
  let left = n - Math.floor(n / k) * k;
  let start = Math.floor(rng() * k);
  while (left-- > 0) out[start++ % k]++;
  return out;
}

/** How many of n independent trials with probability p succeed. */
export function binomial(n: number, p: number, rng: () => number): number {
  if (p <= 0) return 0;
  if (p >= 1) return n;
  let k = 0;
  for (let i = 0; i < n; i++) if (rng() < p) k++;
  return k;
}

/** Istio's root configuration namespace: its DestinationRules apply mesh-wide. */
const ROOT_NAMESPACE = 'istio-system';

/**
 * The DestinationRule for a host, as istiod looks it up: the client's namespace, then the service's own,
 * then the root namespace (istio-system); a rule in any other namespace does not apply. Oldest first.
 */
export function findDestinationRule(topo: Topology, host: string, clientNs: string): DestinationRuleView | undefined {
  const serviceNs = /^[^.]+\.([^.]+)\.svc\.cluster\.local$/.exec(host)?.[1];
  let inService: DestinationRuleView | undefined;
  let inRoot: DestinationRuleView | undefined;
  for (const dr of topo.istio.destinationRules) {
    if (!hostMatches(dr.host, host)) continue;
    if (dr.namespace === clientNs) return dr;
    if (dr.namespace === serviceNs) inService ??= dr;
    else if (dr.namespace === ROOT_NAMESPACE) inRoot ??= dr;
  }
  return inService ?? inRoot;
}

/** Pods of the service that belong to the subset; undefined when the subset is not defined. */
export function subsetEndpoints(svc: ServiceInfo, dr: DestinationRuleView | undefined, subset: string | undefined): PodInfo[] | undefined {
  if (!subset) return svc.endpoints;
  const s = dr?.subsets.find((x) => x.name === subset);
  if (!s) return undefined;
  return svc.endpoints.filter((p) => Object.entries(s.labels).every(([k, v]) => p.labels[k] === v));
}

/** The effective traffic policy for a subset (subset overrides the top level). */
export function effectivePolicy(dr: DestinationRuleView | undefined, subset: string | undefined): TrafficPolicyView | undefined {
  if (!dr) return undefined;
  const s = subset ? dr.subsets.find((x) => x.name === subset) : undefined;
  return { pool: s?.policy?.pool ?? dr.policy?.pool, outlier: s?.policy?.outlier ?? dr.policy?.outlier };
}

/**
 * Requests one client proxy can have in flight + queued towards one upstream cluster. HTTP/1.1 carries
 * one request per connection, so maxConnections + http1MaxPendingRequests bounds it.
 */
export function poolCapacity(policy: TrafficPolicyView | undefined): number {
  const pool = policy?.pool;
  if (!pool) return Infinity;
  const conns = pool.maxConnections ?? Infinity;
  const pending = pool.http1MaxPendingRequests ?? Infinity;
  const active = pool.http2MaxRequests ?? Infinity;
  return Math.min(conns + pending, active + pending);
}

/** The Sidecar resource governing a pod: a selector match wins over the namespace default. */
export function sidecarFor(topo: Topology, pod: PodInfo) {
  let nsDefault;
  for (const sc of topo.istio.sidecars) {
    if (sc.namespace !== pod.namespace) continue;
    if (sc.selector && selects(sc.selector, pod.labels)) return sc;
    if (!sc.selector) nsDefault ??= sc;
  }
  return nsDefault;
}

/** Whether a proxy has configuration (cluster, routes) for a service; otherwise it passes through. */
export function egressAllows(topo: Topology, pod: PodInfo, svc: { namespace: string; fqdn: string }): boolean {
  const sc = sidecarFor(topo, pod);
  if (!sc || sc.egressHosts.length === 0) return true;
  return sc.egressHosts.some((entry) => {
    const [nsPart, hostPart = '*'] = entry.includes('/') ? entry.split('/') : ['*', entry];
    const nsOk = nsPart === '*' || (nsPart === '.' ? svc.namespace === sc.namespace : nsPart !== '~' && nsPart === svc.namespace);
    return nsOk && hostMatches(hostPart, svc.fqdn);
  });
}

export function peerMode(topo: Topology, pod: PodInfo): PeerAuthenticationView['mode'] {
  let mode: PeerAuthenticationView['mode'] = 'PERMISSIVE';
  let rank = 0;
  for (const pa of topo.istio.peerAuthentications) {
    const r = pa.namespace === pod.namespace ? (pa.selector ? (selects(pa.selector, pod.labels) ? 3 : 0) : 2) : pa.namespace === 'istio-system' && !pa.selector ? 1 : 0;
    if (r > rank && pa.mode !== 'UNSET') {
      rank = r;
      mode = pa.mode;
    }
  }
  return mode;
}

function sourceMatches(
  from: { principals?: string[]; notPrincipals?: string[]; namespaces?: string[]; notNamespaces?: string[] },
  principal: string | undefined,
): boolean {
  const ns = principal ? /\/ns\/([^/]+)\//.exec(principal)?.[1] : undefined;
  const glob = (p: string, v: string | undefined) =>
    v !== undefined && (p === '*' || p === v || (p.endsWith('*') && v.startsWith(p.slice(0, -1))) || (p.startsWith('*') && v.endsWith(p.slice(1))));
  if (from.principals && !from.principals.some((p) => glob(p, principal))) return false;
  if (from.notPrincipals && from.notPrincipals.some((p) => glob(p, principal))) return false;
  if (from.namespaces && !from.namespaces.some((p) => glob(p, ns))) return false;
  if (from.notNamespaces && from.notNamespaces.some((p) => glob(p, ns))) return false;
  return true;
}

/**
 * Server-side authorization: DENY policies first, then ALLOW ones (none → allowed). `principal` is the
 * caller's mTLS identity (no spiffe:// prefix), undefined for plaintext callers.
 */
export function authorize(topo: Topology, dest: PodInfo, principal: string | undefined): boolean {
  let hasAllow = false;
  let allowed = false;
  for (const ap of topo.istio.authorizationPolicies) {
    const applies = ap.namespace === 'istio-system' ? !ap.selector || selects(ap.selector, dest.labels) && dest.namespace === 'istio-system'
      : ap.namespace === dest.namespace && (!ap.selector || selects(ap.selector, dest.labels));
    if (!applies) continue;
    const matches = (ap.rules ?? []).some((r) => r.from.length === 0 || r.from.some((f) => sourceMatches(f, principal)));
    if (ap.action === 'DENY' && matches) return false;
    if (ap.action === 'ALLOW') {
      hasAllow = true;
      if (matches) allowed = true;
    }
  }
  return !hasAllow || allowed;
}
