/**
 * Kiali's traffic map, built from the simulator's telemetry exactly as Kiali builds it from Prometheus
 * (graph/telemetry/istio/istio.go): per namespace three request queries (unserviced incoming, destination-
 * reported incoming, source-reported outgoing) plus TCP, de-duplicated per edge by time-series hash,
 * optional service-node injection, then namespace maps merged preferring each node's own namespace.
 */
import { createHash } from 'node:crypto';
import type { HttpSeries, Series, SeriesLabels, TcpSeries, TelemetryStore } from '../mesh/telemetry-store.ts';

export type GraphType = 'app' | 'versionedApp' | 'workload' | 'service';
export type NodeType = 'app' | 'workload' | 'service' | 'unknown' | 'box';

export interface GEdge {
  id: string;
  source: GNode;
  dest: GNode;
  protocol: 'http' | 'grpc' | 'tcp';
  tsHashes: Set<string>;
  total: number;
  /** code → { total, flags, hosts } */
  responses: Map<string, { total: number; flags: Map<string, number>; hosts: Map<string, number> }>;
  /** Every series that fed this edge (also de-duplicated ones), for security. */
  series: Series[];
  /**
   * The series Kiali's response-time appender puts on this edge: with a service node injected, only the
   * service → workload hop gets them (quantiles of several outgoing edges cannot be added up for the
   * incoming one, kiali-2297); without, the direct edge. Edges into service nodes get no response time.
   */
  rtSeries: Series[];
}

export interface GNode {
  id: string;
  nodeType: NodeType;
  cluster: string;
  namespace: string;
  workload: string;
  app: string;
  version: string;
  service: string;
  tsHash: string;
  destServices: Map<string, { cluster: string; namespace: string; name: string }>;
  edges: GEdge[];
  /** Incoming/outgoing rates by key (httpIn, httpIn5xx, httpOut, tcpIn, …). */
  rates: Map<string, number>;
  isInjected?: boolean;
  md: Record<string, unknown>;
}

export type TrafficMap = Map<string, GNode>;

export interface MapOptions {
  graphType: GraphType;
  injectServiceNodes: boolean;
  fromMs: number;
  toMs: number;
  durationSec: number;
  rateHttp: boolean;
  /** Which TCP byte field feeds TCP rates ('sent' reads istio_tcp_received_bytes_total, see istio/istio#32399). */
  rateTcp: 'sent' | 'received' | 'total' | 'none';
}

export const UNKNOWN = 'unknown';
const ok = (s: string) => s !== '' && s !== UNKNOWN;
const hashes = new Map<string, string>();
/** Kiali ids are md5 hex of the node identity; memoised because graphs are rebuilt every refresh. */
const hash = (s: string): string => {
  let h = hashes.get(s);
  if (!h) {
    if (hashes.size > 50000) hashes.clear();
    h = createHash('md5').update(s).digest('hex');
    hashes.set(s, h);
  }
  return h;
};

/** Kiali's graph.Id: the node identity for a telemetry endpoint under a graph type. */
export function nodeId(cluster: string, svcNs: string, svc: string, wlNs: string, wl: string, app: string, version: string, gt: GraphType): { key: string; type: NodeType } {
  const ns = ok(wlNs) ? wlNs : svcNs;
  if (ns === UNKNOWN && wl === UNKNOWN && app === UNKNOWN && svc === '') return { key: `${cluster}_unknown_source`, type: 'unknown' };
  if (wl === UNKNOWN && app === UNKNOWN && svc === UNKNOWN) return { key: `svc_${cluster}_${ns}_unknown`, type: 'service' };
  if (gt === 'app' || gt === 'versionedApp') {
    if (ok(app)) {
      if (gt === 'versionedApp' && ok(version)) return { key: `vapp_${cluster}_${ns}_${app}_${version}`, type: 'app' };
      return { key: `app_${cluster}_${ns}_${app}`, type: 'app' };
    }
  }
  if (ok(wl)) return { key: `wl_${cluster}_${ns}_${wl}`, type: 'workload' };
  return { key: `svc_${cluster}_${svcNs}_${svc}`, type: 'service' };
}

function addNode(map: TrafficMap, cluster: string, svcNs: string, svc: string, wlNs: string, wl: string, app: string, version: string, gt: GraphType): GNode {
  const { key, type } = nodeId(cluster, svcNs, svc, wlNs, wl, app, version, gt);
  const id = hash(key);
  let n = map.get(id);
  if (!n) {
    const namespace = ok(wlNs) ? wlNs : svcNs;
    n = {
      id, nodeType: type, cluster, namespace, workload: type === 'service' ? '' : wl, app: type === 'service' ? '' : app,
      version: type === 'service' ? '' : version, service: type === 'service' ? svc : '', tsHash: '', destServices: new Map(),
      edges: [], rates: new Map(), md: {},
    };
    if (type === 'app' && gt === 'app') n.version = '';
    if (type === 'unknown') Object.assign(n, { namespace: UNKNOWN, workload: UNKNOWN, app: UNKNOWN });
    map.set(id, n);
  }
  n.tsHash = `${cluster}:${svcNs}:${svc}:${wlNs}:${wl}:${app}:${version}`;
  return n;
}

function bump(m: Map<string, number>, k: string, v: number): void {
  m.set(k, (m.get(k) ?? 0) + v);
}

function codeClass(code: string): string | undefined {
  if (code === '-') return 'NoResponse';
  const c = code[0];
  return c === '3' ? '3xx' : c === '4' ? '4xx' : c === '5' ? '5xx' : undefined;
}

/** graph.AddToMetadata: rates on the edge and on both nodes. */
function addToMetadata(e: GEdge, val: number, code: string, flags: string, host: string): void {
  e.total += val;
  let r = e.responses.get(code);
  if (!r) {
    r = { total: 0, flags: new Map(), hosts: new Map() };
    e.responses.set(code, r);
  }
  r.total += val;
  bump(r.flags, flags, val);
  if (ok(host)) bump(r.hosts, host, val);
  if (e.protocol === 'tcp') {
    bump(e.source.rates, 'tcpOut', val);
    bump(e.dest.rates, 'tcpIn', val);
    return;
  }
  const p = e.protocol;
  bump(e.source.rates, `${p}Out`, val);
  bump(e.dest.rates, `${p}In`, val);
  const cls = codeClass(code);
  if (cls) bump(e.dest.rates, `${p}In${cls}`, val);
}

function addEdgeTraffic(val: number, protocol: GEdge['protocol'], code: string, flags: string, host: string, source: GNode, dest: GNode, tsHash: string, s: Series): boolean {
  let edge = source.edges.find((e) => e.dest.id === dest.id && e.protocol === protocol);
  if (!edge) {
    edge = { id: hash(`${source.id}>${dest.id}>${protocol}`), source, dest, protocol, tsHashes: new Set(), total: 0, responses: new Map(), series: [], rtSeries: [] };
    source.edges.push(edge);
  }
  edge.series.push(s);
  if (edge.tsHashes.has(tsHash)) return false;
  edge.tsHashes.add(tsHash);
  addToMetadata(edge, val, code, flags, host);
  return true;
}

function addDestService(n: GNode, cluster: string, ns: string, name: string): void {
  if (ok(name)) n.destServices.set(`${cluster}:${ns}:${name}`, { cluster, namespace: ns, name });
}

/** One telemetry item (a grouped series) into the map, as Kiali's populateTrafficMap + addTraffic. */
function populate(map: TrafficMap, s: Series, val: number, metric: string, o: MapOptions): void {
  const l = s.labels;
  if (val <= 0) return;
  if (l.source_workload === UNKNOWN && l.source_canonical_service !== UNKNOWN) return; // bad source telemetry
  const protocol = s.kind === 'tcp' ? 'tcp' : (l.request_protocol as 'http' | 'grpc');
  const code = s.kind === 'tcp' ? '-' : l.response_code === '0' ? '-' : l.response_code;
  const sourceCluster = l.source_cluster;
  const destCluster = ok(l.destination_cluster) ? l.destination_cluster : sourceCluster;
  const destSvcName = l.destination_service_name;
  const source = addNode(map, sourceCluster, l.source_workload_namespace, '', l.source_workload_namespace, l.source_workload, l.source_canonical_service, l.source_canonical_revision, o.graphType);
  const dest = addNode(map, destCluster, l.destination_service_namespace, destSvcName, l.destination_workload_namespace, l.destination_workload, l.destination_canonical_service, l.destination_canonical_revision, o.graphType);
  const inject = o.injectServiceNodes && ok(destSvcName) && destSvcName !== 'PassthroughCluster' && dest.nodeType !== 'service';
  const tsHash = `${metric}:${source.tsHash}:${dest.tsHash}:${code}:${l.response_flags}:${l.destination_service}`;
  const edgeOf = (from: GNode) => from.edges.find((x) => x.dest.id === dest.id && x.protocol === protocol);
  if (inject) {
    const svcNode = addNode(map, destCluster, l.destination_service_namespace, destSvcName, '', '', '', '', o.graphType);
    svcNode.isInjected = true;
    if (addEdgeTraffic(val, protocol, code, l.response_flags, l.destination_service, source, svcNode, tsHash, s)) {
      addDestService(svcNode, destCluster, l.destination_service_namespace, destSvcName);
      addEdgeTraffic(val, protocol, code, l.response_flags, l.destination_service, svcNode, dest, tsHash, s);
      addDestService(dest, destCluster, l.destination_service_namespace, destSvcName);
    } else {
      // Keep the duplicate's series on the second hop too (security reads destination reports).
      edgeOf(svcNode)?.series.push(s);
    }
    edgeOf(svcNode)?.rtSeries.push(s);
  } else {
    if (addEdgeTraffic(val, protocol, code, l.response_flags, l.destination_service, source, dest, tsHash, s)) {
      addDestService(dest, destCluster, l.destination_service_namespace, destSvcName);
    }
    edgeOf(source)?.rtSeries.push(s);
  }
}

/** Sum of one series' counter over the window, as a per-second rate (Kiali rounds to 0.001). */
export function seriesRate(store: TelemetryStore, s: Series, field: 'count' | 'sent' | 'received', o: MapOptions): number {
  const arr = s.kind === 'http' ? (s as HttpSeries).count : field === 'sent' ? (s as TcpSeries).sent : (s as TcpSeries).received;
  const v = store.sum(arr, o.fromMs, o.toMs) / o.durationSec;
  return Math.round(v * 1000) / 1000;
}

const inNs = (svc: string, ns: string) => svc.includes(`.${ns}.`);

/** Whether a series answers Kiali's query q (0 unserviced incoming, 1 incoming, 2 outgoing) for ns. */
function inQuery(l: SeriesLabels, ns: string, q: number): boolean {
  if (q === 0) return l.reporter === 'source' && l.source_workload_namespace !== ns && l.destination_workload_namespace === UNKNOWN && l.destination_workload === UNKNOWN && inNs(l.destination_service, ns);
  if (q === 1) return l.reporter === 'destination' && l.destination_workload_namespace === ns;
  return l.reporter === 'source' && l.source_workload_namespace === ns;
}

/** The traffic map of one namespace. */
export function buildNamespaceMap(store: TelemetryStore, ns: string, o: MapOptions): TrafficMap {
  const map: TrafficMap = new Map();
  const tcpFields: ('sent' | 'received')[] = o.rateTcp === 'none' ? [] : o.rateTcp === 'sent' ? ['received'] : o.rateTcp === 'received' ? ['sent'] : ['received', 'sent'];
  // Query order matters for de-duplication: 0, then 1, then 2 (per metric).
  for (let q = 0; q < 3; q++) {
    if (o.rateHttp) {
      for (const s of store.series) {
        if (s.kind !== 'http' || !inQuery(s.labels, ns, q)) continue;
        populate(map, s, seriesRate(store, s, 'count', o), 'istio_requests_total', o);
      }
    }
  }
  for (const f of tcpFields) {
    const metric = f === 'received' ? 'istio_tcp_received_bytes_total' : 'istio_tcp_sent_bytes_total';
    for (let q = 0; q < 3; q++) {
      for (const s of store.series) {
        if (s.kind !== 'tcp' || !inQuery(s.labels, ns, q)) continue;
        populate(map, s, seriesRate(store, s, f, o), metric, o);
      }
    }
  }
  return map;
}

/** graph.MergeTrafficMaps: unique nodes (prefer the node's own namespace), no duplicate edges. */
export function mergeMaps(into: TrafficMap, ns: string, add: TrafficMap): void {
  for (const [id, nsNode] of add) {
    let node = into.get(id);
    if (!node) {
      into.set(id, nsNode);
      continue;
    }
    let other = nsNode;
    if (nsNode.namespace === ns) {
      into.set(id, nsNode);
      other = node;
      node = nsNode;
    }
    for (const e of other.edges) {
      if (node.edges.some((x) => x.dest.id === e.dest.id && x.protocol === e.protocol)) continue;
      node.edges.push(e);
      e.source = node;
      if (e.protocol === 'tcp') bump(node.rates, 'tcpOut', e.total);
      else bump(node.rates, `${e.protocol}Out`, e.total);
    }
  }
  // Edges may still point at replaced node objects: re-target them by id.
  for (const n of into.values()) for (const e of n.edges) e.dest = into.get(e.dest.id) ?? e.dest;
}
