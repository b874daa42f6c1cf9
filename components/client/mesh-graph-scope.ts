/**
 * Narrows a recorded graph to the namespaces a page asks for, the way Kiali builds a namespace graph:
 * traffic into or out of a selected namespace, plus the destinations its requests reached through a
 * service elsewhere (source-reported telemetry knows the destination workload). Only for snapshots:
 * a live Kiali answers for exactly the requested namespaces already.
 */
import type { KialiGraph, NodeData } from './kiali-types.ts';

export function scopeToNamespaces(graph: KialiGraph, namespaces: string[]): KialiGraph {
  if (!namespaces.length) return graph;
  const nodes = (graph.elements.nodes ?? []).map((n) => n.data);
  const edges = (graph.elements.edges ?? []).map((e) => e.data);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const inScope = (id: string): boolean => namespaces.includes(byId.get(id)?.namespace ?? '');
  const kept = new Set(edges.filter((e) => inScope(e.source) || inScope(e.target)).map((e) => e.id));
  const reachedServices = new Set(edges.filter((e) => kept.has(e.id) && inScope(e.source) && byId.get(e.target)?.nodeType === 'service').map((e) => e.target));
  for (const e of edges) if (reachedServices.has(e.source)) kept.add(e.id);
  const used = new Set<string>();
  for (const e of edges) if (kept.has(e.id)) { used.add(e.source); used.add(e.target); }
  const keepNode = (n: NodeData): boolean => used.has(n.id) || (n.nodeType !== 'box' && inScope(n.id) && edges.length === 0);
  const leaves = nodes.filter((n) => n.nodeType !== 'box' && keepNode(n));
  const boxes = new Set(leaves.map((n) => n.parent).filter(Boolean));
  return {
    ...graph,
    elements: {
      nodes: [...leaves, ...nodes.filter((n) => n.nodeType === 'box' && boxes.has(n.id))].map((data) => ({ data: { ...data, isOutside: !namespaces.includes(data.namespace) || undefined } })),
      edges: edges.filter((e) => kept.has(e.id)).map((data) => ({ data })),
    },
  };
}
