/**
 * The cytoscape side of <MeshGraph>: loads cytoscape + dagre lazily, lays the graph out left to right
 * like Kiali (dagre, rankDir LR), keeps positions across refreshes while the topology is unchanged,
 * and handles hover/selection highlighting (neighbours on hover, whole paths on select).
 */
import type cytoscapeModule from 'cytoscape';
import type { Core, ElementDefinition, NodeSingular, EdgeSingular, Collection } from 'cytoscape';
import type { GraphView } from './mesh-graph-model.ts';
import { edgeColor, graphStyle, type GraphTokens } from './mesh-graph-style.ts';
import { GraphOverlay } from './mesh-graph-overlay.ts';
import { TrafficAnimation } from './mesh-graph-animation.ts';

export interface CanvasHandlers {
  select(id: string | undefined): void;
}

type Cytoscape = typeof cytoscapeModule;
let loaded: Promise<Cytoscape> | undefined;
function loadCytoscape(): Promise<Cytoscape> {
  loaded ??= Promise.all([import('cytoscape'), import('cytoscape-dagre')]).then(([c, d]) => {
    const cy = ((c as unknown as { default?: Cytoscape }).default ?? c) as Cytoscape;
    cy.use(((d as unknown as { default?: unknown }).default ?? d) as never);
    return cy;
  });
  loaded.catch(() => (loaded = undefined)); // not a failure to keep: the next graph tries again
  return loaded;
}

/** The smallest zoom a graph opens at: its 11 px labels stay above ~7 px on screen. */
const READABLE_ZOOM = 0.65;
/** Wider canvases (desktop) always open fitted, as Kiali does. */
const NARROW_PX = 700;
const LAYOUT = { name: 'dagre', rankDir: 'LR', nodeSep: 18, rankSep: 55, edgeSep: 10, ranker: 'network-simplex', nodeDimensionsIncludeLabels: true, fit: true, padding: 24, animate: false };

export class GraphCanvas {
  readonly cy: Core;
  private readonly overlay: GraphOverlay;
  private readonly handlers: CanvasHandlers;
  private signature = '';
  private tokens: GraphTokens;
  private view: GraphView | undefined;
  private animation: TrafficAnimation | undefined;

  private constructor(cy: Core, overlay: HTMLElement, tokens: GraphTokens, handlers: CanvasHandlers) {
    this.cy = cy;
    this.tokens = tokens;
    this.handlers = handlers;
    this.overlay = new GraphOverlay(overlay, cy, { select: (id) => handlers.select(id), hover: (id) => this.hover(id) });
    cy.on('tap', (ev) => {
      const t = ev.target as Core | NodeSingular | EdgeSingular;
      handlers.select(t === cy || (t as NodeSingular).isParent?.() ? undefined : (t as NodeSingular).id());
    });
    cy.on('mouseover', 'node,edge', (ev) => this.hover((ev.target as NodeSingular).id()));
    cy.on('mouseout', 'node,edge', () => this.hover(undefined));
  }

  static async create(container: HTMLElement, overlay: HTMLElement, tokens: GraphTokens, handlers: CanvasHandlers): Promise<GraphCanvas> {
    const cytoscape = await loadCytoscape();
    const cy = cytoscape({
      container, style: graphStyle(tokens) as never, minZoom: 0.2, maxZoom: 3,
      boxSelectionEnabled: false, autoungrabify: false,
    });
    return new GraphCanvas(cy, overlay, tokens, handlers);
  }

  render(view: GraphView): void {
    this.view = view;
    const sig = [...view.nodes.map((n) => `${n.id}<${n.parent ?? ''}|${n.lines.join('/')}|${n.badges.length}`), ...view.edges.map((e) => `${e.source}>${e.target}`)].sort().join(';');
    const els = this.elements(view);
    if (sig !== this.signature) {
      this.signature = sig;
      this.cy.elements().remove();
      this.cy.add(els);
      // Kiali lays graphs out left to right; a phone's narrow canvas gets them top to bottom instead, so the
      // whole mesh fits its width at a readable size.
      const narrow = this.cy.width() < NARROW_PX;
      this.cy.layout({ ...LAYOUT, rankDir: narrow ? 'TB' : 'LR' } as never).run();
      this.keepReadable();
    } else {
      for (const el of els) this.cy.getElementById(el.data.id!).data(el.data).classes(el.classes as string);
    }
    this.overlay.setElements(view.nodes, view.edges);
    this.overlay.syncClasses();
  }

  /**
   * On a narrow screen (a phone) the graph is laid out top to bottom, and fitting all of it would still
   * shrink its labels to a few pixels. It opens as wide as the canvas allows instead (never below
   * READABLE_ZOOM, never above 1), from its sources at the top; the rest is a drag away, and the Fit
   * button still shows it all.
   */
  private keepReadable(): void {
    const c = this.cy;
    if (c.elements().empty() || c.width() >= NARROW_PX) return;
    const bb = c.elements().boundingBox();
    const zoom = Math.min(1, Math.max(READABLE_ZOOM, (c.width() - 32) / bb.w));
    if (zoom <= c.zoom()) return; // the fitted graph is already readable
    c.zoom(zoom);
    c.pan({ x: (c.width() - bb.w * zoom) / 2 - bb.x1 * zoom, y: 16 - bb.y1 * zoom });
  }

  private elements(view: GraphView): ElementDefinition[] {
    const nodes: ElementDefinition[] = view.nodes.map((n) => ({
      group: 'nodes',
      data: { id: n.id, parent: n.parent, shape: n.shape, kind: n.kind, box: n.box ?? '', health: n.health, label: sizingLabel(n.lines, n.badges.length > 0, n.hosts) },
      classes: [n.idle && 'idle', n.outside && n.kind !== 'box' && 'outside', n.data.isInaccessible && 'inaccessible'].filter(Boolean).join(' '),
      selectable: n.kind !== 'box',
    }));
    const edges: ElementDefinition[] = view.edges.map((e) => ({
      group: 'edges',
      data: { id: e.id, source: e.source, target: e.target, protocol: e.protocol, label: e.label, color: edgeColor(this.tokens, e.health, e.protocol) },
      classes: e.mtls ? 'mtls' : '',
    }));
    return [...nodes, ...edges];
  }

  /** Kiali's Display → Traffic Animation. */
  animate(on: boolean): void {
    if (!on) { this.animation?.stop(); return; }
    this.animation ??= new TrafficAnimation(this.cy.container()!.parentElement!, this.cy);
    this.animation.set(this.view?.edges ?? [], (e) => edgeColor(this.tokens, e.health, e.protocol));
  }

  setTokens(tokens: GraphTokens): void {
    this.tokens = tokens;
    this.cy.style(graphStyle(tokens) as never);
    if (this.view) for (const e of this.view.edges) this.cy.getElementById(e.id).data('color', edgeColor(tokens, e.health, e.protocol));
  }

  /** Highlights the element and every path through it; undefined clears. */
  select(id: string | undefined): void {
    this.cy.elements().unselect().removeClass('focus dim');
    if (id) {
      const ele = this.cy.getElementById(id);
      if (ele.nonempty()) {
        ele.addClass('focus');
        this.dimExcept(ele.isNode() ? pathsThroughNode(ele as NodeSingular) : pathsThroughEdge(ele as EdgeSingular));
      }
    }
    this.overlay.syncClasses();
  }

  private hover(id: string | undefined): void {
    this.cy.nodes('.hovered').removeClass('hovered');
    if (id) this.cy.getElementById(id).filter('node').addClass('hovered');
    if (this.cy.$('.focus').nonempty()) return;
    this.cy.elements().removeClass('dim');
    if (id) {
      const ele = this.cy.getElementById(id);
      if (ele.nonempty() && !(ele.isNode() && (ele as NodeSingular).isParent())) {
        const keep: Collection = ele.isNode() ? (ele as NodeSingular).closedNeighborhood() : (ele as EdgeSingular).union((ele as EdgeSingular).connectedNodes());
        this.dimExcept(keep);
      }
    }
    this.overlay.syncClasses();
  }

  private dimExcept(keep: Collection): void {
    const all = keep.union(keep.nodes().ancestors());
    this.cy.elements().not(all).not(':parent').addClass('dim');
  }

  zoomBy(factor: number): void {
    const c = this.cy;
    c.zoom({ level: c.zoom() * factor, renderedPosition: { x: c.width() / 2, y: c.height() / 2 } });
  }

  fit(): void {
    this.cy.fit(undefined, 24);
  }

  resize(): void {
    this.cy.resize();
  }

  dispose(): void {
    this.animation?.dispose();
    this.overlay.dispose();
    this.cy.destroy();
  }
}

/** Invisible native label with the pill's lines, so dagre and compound boxes leave room for it. */
function sizingLabel(lines: string[], badges: boolean, hosts: number | undefined): string {
  const all = [...lines, ...(hosts ? ['1 host'] : [])];
  return badges ? all.map((l, i) => (i === 0 ? `\u2003\u2002${l}` : l)).join('\n') : all.join('\n');
}

function pathsThroughNode(n: NodeSingular): Collection {
  return n.predecessors().union(n.successors()).union(n);
}

function pathsThroughEdge(e: EdgeSingular): Collection {
  return e.union(e.source().predecessors()).union(e.target().successors()).union(e.connectedNodes());
}
