/**
 * Test helpers: query the Kiali graph builder like the UI does and look edges up by their endpoints'
 * readable names instead of hashed ids.
 */
import { namespacesGraph, parseGraphRequest } from '../../kiali/graph.ts';
import type { MeshHandle } from '../index.ts';

export interface NodeData {
  id: string;
  nodeType: string;
  namespace: string;
  workload?: string;
  app?: string;
  version?: string;
  service?: string;
  [k: string]: unknown;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  traffic: { protocol: string; rates: Record<string, string>; responses: Record<string, { flags: Record<string, string>; hosts: Record<string, string> }> };
  responseTime?: string;
  isMTLS?: string;
  [k: string]: unknown;
}

export interface GraphView {
  nodes: NodeData[];
  edges: (EdgeData & { from: NodeData; to: NodeData })[];
  raw: { timestamp: number; duration: number; graphType: string; elements: { nodes: { data: NodeData }[]; edges: { data: EdgeData }[] } };
}

export function graph(mesh: MeshHandle, params: Record<string, string>): GraphView {
  const q = new URLSearchParams({ graphType: 'versionedApp', duration: '600s', injectServiceNodes: 'true', ...params });
  const r = parseGraphRequest(q, Math.floor(mesh.now() / 1000));
  if ('error' in r) throw new Error(r.error);
  const raw = JSON.parse(JSON.stringify(namespacesGraph(mesh, r))) as GraphView['raw'];
  const nodes = raw.elements.nodes.map((n) => n.data);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = raw.elements.edges.map((e) => ({ ...e.data, from: byId.get(e.data.source)!, to: byId.get(e.data.target)! }));
  return { nodes, edges, raw };
}

/** A readable name for a node: `ns/workload`, `ns/app:version`, `ns/svc:name`, `unknown`. */
export function label(n: NodeData): string {
  if (n.nodeType === 'unknown') return 'unknown';
  if (n.nodeType === 'service') return `${n.namespace}/svc:${n.service}`;
  if (n.nodeType === 'app') return `${n.namespace}/${n.app}${n.version ? `:${n.version}` : ''}`;
  return `${n.namespace}/${n.workload}`;
}

export function edge(g: GraphView, from: string, to: string): (EdgeData & { from: NodeData; to: NodeData }) | undefined {
  return g.edges.find((e) => label(e.from) === from && label(e.to) === to);
}

export const rate = (e: EdgeData | undefined, key = 'http'): number => Number(e?.traffic.rates[key] ?? 0);
