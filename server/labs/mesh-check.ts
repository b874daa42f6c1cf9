/**
 * The meshTraffic check: asks the cluster's Kiali (through the API server's service proxy, like every
 * Kiali call of this project) for a workload graph and looks for traffic between two workloads.
 * `to` may name a workload, an app or a service, so "travel-agency/travels" matches travels-v1..v3 and the
 * travels service node (where requests stop that never reached a pod, e.g. circuit-breaker rejections).
 * With `only`, the edge must also be the only way `from` reaches that app (routing is in effect). With
 * `mirrored`, the callee's inbound metrics (by reporter) must show the traffic as only the callee's proxy
 * reports mirrored copies.
 */
import { kubeRequest } from '../kube/client.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';
import type { Check } from '../../labs/schema.ts';

type MeshCheck = Extract<Check, { type: 'meshTraffic' }>;

const KIALI = '/api/v1/namespaces/istio-system/services/kiali:20001/proxy/kiali';

interface GraphNode {
  id: string;
  nodeType?: string;
  namespace?: string;
  workload?: string;
  app?: string;
  service?: string;
  destServices?: { namespace?: string; name?: string }[];
}
interface GraphEdge {
  id?: string;
  source: string;
  target: string;
  traffic?: { protocol?: string; rates?: Record<string, string>; responses?: Record<string, { flags?: Record<string, string> }> };
}
interface Graph { elements?: { nodes?: { data: GraphNode }[]; edges?: { data: GraphEdge }[] } }

/** Window of `only` checks: short, so that what a routing change stopped soon leaves it. */
const ONLY_WINDOW = '30s';

export interface MeshVerdict { ok: boolean; detail: string }

function parseRef(ref: string): { ns: string; name: string } {
  const [ns, name] = ref.split('/');
  return { ns, name };
}

function nodeMatches(n: GraphNode | undefined, ref: { ns: string; name: string }, loose: boolean): boolean {
  if (!n || n.namespace !== ref.ns) return false;
  if (n.workload === ref.name || (ref.name === '*' && n.nodeType === 'workload')) return true;
  return loose && (n.app === ref.name || (n.nodeType === 'service' && n.service === ref.name));
}

function edgeRate(e: GraphEdge): number {
  const r = e.traffic?.rates ?? {};
  return Number(r.http ?? r.grpc ?? r.tcp ?? 0) || 0;
}

const isLive = (e: GraphEdge): boolean => edgeRate(e) > 0 || Object.keys(e.traffic?.responses ?? {}).length > 0;

/** "travels-v1 0.13 req/s", "service travels 0.27 req/s (404 NR)". */
function describeEdge(e: GraphEdge, target: GraphNode | undefined): string {
  const name = target?.nodeType === 'service' ? `service ${target.service}` : (target?.workload || target?.app || '?');
  const responses = e.traffic?.responses ?? {};
  const bad = Object.entries(responses).filter(([code]) => !code.startsWith('2'))
    .map(([code, r]) => [code, ...Object.keys(r.flags ?? {}).filter((f) => f !== '-')].join(' '));
  return `${name} ${edgeRate(e).toFixed(2)} req/s${bad.length ? ` (${bad.join(', ')})` : ''}`;
}

/**
 * Edges from `from` that reach the same app as `to` somewhere else: another workload of that app, or its
 * service node (requests that reached no pod, e.g. 404 NR when no route matched).
 */
function strayEdges(edges: GraphEdge[], nodes: Map<string, GraphNode>, from: { ns: string; name: string }, to: { ns: string; name: string }): GraphEdge[] {
  const targets = [...nodes.values()].filter((n) => nodeMatches(n, to, true));
  const apps = new Set(targets.map((n) => n.app).filter(Boolean));
  const services = new Set([...apps, ...targets.flatMap((n) => (n.destServices ?? []).map((d) => d.name))].filter(Boolean));
  return edges.filter((e) => {
    const t = nodes.get(e.target);
    if (!t || t.namespace !== to.ns || nodeMatches(t, to, true) || !nodeMatches(nodes.get(e.source), from, false)) return false;
    return t.nodeType === 'service' ? services.has(t.service) : apps.has(t.app);
  }).filter(isLive);
}

/** Pure part: the verdict for a graph (exported for unit tests). */
export function judgeGraph(graph: Graph, check: Pick<MeshCheck, 'from' | 'to' | 'code' | 'flag' | 'absentCode' | 'only' | 'share'>): MeshVerdict {
  const nodes = new Map((graph.elements?.nodes ?? []).map((n) => [n.data.id, n.data]));
  const from = parseRef(check.from);
  const to = parseRef(check.to);
  const all = (graph.elements?.edges ?? []).map((e) => e.data);
  const edges = all.filter((e) => nodeMatches(nodes.get(e.source), from, false) && nodeMatches(nodes.get(e.target), to, true));
  const live = edges.filter(isLive);
  if (live.length === 0) return { ok: false, detail: `no traffic from ${check.from} to ${check.to} yet` };
  const codes = new Set(live.flatMap((e) => Object.keys(e.traffic?.responses ?? {})));
  if (check.code && !codes.has(check.code)) {
    return { ok: false, detail: `traffic seen, but no ${check.code} responses (codes: ${[...codes].join(', ') || 'none'})` };
  }
  if (check.code && check.flag) {
    const flags = new Set(live.flatMap((e) => Object.keys(e.traffic?.responses?.[check.code!]?.flags ?? {})));
    if (!flags.has(check.flag)) {
      return { ok: false, detail: `${check.code} responses seen, but with flag ${[...flags].join(', ') || '-'}, not ${check.flag}` };
    }
  }
  if (check.absentCode && codes.has(check.absentCode)) {
    return { ok: false, detail: `still seeing ${check.absentCode} responses` };
  }
  if (check.only) {
    const stray = strayEdges(all, nodes, from, to);
    if (stray.length > 0) {
      return {
        ok: false,
        detail: `${from.name} also sends requests elsewhere: ${stray.map((e) => describeEdge(e, nodes.get(e.target))).join('; ')}`
          + ` (traffic from before a change leaves this ${ONLY_WINDOW} window within a minute)`,
      };
    }
  }
  const rate = live.reduce((s, e) => s + edgeRate(e), 0);
  if (check.share) {
    const elsewhere = strayEdges(all, nodes, from, to).reduce((s, e) => s + edgeRate(e), 0);
    const pct = (100 * rate) / (rate + elsewhere || 1);
    const { min, max } = check.share;
    const who = from.name === '*' ? `the requests from ${from.ns}` : `${from.name}'s requests`;
    const verdict = `${Math.round(pct)} % of ${who} to ${to.name.replace(/-v\d+$/, '')} reach ${to.name} over the last minute`;
    if (pct < min || pct > max) return { ok: false, detail: `${verdict}, expected ${min}–${max} % (older traffic leaves the window within a minute)` };
    return { ok: true, detail: verdict };
  }
  return { ok: true, detail: `${rate.toFixed(2)} ${live[0].traffic?.protocol === 'tcp' ? 'B/s' : 'req/s'}${codes.size ? `, codes ${[...codes].join(', ')}` : ''}` };
}

/** Kiali's raw metrics: `request_count` series by the labels asked for, [unix seconds, rate] points. */
type RawMetrics = Record<string, { labels?: Record<string, string>; datapoints?: [number, string][] }[] | undefined>;

/**
 * Pure part of `mirrored` (exported for unit tests): `metrics` are the callee's inbound request counts by
 * source_workload and reporter. A mirrored copy is reported by the callee's proxy only; an ordinary
 * request by both proxies.
 */
export function judgeMirror(metrics: RawMetrics, check: Pick<MeshCheck, 'from' | 'to'>): MeshVerdict {
  const from = parseRef(check.from);
  const seen = (reporter: string) => (metrics.request_count ?? []).some((m) => m.labels?.reporter === reporter
    && m.labels?.source_workload === from.name && (m.datapoints ?? []).some(([, v]) => Number(v) > 0));
  if (!seen('destination')) return { ok: false, detail: `${parseRef(check.to).name}'s proxy reports no requests from ${from.name} in the last minute` };
  if (seen('source')) {
    return {
      ok: false,
      detail: `${from.name}'s own proxy reports requests to ${parseRef(check.to).name}: ordinary routed traffic, not mirrored copies`
        + ' (what was routed there before a change leaves this one-minute window soon)',
    };
  }
  return { ok: true, detail: 'reported by the destination only: mirrored copies' };
}

async function checkMirror(access: ClusterAccess, check: MeshCheck): Promise<MeshVerdict> {
  const to = parseRef(check.to);
  const q = new URLSearchParams({
    direction: 'inbound', reporter: 'both', duration: '60s', step: '15s', rateInterval: '15s',
    'filters[]': 'request_count', 'byLabels[]': 'source_workload,reporter',
  });
  const res = await kubeRequest<RawMetrics>(access, 'GET', `${KIALI}/api/namespaces/${to.ns}/workloads/${to.name}/metrics?${q}`);
  if (res.status !== 200 || typeof res.body !== 'object') return { ok: false, detail: `Kiali's metrics are not answering (HTTP ${res.status})` };
  return judgeMirror(res.body, check);
}

export async function checkMesh(access: ClusterAccess, check: MeshCheck): Promise<MeshVerdict> {
  const q = new URLSearchParams({
    namespaces: check.namespaces.join(','),
    graphType: 'workload',
    duration: check.only ? ONLY_WINDOW : '60s',
    injectServiceNodes: 'false',
    boxBy: '',
  });
  const res = await kubeRequest<Graph>(access, 'GET', `${KIALI}/api/namespaces/graph?${q}`);
  if (res.status !== 200 || typeof res.body !== 'object') {
    return { ok: false, detail: `Kiali is not answering (HTTP ${res.status}); the mesh may still be starting` };
  }
  const verdict = judgeGraph(res.body, check);
  return verdict.ok && check.mirrored ? checkMirror(access, check) : verdict;
}
