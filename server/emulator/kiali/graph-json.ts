/**
 * The Cytoscape JSON Kiali's graph endpoints return (graph/config/cytoscape): nodes and edges as
 * `{data:{…}}`, rates as 2-decimal strings, percentages with 1 decimal, zero values omitted, boxes as
 * parent nodes.
 */
import { createHash } from 'node:crypto';
import type { GEdge, GNode, GraphType, TrafficMap } from './traffic-map.ts';

const r2 = (v: number) => v.toFixed(2);
const r1 = (v: number) => v.toFixed(1);

function nodeTraffic(n: GNode): { protocol: string; rates: Record<string, string> }[] {
  const out: { protocol: string; rates: Record<string, string> }[] = [];
  for (const protocol of ['grpc', 'http', 'tcp']) {
    const rates: Record<string, string> = {};
    for (const [k, v] of n.rates) if (k.startsWith(protocol) && v > 0) rates[k] = r2(v);
    if (Object.keys(rates).length) out.push({ protocol, rates });
  }
  return out;
}

function edgeTraffic(e: GEdge): Record<string, unknown> {
  const rates: Record<string, string> = {};
  const responses: Record<string, { flags: Record<string, string>; hosts: Record<string, string> }> = {};
  const p = e.protocol;
  if (e.total > 0) rates[p] = r2(e.total);
  if (p !== 'tcp') {
    let err = 0;
    const cls: Record<string, number> = {};
    for (const [code, r] of e.responses) {
      const c = code === '-' ? 'NoResponse' : code[0] === '3' ? '3xx' : code[0] === '4' ? '4xx' : code[0] === '5' ? '5xx' : '';
      if (c) cls[c] = (cls[c] ?? 0) + r.total;
      if (c && c !== '3xx') err += r.total;
    }
    for (const [c, v] of Object.entries(cls)) if (v > 0) rates[`${p}${c}`] = r2(v);
    if (err > 0 && e.total > 0) rates[`${p}PercentErr`] = r1((100 * err) / e.total);
    const out = e.source.rates.get(`${p}Out`) ?? 0;
    if (out > 0 && e.total > 0) rates[`${p}PercentReq`] = r1((100 * e.total) / out);
  }
  for (const [code, r] of e.responses) {
    const flags: Record<string, string> = {};
    const hosts: Record<string, string> = {};
    for (const [f, v] of r.flags) if (v > 0) flags[f] = r1((100 * v) / e.total);
    for (const [h, v] of r.hosts) if (v > 0) hosts[h] = r1((100 * v) / e.total);
    responses[code] = { flags, hosts };
  }
  return { protocol: p, rates, responses };
}

function nodeData(n: GNode, gt: GraphType): Record<string, unknown> {
  const d: Record<string, unknown> = { id: n.id };
  if (n.md.parent) d.parent = n.md.parent;
  d.nodeType = n.nodeType;
  d.cluster = n.cluster;
  d.namespace = n.namespace;
  if (n.nodeType === 'workload' || n.nodeType === 'unknown') d.workload = n.workload;
  if (n.nodeType === 'app' && gt === 'versionedApp' && n.workload) d.workload = n.workload;
  if (n.nodeType !== 'service' && n.app) d.app = n.app;
  if (n.nodeType !== 'service' && n.version && !(n.nodeType === 'app' && gt === 'app')) d.version = n.version;
  if (n.nodeType === 'service') d.service = n.service;
  if (n.destServices.size) d.destServices = [...n.destServices.values()];
  const traffic = nodeTraffic(n);
  if (traffic.length) d.traffic = traffic;
  d.healthData = n.md.healthData ?? null;
  for (const [k, v] of Object.entries(n.md)) {
    if (k === 'parent' || k === 'healthData') continue;
    d[k] = v;
  }
  return d;
}

function edgeData(e: GEdge): Record<string, unknown> {
  const x = e as GEdge & { responseTime?: number; isMTLS?: number; sourcePrincipal?: string; destPrincipal?: string };
  const d: Record<string, unknown> = { id: e.id, source: e.source.id, target: e.dest.id, traffic: edgeTraffic(e) };
  if (x.isMTLS !== undefined && x.isMTLS > 0) d.isMTLS = x.isMTLS >= 99.95 ? '100' : r1(x.isMTLS);
  if (x.responseTime !== undefined) d.responseTime = String(Math.round(x.responseTime));
  if (x.sourcePrincipal) d.sourcePrincipal = x.sourcePrincipal;
  if (x.destPrincipal) d.destPrincipal = x.destPrincipal;
  return d;
}

function boxNode(id: string, type: 'app' | 'namespace', ns: string, cluster: string, app?: string, parent?: string): Record<string, unknown> {
  const d: Record<string, unknown> = { id, nodeType: 'box', cluster, namespace: ns, isBox: type, healthData: null };
  if (parent) d.parent = parent;
  if (app) d.app = app;
  return { data: d };
}

const boxId = (s: string) => createHash('md5').update(s).digest('hex');

/** Adds app/namespace boxes (boxBy) by setting node parents; returns the box nodes. */
function boxes(map: TrafficMap, gt: GraphType, boxBy: string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const nsBoxes = new Map<string, string>();
  if (boxBy.includes('namespace')) {
    for (const n of map.values()) {
      if (n.nodeType === 'unknown' || n.md.isOutside) continue;
      if (!nsBoxes.has(n.namespace)) {
        const id = boxId(`box_ns_${n.cluster}_${n.namespace}`);
        nsBoxes.set(n.namespace, id);
        out.push(boxNode(id, 'namespace', n.namespace, n.cluster));
      }
    }
  }
  if (boxBy.includes('app') && (gt === 'app' || gt === 'versionedApp')) {
    const groups = new Map<string, GNode[]>();
    for (const n of map.values()) {
      const app = n.nodeType === 'service' ? n.service : n.nodeType === 'app' ? n.app : '';
      if (!app || app === 'unknown') continue;
      const k = `${n.cluster}|${n.namespace}|${app}`;
      const g = groups.get(k) ?? [];
      g.push(n);
      groups.set(k, g);
    }
    for (const [k, members] of groups) {
      if (!members.some((m) => m.nodeType === 'app')) continue;
      const [cluster, ns, app] = k.split('|');
      const id = boxId(`box_app_${k}`);
      out.push(boxNode(id, 'app', ns, cluster, app, nsBoxes.get(ns)));
      for (const m of members) m.md.parent = id;
    }
  }
  for (const n of map.values()) if (!n.md.parent && nsBoxes.has(n.namespace) && !n.md.isOutside && n.nodeType !== 'unknown') n.md.parent = nsBoxes.get(n.namespace);
  return out;
}

export function toCytoscape(map: TrafficMap, gt: GraphType, boxBy: string[], timestamp: number, duration: number): unknown {
  const boxNodes = boxes(map, gt, boxBy);
  const nodes = [...boxNodes];
  const edges: unknown[] = [];
  const sorted = [...map.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const n of sorted) {
    nodes.push({ data: nodeData(n, gt) });
    for (const e of n.edges) edges.push({ data: edgeData(e) });
  }
  return { timestamp, duration, graphType: gt, elements: { nodes, edges } };
}
