/**
 * Pure translation of Kiali's graph JSON into what the graph view draws: node kind and shape, label
 * lines, badges, health, edge label text and mTLS. No DOM, no cytoscape: unit-tested with fixtures.
 */
import type { EdgeData, KialiGraph, NodeData, ProtocolTraffic } from './kiali-types.ts';
import { edgeHealth, healthOfPercentages, inboundHealth, worst, type Health } from './mesh-health.ts';
import { fmtMs, fmtPct, fmtRate, fmtTcpRate } from './mesh-format.ts';

export type EdgeLabelKind = 'rate' | 'distribution' | 'responseTime';
export type Badge =
  | 'root' | 'gateway' | 'missingSidecar' | 'vs' | 'requestRouting' | 'faultInjection'
  | 'trafficShifting' | 'tcpTrafficShifting' | 'timeout' | 'mirroring' | 'cb';

export interface GraphViewOptions {
  edgeLabels: EdgeLabelKind[];
  showSecurity: boolean;
  /** Virtual-service and circuit-breaker badges ("Show Badges → Virtual Services"). */
  showBadges: boolean;
  showMissingSidecars: boolean;
  boxNamespaces: boolean;
  /** The selected namespaces: a node elsewhere is "outside" and its label names its namespace. */
  namespaces: string[];
}

export const DEFAULT_OPTIONS: GraphViewOptions = {
  edgeLabels: [], showSecurity: false, showBadges: true, showMissingSidecars: true, boxNamespaces: true, namespaces: [],
};

export interface ViewNode {
  id: string;
  parent?: string;
  kind: 'app' | 'workload' | 'service' | 'unknown' | 'serviceEntry' | 'aggregate' | 'box';
  box?: 'app' | 'namespace' | 'cluster';
  shape: string;
  health: Health;
  lines: string[];
  hosts?: number;
  badges: Badge[];
  outside: boolean;
  idle: boolean;
  data: NodeData;
}

export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  protocol: 'http' | 'grpc' | 'tcp';
  health: Health;
  label: string;
  mtls: boolean;
  data: EdgeData;
}

export interface GraphView {
  nodes: ViewNode[];
  edges: ViewEdge[];
  timestamp: number;
  duration: number;
}

const SHAPES: Record<string, string> = {
  app: 'round-rectangle', workload: 'ellipse', service: 'round-triangle', unknown: 'ellipse',
  serviceEntry: 'round-tag', aggregate: 'round-pentagon', box: 'round-rectangle',
};

export const NS_BOX_PREFIX = 'ns-box:';

export function toGraphView(graph: KialiGraph, opts: GraphViewOptions): GraphView {
  // Shallow copies: synthesised namespace boxes set `parent`, and the caller's JSON must stay untouched.
  const nodesData = (graph.elements.nodes ?? []).map((n) => ({ ...n.data }));
  const edgesData = (graph.elements.edges ?? []).map((e) => e.data);
  const kept = dropSingleMemberAppBoxes(nodesData);
  const nsBoxes = opts.boxNamespaces && !kept.some((n) => n.isBox === 'namespace') ? namespaceBoxes(kept) : [];
  const all = [...nsBoxes, ...kept];
  const byId = new Map(all.map((n) => [n.id, n]));
  const edges = edgesData.map((e) => toViewEdge(e, opts));
  const out = new Map<string, EdgeData[]>();
  for (const e of edgesData) out.set(e.source, [...(out.get(e.source) ?? []), e]);
  const nodes = all.map((n) => toViewNode(n, byId, out.get(n.id) ?? [], opts));
  boxHealth(nodes);
  return { nodes, edges, timestamp: graph.timestamp, duration: graph.duration };
}

/** Kiali boxes an app only when it has several nodes (service and versions); a lone node stays unboxed. */
function dropSingleMemberAppBoxes(nodes: NodeData[]): NodeData[] {
  const members = new Map<string, number>();
  for (const n of nodes) if (n.parent) members.set(n.parent, (members.get(n.parent) ?? 0) + 1);
  const lone = new Map(nodes.filter((n) => n.isBox === 'app' && (members.get(n.id) ?? 0) < 2).map((b) => [b.id, b]));
  if (!lone.size) return nodes;
  return nodes.filter((n) => !lone.has(n.id)).map((n) => (n.parent && lone.has(n.parent) ? { ...n, parent: lone.get(n.parent)!.parent } : n));
}

/** Kiali draws namespace boxes when boxBy includes namespace; a server that did not box gets them here. */
function namespaceBoxes(nodes: NodeData[]): NodeData[] {
  const seen = new Map<string, NodeData>();
  for (const n of nodes) {
    if (!n.namespace || n.nodeType === 'unknown') continue;
    if (!seen.has(n.namespace)) seen.set(n.namespace, { id: NS_BOX_PREFIX + n.namespace, nodeType: 'box', isBox: 'namespace', namespace: n.namespace, cluster: n.cluster });
    if (!n.parent) n.parent = NS_BOX_PREFIX + n.namespace;
  }
  return [...seen.values()];
}

function kindOf(n: NodeData): ViewNode['kind'] {
  if (n.nodeType === 'box' || n.isBox) return 'box';
  if (n.isServiceEntry) return 'serviceEntry';
  if (['app', 'workload', 'service', 'unknown', 'aggregate'].includes(n.nodeType)) return n.nodeType as ViewNode['kind'];
  return 'workload';
}

function toViewNode(n: NodeData, byId: Map<string, NodeData>, outgoing: EdgeData[], opts: GraphViewOptions): ViewNode {
  const kind = kindOf(n);
  const outside = Boolean(n.isOutside) || (opts.namespaces.length > 0 && !!n.namespace && !opts.namespaces.includes(n.namespace));
  const idle = kind !== 'box' && (Boolean(n.isIdle) || !(n.traffic ?? []).some((t) => Object.values(t.rates ?? {}).some((v) => Number(v) > 0)));
  const health = kind === 'box' || idle ? 'na' : nodeHealth(n, kind, outgoing);
  const parent = n.parent && byId.has(n.parent) ? byId.get(n.parent) : undefined;
  return {
    id: n.id, parent: parent?.id, kind, box: kind === 'box' ? ((n.isBox as ViewNode['box']) ?? 'app') : undefined,
    shape: SHAPES[kind], health, lines: labelLines(n, kind, parent, outside, opts), hosts: hostCount(n),
    badges: badgesOf(n, kind, opts), outside, idle, data: n,
  };
}

function nodeHealth(n: NodeData, kind: ViewNode['kind'], outgoing: EdgeData[]): Health {
  const inbound = inboundHealth(n.traffic);
  if (kind === 'service') return inbound === 'na' ? 'healthy' : inbound;
  return worst('healthy', inbound, outboundHealth(outgoing));
}

function outboundHealth(edges: EdgeData[]): Health {
  let total = 0, e4 = 0, e5 = 0;
  for (const e of edges) {
    const r = e.traffic?.protocol === 'http' ? e.traffic.rates : undefined;
    if (!r) continue;
    total += Number(r.http ?? 0);
    e4 += Number(r.http4xx ?? 0);
    e5 += Number(r.http5xx ?? 0) + Number(r.httpNoResponse ?? 0);
  }
  return total > 0 ? healthOfPercentages((e4 / total) * 100, (e5 / total) * 100) : 'na';
}

function boxHealth(nodes: ViewNode[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes) {
    if (n.kind === 'box' || !n.parent) continue;
    const box = byId.get(n.parent);
    if (box && box.box === 'app') box.health = worst(box.health, n.health);
  }
}

function labelLines(n: NodeData, kind: ViewNode['kind'], parent: NodeData | undefined, outside: boolean, opts: GraphViewOptions): string[] {
  const inAppBox = parent?.isBox === 'app';
  const inNsBox = parent?.isBox === 'namespace' || (parent !== undefined && !!parent.parent);
  const showNs = outside || (opts.namespaces.length !== 1 && !inNsBox && !opts.boxNamespaces);
  const ns = showNs ? [`(${n.namespace})`] : [];
  switch (kind) {
    case 'box':
      if (n.isBox === 'namespace') return [n.namespace];
      if (n.isBox === 'cluster') return [n.cluster ?? 'cluster'];
      return [n.app ?? '', ...(outside || (opts.namespaces.length !== 1 && !opts.boxNamespaces) ? [`(${n.namespace})`] : [])];
    case 'service':
      return [n.service ?? n.app ?? '', ...(inAppBox ? [] : ns)];
    case 'app':
      if (n.version && inAppBox) return [n.version];
      return [n.app ?? '', ...(n.version ? [n.version] : []), ...ns];
    case 'workload':
      return [n.workload ?? n.app ?? '', ...ns];
    case 'unknown':
      return ['unknown'];
    default:
      return [n.service ?? n.workload ?? n.app ?? n.id, ...ns];
  }
}

function hostCount(n: NodeData): number | undefined {
  const gw = typeof n.isGateway === 'object' ? n.isGateway.ingressInfo?.hostnames?.length : undefined;
  const vs = typeof n.hasVS === 'object' ? n.hasVS.hostnames?.length : undefined;
  return gw || vs || undefined;
}

function badgesOf(n: NodeData, kind: ViewNode['kind'], opts: GraphViewOptions): Badge[] {
  const b: Badge[] = [];
  if (kind === 'box') return b;
  if (n.isRoot) b.push('root');
  if (n.isGateway) b.push('gateway');
  if (opts.showMissingSidecars && (n.hasMissingSC || n.isOutOfMesh) && !n.isGateway) b.push('missingSidecar');
  if (!opts.showBadges) return b;
  if (n.hasCB) b.push('cb');
  const specific: [keyof NodeData, Badge][] = [
    ['hasRequestRouting', 'requestRouting'], ['hasFaultInjection', 'faultInjection'], ['hasTrafficShifting', 'trafficShifting'],
    ['hasTCPTrafficShifting', 'tcpTrafficShifting'], ['hasRequestTimeout', 'timeout'], ['hasMirroring', 'mirroring'],
  ];
  const found = specific.filter(([k]) => Boolean(n[k])).map(([, badge]) => badge);
  // Kiali's classic strip leaves the plain VS icon out when a more specific routing icon is shown.
  if (n.hasVS && found.length === 0) b.push('vs');
  return [...b, ...found];
}

function toViewEdge(e: EdgeData, opts: GraphViewOptions): ViewEdge {
  const t: ProtocolTraffic | undefined = e.traffic;
  const protocol = (t?.protocol ?? 'http') as ViewEdge['protocol'];
  return {
    id: e.id, source: e.source, target: e.target, protocol, health: edgeHealth(t),
    label: edgeLabel(e, opts.edgeLabels).join('\n'), mtls: opts.showSecurity && Number(e.isMTLS ?? 0) > 0, data: e,
  };
}

export function edgeLabel(e: EdgeData, kinds: EdgeLabelKind[]): string[] {
  const t = e.traffic;
  const r = t?.rates ?? {};
  const lines: string[] = [];
  for (const k of kinds) {
    if (k === 'rate') {
      if (t?.protocol === 'tcp') { if (Number(r.tcp) > 0) lines.push(fmtTcpRate(Number(r.tcp))); continue; }
      const total = Number(r[t?.protocol === 'grpc' ? 'grpc' : 'http'] ?? 0);
      if (total <= 0) continue;
      lines.push(`${fmtRate(total)}rps`);
      const err = Number(r.httpPercentErr ?? r.grpcPercentErr ?? 0);
      if (err > 0) lines.push(`${fmtPct(err)} err`);
    } else if (k === 'distribution') {
      const pct = Number(r.httpPercentReq ?? r.grpcPercentReq ?? NaN);
      if (Number.isFinite(pct) && pct < 100) lines.push(fmtPct(pct));
    } else if (k === 'responseTime') {
      if (t?.protocol !== 'tcp' && e.responseTime !== undefined && Number(e.responseTime) > 0) lines.push(fmtMs(Number(e.responseTime)));
    }
  }
  return lines;
}

/** "Current Graph" counts for the side panel. */
export function graphCounts(view: GraphView): { apps: number; versions: number; services: number; workloads: number; edges: number; namespaces: string[] } {
  const apps = new Set<string>();
  let versions = 0, services = 0, workloads = 0;
  const namespaces = new Set<string>();
  for (const n of view.nodes) {
    if (n.kind === 'box') continue;
    if (!n.outside && n.data.namespace) namespaces.add(n.data.namespace);
    if (n.kind === 'service') services++;
    if (n.kind === 'app') { apps.add(`${n.data.namespace}/${n.data.app}`); if (n.data.version) versions++; }
    if (n.kind === 'workload') workloads++;
  }
  return { apps: apps.size, versions, services, workloads, edges: view.edges.length, namespaces: [...namespaces].sort() };
}
