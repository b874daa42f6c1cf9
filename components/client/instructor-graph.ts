/**
 * The attendee's traffic graph in the helper panel, drawn with the mesh-views module's own model and
 * edge table (the same facts a learner sees under <MeshGraph>), so the instructor reads it the same way.
 */
import { DEFAULT_OPTIONS, toGraphView } from './mesh-graph-model.ts';
import { edgesTableHtml } from './mesh-graph-table.ts';
import type { KialiGraph } from './kiali-types.ts';
import { TRAVELS_NAMESPACES } from '../../protocol/instructor.ts';

export function graphTableHtml(graph: unknown): string {
  const view = toGraphView(graph as KialiGraph, { ...DEFAULT_OPTIONS, namespaces: [...TRAVELS_NAMESPACES] });
  return edgesTableHtml(view);
}
