/**
 * HTML labels over the cytoscape canvas: Kiali's white label pills with the purple badge strip under each
 * node, the dark box labels with their "A"/"NS" letter badge, and the mTLS lock on edges. Canvas labels
 * cannot hold icons; HTML also makes every node a focusable button for keyboard users. The invisible
 * native labels (same lines) keep the layout and the boxes sized for these pills.
 * Hand-written (~100 lines) rather than cytoscape-node-html-label, which is unmaintained since 2019 and
 * knows nothing of edges, focus or themes.
 */
import type { Core, EdgeSingular, NodeSingular } from 'cytoscape';
import type { ViewEdge, ViewNode } from './mesh-graph-model.ts';
import { BADGE_TITLES, ICONS } from './mesh-icons.ts';
import { escapeHtml } from './mesh-format.ts';

export interface OverlayHandlers {
  select(id: string): void;
  hover(id: string | undefined): void;
}

export class GraphOverlay {
  private readonly layer: HTMLElement;
  private readonly cy: Core;
  private frame = 0;
  private readonly items = new Map<string, HTMLElement>();
  private readonly handlers: OverlayHandlers;

  constructor(layer: HTMLElement, cy: Core, handlers: OverlayHandlers) {
    this.handlers = handlers;
    this.layer = layer;
    this.cy = cy;
    cy.on('render', () => this.schedule());
  }

  /** Rebuilds every label element from the current view model. */
  setElements(nodes: ViewNode[], edges: ViewEdge[]): void {
    this.layer.replaceChildren();
    this.items.clear();
    for (const n of nodes) this.add(n.id, n.kind === 'box' ? boxLabel(n) : nodeLabel(n));
    for (const e of edges) if (e.mtls) this.add(`lock:${e.id}`, lockIcon(e));
    this.schedule();
  }

  private add(id: string, el: HTMLElement): void {
    el.dataset.id = id;
    if (el instanceof HTMLButtonElement) {
      el.addEventListener('click', () => this.handlers.select(id));
      el.addEventListener('focus', () => this.handlers.hover(id));
      el.addEventListener('blur', () => this.handlers.hover(undefined));
      el.addEventListener('mouseenter', () => this.handlers.hover(id));
      el.addEventListener('mouseleave', () => this.handlers.hover(undefined));
    }
    this.items.set(id, el);
    this.layer.append(el);
  }

  /** Mirrors cytoscape's dim/selected classes onto the labels. */
  syncClasses(): void {
    for (const [id, el] of this.items) {
      const ele = this.cy.getElementById(id.startsWith('lock:') ? id.slice(5) : id);
      el.classList.toggle('dim', ele.hasClass('dim'));
      el.classList.toggle('selected', ele.selected() || ele.hasClass('focus'));
    }
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.position(); });
  }

  private position(): void {
    const z = this.cy.zoom();
    this.layer.classList.toggle('tiny', z < 0.45);
    for (const [id, el] of this.items) {
      if (id.startsWith('lock:')) { placeLock(el, this.cy.getElementById(id.slice(5)) as EdgeSingular, z); continue; }
      const node = this.cy.getElementById(id) as NodeSingular;
      if (node.empty()) { el.hidden = true; continue; }
      el.hidden = false;
      let x: number, y: number;
      if (node.isParent()) {
        const bb = node.renderedBoundingBox({ includeLabels: false });
        x = (bb.x1 + bb.x2) / 2;
        y = bb.y2 + 3 * z;
      } else {
        const p = node.renderedPosition();
        x = p.x;
        y = p.y + node.renderedHeight() / 2 + 3 * z;
      }
      el.style.transform = `translate(${x}px, ${y}px) scale(${z}) translateX(-50%)`;
    }
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    this.layer.replaceChildren();
  }
}

function placeLock(el: HTMLElement, edge: EdgeSingular, z: number): void {
  if (edge.empty()) { el.hidden = true; return; }
  const m = edge.renderedMidpoint();
  el.hidden = false;
  el.style.transform = `translate(${m.x}px, ${m.y}px) scale(${z}) translate(-50%, -95%)`;
}

function nodeLabel(n: ViewNode): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = `mg-label health-${n.health}${n.badges.length ? ' has-badges' : ''}`;
  const kind = n.kind === 'app' ? 'App' : n.kind === 'service' ? 'Service' : n.kind === 'workload' ? 'Workload' : n.kind;
  // Inside an app box a version node's label is only "v1": a screen reader needs the app's name too.
  const app = n.data.app;
  const name = app && !n.lines.some((l) => l.includes(app)) ? [app, ...n.lines] : n.lines;
  b.setAttribute('aria-label', `${kind} ${name.join(' ')}, ${n.health === 'na' ? 'no traffic' : n.health}${n.badges.length ? ', ' + n.badges.map((x) => BADGE_TITLES[x]).join(', ') : ''}`);
  const badges = n.badges.length
    ? `<span class="mg-badges">${n.badges.map((x) => `<span class="mg-badge mg-badge-${x}" title="${BADGE_TITLES[x]}">${ICONS[x]}</span>`).join('')}</span>`
    : '';
  const hosts = n.hosts ? `<span class="mg-hosts">${n.hosts} host${n.hosts > 1 ? 's' : ''}</span>` : '';
  b.innerHTML = `${badges}<span class="mg-text">${n.lines.map((l) => `<span>${escapeHtml(l)}</span>`).join('')}${hosts}</span>`;
  return b;
}

function boxLabel(n: ViewNode): HTMLElement {
  const d = document.createElement('div');
  d.className = `mg-box-label box-${n.box}`;
  const letter = n.box === 'namespace' ? 'NS' : n.box === 'cluster' ? 'CL' : 'A';
  d.innerHTML = `<span class="mg-letter">${letter}</span><span class="mg-text">${n.lines.map((l) => `<span>${escapeHtml(l)}</span>`).join(' ')}</span>`;
  return d;
}

function lockIcon(e: ViewEdge): HTMLElement {
  const s = document.createElement('span');
  s.className = 'mg-lock';
  s.title = `mTLS ${e.data.isMTLS}%`;
  s.innerHTML = ICONS.lock;
  return s;
}
