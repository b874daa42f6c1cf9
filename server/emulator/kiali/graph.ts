/**
 * Kiali's graph endpoints: `/api/namespaces/graph` and the node detail graphs, from query options to
 * Cytoscape JSON. Options follow graph/options.go (graphType, duration, queryTime, injectServiceNodes,
 * boxBy, appenders, rateHttp, rateTcp, responseTime).
 */
import type { MeshHandle } from '../mesh/index.ts';
import { appendHealth, appendIstio, appendResponseTime, appendSecurity, markOutsidersAndRoots, type ResponseTimeStat } from './appenders.ts';
import { toCytoscape } from './graph-json.ts';
import { buildNamespaceMap, mergeMaps, seriesRate, type GraphType, type MapOptions, type TrafficMap } from './traffic-map.ts';

export interface GraphRequest {
  namespaces: string[];
  graphType: GraphType;
  durationSec: number;
  queryTimeSec: number;
  injectServiceNodes: boolean;
  boxBy: string[];
  appenders: Set<string> | 'all';
  rateHttp: boolean;
  rateTcp: MapOptions['rateTcp'];
  responseTime: ResponseTimeStat;
}

/** `60s`, `10m`, `1h`, `600` → seconds. */
export function parsePromDuration(v: string | null, fallback: number): number {
  if (!v) return fallback;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v.trim());
  if (!m) return fallback;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return unit === 'ms' ? n / 1000 : unit === 's' ? n : unit === 'm' ? n * 60 : unit === 'h' ? n * 3600 : n * 86400;
}

export function parseGraphRequest(q: URLSearchParams, nowSec: number): GraphRequest | { error: string } {
  const gt = (q.get('graphType') ?? 'workload') as GraphType;
  if (!['app', 'versionedApp', 'workload', 'service'].includes(gt)) return { error: `Invalid graphType [${gt}]` };
  const appenders = q.get('appenders');
  const boxBy = (q.get('boxBy') ?? '').split(',').filter(Boolean);
  return {
    namespaces: (q.get('namespaces') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    graphType: gt,
    durationSec: parsePromDuration(q.get('duration'), 600),
    queryTimeSec: Number(q.get('queryTime')) || nowSec,
    injectServiceNodes: gt === 'service' ? true : q.get('injectServiceNodes') === 'true',
    boxBy,
    appenders: appenders === null ? 'all' : new Set(appenders.split(',').filter(Boolean)),
    rateHttp: (q.get('rateHttp') ?? 'requests') !== 'none',
    rateTcp: (q.get('rateTcp') ?? 'sent') as MapOptions['rateTcp'],
    responseTime: (q.get('responseTime') ?? '95') as ResponseTimeStat,
  };
}

function mapOptions(r: GraphRequest): MapOptions {
  const toMs = r.queryTimeSec * 1000;
  return {
    graphType: r.graphType === 'service' ? 'workload' : r.graphType,
    injectServiceNodes: r.injectServiceNodes,
    fromMs: toMs - r.durationSec * 1000,
    toMs,
    durationSec: r.durationSec,
    rateHttp: r.rateHttp,
    rateTcp: r.rateTcp,
  };
}

const wants = (r: GraphRequest, a: string) => r.appenders === 'all' || r.appenders.has(a);

function finish(mesh: MeshHandle, map: TrafficMap, r: GraphRequest, o: MapOptions, namespaces: string[]): unknown {
  const store = mesh.sim.telemetry;
  if (wants(r, 'responseTime')) appendResponseTime(map, store, o, r.responseTime);
  if (wants(r, 'securityPolicy')) appendSecurity(map, store, o);
  appendIstio(map, mesh.sim.topo, wants(r, 'istio'));
  if (wants(r, 'health')) appendHealth(map, mesh.sim.topo);
  markOutsidersAndRoots(map, namespaces);
  const finalMap = r.graphType === 'service' ? reduceToServiceGraph(map) : map;
  return toCytoscape(finalMap, r.graphType, r.boxBy, r.queryTimeSec, r.durationSec);
}

/** GET /api/namespaces/graph */
export function namespacesGraph(mesh: MeshHandle, r: GraphRequest): unknown {
  const o = mapOptions(r);
  const map: TrafficMap = new Map();
  for (const ns of r.namespaces) mergeMaps(map, ns, buildNamespaceMap(mesh.sim.telemetry, ns, o));
  return finish(mesh, map, r, o, r.namespaces);
}

export interface NodeSpec {
  namespace: string;
  kind: 'app' | 'workload' | 'service';
  name: string;
  version?: string;
}

/** Node detail graph: destination reports into the node, source reports out of it. */
export function nodeGraph(mesh: MeshHandle, r: GraphRequest, node: NodeSpec): unknown {
  const o = mapOptions(r);
  if (node.kind === 'app' && o.graphType === 'workload') o.graphType = 'versionedApp';
  const full = buildNamespaceMap(mesh.sim.telemetry, node.namespace, o);
  const map: TrafficMap = new Map();
  const hit = (n: { namespace: string; nodeType: string; workload: string; app: string; version: string; service: string }) =>
    n.namespace === node.namespace && (
      (node.kind === 'workload' && n.nodeType === 'workload' && n.workload === node.name) ||
      (node.kind === 'app' && n.nodeType === 'app' && n.app === node.name && (!node.version || n.version === node.version)) ||
      (node.kind === 'service' && n.nodeType === 'service' && n.service === node.name));
  for (const n of full.values()) {
    const keep = n.edges.filter((e) => hit(e.source) || hit(e.dest));
    if (hit(n) || keep.length) {
      map.set(n.id, n);
      n.edges = keep;
    }
  }
  for (const n of full.values()) for (const e of n.edges) if (hit(e.dest) && !map.has(e.source.id)) map.set(e.source.id, e.source);
  for (const n of [...map.values()]) for (const e of n.edges) if (!map.has(e.dest.id)) map.set(e.dest.id, e.dest);
  if (node.kind === 'app' && r.graphType === 'app') r.graphType = 'app';
  r.namespaces = [node.namespace];
  const out = finish(mesh, map, r, o, [node.namespace]) as { elements: unknown };
  return out;
}

/**
 * A service graph is the service-injected workload graph with workloads folded into the services that
 * front them; non-service roots (portals, the gateway, unknown) stay.
 */
export function reduceToServiceGraph(map: TrafficMap): TrafficMap {
  const out: TrafficMap = new Map();
  const feeders = new Map<string, string[]>(); // workload id → service ids feeding it
  for (const n of map.values()) {
    if (n.nodeType !== 'service') continue;
    for (const e of n.edges) feeders.set(e.dest.id, [...(feeders.get(e.dest.id) ?? []), n.id]);
  }
  for (const n of map.values()) {
    if (n.nodeType === 'service' || !feeders.has(n.id)) {
      const copy = { ...n, edges: [] as typeof n.edges };
      out.set(n.id, copy);
    }
  }
  for (const n of map.values()) {
    if (n.nodeType === 'service') continue;
    const sources = feeders.get(n.id) ?? [n.id];
    for (const e of n.edges) {
      if (e.dest.nodeType !== 'service') continue;
      for (const sid of sources) {
        const src = out.get(sid);
        const dst = out.get(e.dest.id);
        if (!src || !dst) continue;
        const existing = src.edges.find((x) => x.dest.id === dst.id && x.protocol === e.protocol);
        if (existing) {
          existing.total += e.total;
          for (const [code, r] of e.responses) {
            const cur = existing.responses.get(code);
            if (!cur) existing.responses.set(code, r);
            else cur.total += r.total;
          }
        } else {
          src.edges.push({ ...e, source: src, dest: dst, responses: new Map(e.responses) });
        }
      }
    }
  }
  // Outgoing totals change with the folding; Traffic Distribution is relative to them.
  for (const n of out.values()) {
    n.rates = new Map([...n.rates].filter(([k]) => !k.endsWith('Out')));
    for (const e of n.edges) n.rates.set(`${e.protocol}Out`, (n.rates.get(`${e.protocol}Out`) ?? 0) + e.total);
  }
  return out;
}

export { seriesRate };
