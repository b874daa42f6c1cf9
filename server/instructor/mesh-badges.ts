/**
 * The "mesh wall": a few facts about what an attendee's mesh is doing, read from their cluster through
 * the Kubernetes API only (so it works on the emulator and a real cluster alike): sidecars injected in the
 * Travels namespaces, routing rules and policies present, and from Kiali's graph whether traffic flows
 * and how much of it fails (4xx / 5xx / 403).
 */
import { kubeRequest } from '../kube/client.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';
import { TRAVELS_NAMESPACES, type MeshBadges } from '../../protocol/instructor.ts';
const KIALI = '/api/v1/namespaces/istio-system/services/kiali:20001/proxy/kiali';

interface List<T> {
  items?: T[];
}
interface Pod {
  metadata?: { namespace?: string };
  status?: { phase?: string };
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
}

async function count(access: ClusterAccess, path: string): Promise<number> {
  const r = await kubeRequest<List<unknown>>(access, 'GET', path);
  return r.status === 200 && Array.isArray(r.body?.items) ? r.body.items.length : 0;
}

/** Pods of the Travels namespaces, one list per namespace: listing every pod of the cluster costs the
 * emulator ~50× more (istio-system and kube-system carry most of the objects). */
async function sidecars(access: ClusterAccess): Promise<MeshBadges['sidecars']> {
  const lists = await Promise.all(TRAVELS_NAMESPACES.map((ns) => kubeRequest<List<Pod>>(access, 'GET', `/api/v1/namespaces/${ns}/pods`)));
  const pods = lists.flatMap((r) => (r.status === 200 ? (r.body.items ?? []) : []))
    .filter((p) => p.status?.phase !== 'Succeeded');
  const has = (p: Pod) => [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? [])].some((c) => c.name === 'istio-proxy');
  return { injected: pods.filter(has).length, total: pods.length };
}

interface GraphEdge {
  data?: {
    traffic?: {
      protocol?: string;
      rates?: Record<string, string>;
      responses?: Record<string, { flags?: Record<string, string> }>;
    };
  };
}

/** Aggregates Kiali graph edges into total HTTP rate and the rate-weighted share of 4xx/5xx/403. */
export function trafficFromGraph(graph: unknown): { rps: number; errors: MeshBadges['errors'] } {
  const edges = ((graph as { elements?: { edges?: GraphEdge[] } })?.elements?.edges ?? []);
  let rps = 0;
  const weighted = { http4xx: 0, http5xx: 0, http403: 0 };
  for (const e of edges) {
    const t = e.data?.traffic;
    if (!t || (t.protocol && t.protocol !== 'http')) continue;
    const rate = Number(t.rates?.http ?? 0) || 0;
    if (!rate) continue;
    rps += rate;
    for (const [code, r] of Object.entries(t.responses ?? {})) {
      const pct = Object.values(r.flags ?? {}).reduce((n, v) => n + (Number(v) || 0), 0);
      if (code.startsWith('4')) weighted.http4xx += (rate * pct) / 100;
      if (code.startsWith('5')) weighted.http5xx += (rate * pct) / 100;
      if (code === '403') weighted.http403 += (rate * pct) / 100;
    }
  }
  const share = (n: number) => (rps ? Math.round((1000 * n) / rps) / 10 : 0);
  return {
    rps: Math.round(rps * 100) / 100,
    errors: { http4xx: share(weighted.http4xx), http5xx: share(weighted.http5xx), http403: share(weighted.http403) },
  };
}

export function graphPath(namespaces: readonly string[] = TRAVELS_NAMESPACES, duration = '60s'): string {
  const q = new URLSearchParams({ namespaces: namespaces.join(','), graphType: 'versionedApp', duration, injectServiceNodes: 'true' });
  return `${KIALI}/api/namespaces/graph?${q}`;
}

export async function readMeshBadges(access: ClusterAccess, now = Date.now()): Promise<MeshBadges> {
  const [pods, vs, dr, gw, ap, graph] = await Promise.allSettled([
    sidecars(access),
    count(access, '/apis/networking.istio.io/v1/virtualservices'),
    count(access, '/apis/networking.istio.io/v1/destinationrules'),
    count(access, '/apis/networking.istio.io/v1/gateways'),
    count(access, '/apis/security.istio.io/v1/authorizationpolicies'),
    kubeRequest(access, 'GET', graphPath()),
  ]);
  const val = <T>(r: PromiseSettledResult<T>, d: T): T => (r.status === 'fulfilled' ? r.value : d);
  const g = val(graph, undefined);
  const traffic = g && g.status === 200 ? trafficFromGraph(g.body) : undefined;
  const failed = [pods, vs, graph].find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
  return {
    sidecars: val(pods, { injected: 0, total: 0 }),
    routingRules: val(vs, 0) + val(dr, 0) + val(gw, 0),
    authorizationPolicies: val(ap, 0),
    trafficRps: traffic?.rps ?? null,
    errors: traffic?.errors ?? null,
    checkedAt: now,
    ...(failed ? { error: String((failed.reason as Error)?.message ?? failed.reason) } : {}),
  };
}
