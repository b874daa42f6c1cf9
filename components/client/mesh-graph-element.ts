/**
 * <mesh-graph>: the Kiali-like traffic graph custom element behind <MeshGraph>. Renders its toolbar at
 * once, loads cytoscape only when scrolled into view, then shows the session's live graph (refreshing on
 * the chosen interval) or, without a sandbox server, the recorded snapshot.
 */
import type { GraphType, KialiGraph } from './kiali-types.ts';
import { toGraphView, type EdgeLabelKind, type GraphView } from './mesh-graph-model.ts';
import { applyControl, serviceNodesFixed, toolbarHtml, type GraphSettings } from './mesh-graph-toolbar.ts';
import { edgePanel, graphPanel, nodePanel } from './mesh-graph-panel.ts';
import { edgesTableHtml } from './mesh-graph-table.ts';
import { legendHtml } from './mesh-graph-legend.ts';
import { DARK, LIGHT } from './mesh-graph-style.ts';
import { escapeHtml, fmtClock, parseDuration } from './mesh-format.ts';
import { kialiGet, liveAvailable, loadFixture, onLiveChange, type SourceMode } from './kiali-source.ts';
import type { GraphCanvas } from './mesh-graph-canvas.ts';
import { scopeToNamespaces } from './mesh-graph-scope.ts';
import { LivePoll } from './mesh-live-poll.ts';
import { dismissMenusLikeMenus } from './menu-dismiss.ts';

let uidCounter = 0;
const isDark = (): boolean => document.documentElement.dataset.theme === 'dark';
const bool = (v: string | undefined, d: boolean): boolean => (v === undefined ? d : v !== 'false');

/** Said when the page could not fetch the graph's code (the browser keeps that failure until a reload). */
const CODE_LOAD_FAILED = 'The graph could not load (the network dropped). Reload the page to see it.';

export class MeshGraphElement extends HTMLElement {
  settings!: GraphSettings;
  private uid = `mg${++uidCounter}`;
  private mode: SourceMode | 'none' = 'none';
  private canvas: GraphCanvas | undefined;
  private view: GraphView | undefined;
  private selected: string | undefined;
  private poll: LivePoll | undefined;
  private cleanups: (() => void)[] = [];
  /** Requests started; only the newest one may draw, so a slow answer never overwrites a newer choice. */
  private requests = 0;
  private loading = false;
  private liveOffered = false;
  private preferSnapshot = false;

  /** The cytoscape instance, for tests and debugging (undefined until the graph is drawn). */
  get cy(): GraphCanvas['cy'] | undefined {
    return this.canvas?.cy;
  }

  connectedCallback(): void {
    if (this.settings) return;
    const d = this.dataset;
    this.settings = {
      namespaces: (d.namespaces ?? 'travel-agency,travel-portal,travel-control').split(',').map((s) => s.trim()).filter(Boolean),
      graphType: (d.graphType as GraphType) ?? 'versionedApp',
      edgeLabels: (d.edgeLabels ?? '').split(',').map((s) => s.trim()).filter((s): s is EdgeLabelKind => ['rate', 'distribution', 'responseTime'].includes(s)),
      showSecurity: bool(d.showSecurity, false), showBadges: bool(d.showBadges, true), showMissingSidecars: bool(d.showMissingSidecars, true),
      boxNamespaces: bool(d.boxNamespaces, true), serviceNodes: bool(d.serviceNodes, true), animate: bool(d.animate, false),
      duration: parseDuration(d.duration, 60), refresh: parseDuration(d.refresh, 15),
    };
    Object.assign(this.settings, this.keptSettings());
    this.renderShell();
    const io = new IntersectionObserver((es) => {
      if (!es.some((e) => e.isIntersecting)) return;
      io.disconnect();
      // The drawing code loads on first view; lost to a network drop, it would leave "Loading…" forever.
      this.start().catch(() => this.status(CODE_LOAD_FAILED));
    }, { rootMargin: '200px' });
    io.observe(this);
    this.cleanups.push(() => io.disconnect());
  }

  disconnectedCallback(): void {
    this.poll?.dispose();
    this.poll = undefined;
    for (const c of this.cleanups.splice(0)) c();
    this.canvas?.dispose();
    this.canvas = undefined;
    this.settings = undefined as never;
  }

  private q<T extends HTMLElement>(sel: string): T {
    return this.querySelector(sel) as T;
  }

  private renderShell(): void {
    const staticTable = this.querySelector('.mg-table table')?.outerHTML ?? '';
    const h = this.dataset.height ?? '560px';
    this.innerHTML = `<div class="mg-toolbar">${toolbarHtml(this.settings, this.uid)}</div>
<div class="mg-body" style="height:${escapeHtml(h)};--mg-canvas-h:${escapeHtml(h)}">
  <div class="mg-canvas-wrap">
    <div class="mg-window" data-role="window"></div>
    <div class="mg-cy" id="${this.uid}-canvas" role="img" aria-label="Traffic graph; the table below lists the same edges"></div>
    <div class="mg-overlay" role="group" aria-label="Graph nodes"></div>
    <div class="mg-status" data-role="status" role="status">Loading graph…</div>
    <div class="mg-controls"><button type="button" data-act="zoom-in" aria-label="Zoom in">+</button><button type="button" data-act="zoom-out" aria-label="Zoom out">−</button><button type="button" data-act="fit" aria-label="Fit to screen">⤢</button><button type="button" class="mg-legend-btn" data-act="legend">Legend</button></div>
    <div class="mg-legend" hidden>${legendHtml()}</div>
  </div>
  <button type="button" class="mg-panel-toggle" data-act="panel" aria-expanded="true" aria-controls="${this.uid}-panel">Hide</button>
  <aside class="mg-panel" id="${this.uid}-panel" aria-live="polite" aria-label="Graph details"></aside>
</div>
<details class="mg-table"><summary>Traffic as a table</summary><div data-role="table">${staticTable}</div></details>`;
    this.addEventListener('change', (ev) => this.onControl(ev.target as HTMLInputElement));
    this.addEventListener('click', (ev) => this.onAction((ev.target as HTMLElement).closest('[data-act]') as HTMLElement | null));
    this.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') this.select(undefined); });
  }

  /** Live when the learner has a session (unless they chose the recorded snapshot), else the snapshot. */
  private async decideMode(): Promise<void> {
    const live = await liveAvailable();
    this.liveOffered = live && Boolean(this.dataset.snapshot);
    this.mode = live && !this.preferSnapshot ? 'live' : this.dataset.snapshot ? 'snapshot' : live ? 'live' : 'none';
    const mode = this.q<HTMLButtonElement>('[data-role="mode"]');
    mode.textContent = this.mode === 'live' ? 'Live' : this.mode === 'snapshot' ? 'Snapshot' : '';
    mode.className = `mg-mode mg-mode-${this.mode}`;
    this.dataset.mode = this.mode; // a snapshot hides the time controls (data-live-only): it has one fixed window
    mode.disabled = !this.liveOffered;
    mode.title = this.liveOffered ? `Showing ${this.mode === 'live' ? 'your cluster' : 'the recorded chapter result'}: click to switch` : '';
  }

  private async start(): Promise<void> {
    await this.decideMode();
    this.cleanups.push(onLiveChange(() => void this.modeChanged().catch(() => this.status(CODE_LOAD_FAILED))));
    await this.show();
  }

  /** Draws in the current mode, creating the canvas the first time there is something to draw. */
  private async show(): Promise<void> {
    if (this.mode === 'none') return this.status('Start a lab session to see the live graph.');
    if (!this.canvas) await this.createCanvas();
    await this.refresh();
    this.schedule();
  }

  private async createCanvas(): Promise<void> {
    const { GraphCanvas } = await import('./mesh-graph-canvas.ts');
    if (!this.settings) return;
    this.canvas = await GraphCanvas.create(this.q('.mg-cy'), this.q('.mg-overlay'), isDark() ? DARK : LIGHT, { select: (id) => this.select(id) });
    const themeObs = new MutationObserver(() => this.canvas?.setTokens(isDark() ? DARK : LIGHT));
    themeObs.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const ro = new ResizeObserver(() => this.canvas?.resize());
    ro.observe(this.q('.mg-cy'));
    this.cleanups.push(() => themeObs.disconnect(), () => ro.disconnect());
  }

  private async modeChanged(): Promise<void> {
    const before = this.mode;
    await this.decideMode();
    if (this.mode !== before && this.settings) await this.show();
  }

  private schedule(): void {
    // A tick while a request is still out is skipped: a slow cluster must not pile up requests.
    this.poll ??= new LivePoll(this, () => { if (!this.loading) void this.refresh(); }, this.settings.refresh);
    this.poll.setSeconds(this.settings.refresh);
    this.poll.enable(this.mode === 'live');
  }

  /** Fetches the graph (live or snapshot) and redraws. */
  async refresh(): Promise<void> {
    if (!this.canvas) return;
    const request = ++this.requests;
    this.poll?.touch();
    this.loading = true;
    try {
      const graph = await this.fetchGraph();
      if (request === this.requests && this.settings) this.draw(graph);
    } catch (err) {
      if (request === this.requests) this.status(`Could not load the graph: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      if (request === this.requests) this.loading = false;
    }
  }

  private graph: KialiGraph | undefined;

  private async fetchGraph(): Promise<KialiGraph> {
    const s = this.settings;
    if (this.mode === 'live') {
      return kialiGet<KialiGraph>('/api/namespaces/graph', {
        namespaces: s.namespaces.join(','), graphType: s.graphType, duration: `${s.duration}s`, injectServiceNodes: String(s.serviceNodes),
        boxBy: s.graphType === 'app' || s.graphType === 'versionedApp' ? 'app' : undefined,
        // securityPolicy always, not only with Display → Security as in Kiali: the edges table and the
        // edge panel state mTLS whatever the display option, and without the appender they would say "no".
        appenders: ['deadNode', 'serviceEntry', 'istio', 'health', 'responseTime', 'securityPolicy'].join(','),
        rateGrpc: 'requests', rateHttp: 'requests', rateTcp: 'sent', responseTime: '95',
      });
    }
    const variant = s.serviceNodes || serviceNodesFixed(s) ? '' : '-no-service-nodes';
    const recorded = await loadFixture<KialiGraph>(`graph-${this.dataset.snapshot}-${s.graphType}${variant}`).catch(() => loadFixture<KialiGraph>(this.dataset.snapshot!));
    return this.dataset.namespaces ? scopeToNamespaces(recorded, s.namespaces) : recorded;
  }

  private draw(graph: KialiGraph): void {
    const t0 = performance.now();
    this.graph = graph;
    const s = this.settings;
    this.view = toGraphView(graph, { ...s, namespaces: s.namespaces });
    const empty = this.view.nodes.every((n) => n.kind === 'box');
    this.status(empty ? '' : undefined, empty);
    this.canvas!.render(this.view);
    if (this.selected && !this.view.nodes.some((n) => n.id === this.selected) && !this.view.edges.some((e) => e.id === this.selected)) this.selected = undefined;
    this.canvas!.select(this.selected);
    this.canvas!.animate(s.animate);
    this.renderPanel();
    this.q<HTMLElement>('[data-role="table"]').innerHTML = edgesTableHtml(this.view);
    const start = graph.timestamp - graph.duration;
    this.q<HTMLElement>('[data-role="window"]').textContent = `${fmtClock(start)} … ${fmtClock(graph.timestamp, false)}`;
    // Model + cytoscape + layout time, read by the render benchmark (tests/e2e/mesh-bench.spec.ts).
    this.dataset.renderMs = (performance.now() - t0).toFixed(1);
    this.dataset.state = 'ready';
    this.dispatchEvent(new CustomEvent('mesh:rendered', { detail: { nodes: this.view.nodes.length, edges: this.view.edges.length } }));
  }

  /** Redraws from the last graph with new display options (no refetch). */
  private redraw(): void {
    if (this.graph) this.draw(this.graph);
  }

  private status(text: string | undefined, empty = false): void {
    const el = this.q<HTMLElement>('[data-role="status"]');
    if (empty) {
      el.innerHTML = `<div class="mg-empty"><strong>Empty Graph</strong><p>There is currently no graph available for the selected namespaces: they have no mesh traffic in the last ${Math.round(this.settings.duration / 60)} minute(s), or their workloads have no sidecar yet.</p><button type="button" data-act="refresh" data-live-only>Refresh</button></div>`;
      el.hidden = false;
      return;
    }
    el.hidden = !text;
    el.textContent = text ?? '';
  }

  private select(id: string | undefined): void {
    this.selected = id;
    this.canvas?.select(id);
    this.renderPanel();
  }

  private renderPanel(): void {
    const panel = this.q<HTMLElement>('.mg-panel');
    const v = this.view;
    if (!v) return;
    const node = v.nodes.find((n) => n.id === this.selected);
    const edge = v.edges.find((e) => e.id === this.selected);
    panel.innerHTML = node ? nodePanel(node, v) : edge ? edgePanel(edge, v) : graphPanel(v, this.settings.namespaces);
  }

  /** Kiali's side-panel Hide/Show tab: gives the canvas the whole width on narrow pages. */
  private togglePanel(): void {
    const body = this.q<HTMLElement>('.mg-body');
    const hidden = body.classList.toggle('panel-hidden');
    const btn = this.q<HTMLButtonElement>('.mg-panel-toggle');
    btn.textContent = hidden ? 'Show' : 'Hide';
    btn.setAttribute('aria-expanded', String(!hidden));
    requestAnimationFrame(() => this.canvas?.resize());
  }

  /**
   * This graph's display choices as the learner left them in this tab (a reload keeps them), by page and
   * the graph's place on it; the namespaces are the page's. Anything unreadable is ignored.
   */
  private get settingsKey(): string {
    return `travels:graph:${location.pathname}${location.search}#${[...document.querySelectorAll('mesh-graph')].indexOf(this)}`;
  }

  private keptSettings(): Partial<GraphSettings> {
    try {
      const kept = JSON.parse(sessionStorage.getItem(this.settingsKey) ?? '{}') as Partial<GraphSettings>;
      const fresh = { ...this.settings };
      for (const [k, v] of Object.entries(kept)) {
        if (k !== 'namespaces' && k in fresh && typeof v === typeof fresh[k as keyof GraphSettings]) (fresh as Record<string, unknown>)[k] = v;
      }
      return fresh;
    } catch {
      return {};
    }
  }

  private onControl(el: HTMLInputElement): void {
    const changed = applyControl(this.settings, el);
    if (!changed) return;
    try {
      const { namespaces: _page, ...choices } = this.settings;
      sessionStorage.setItem(this.settingsKey, JSON.stringify(choices));
    } catch {
      // Storage full or blocked: the choice holds until the page is left, as before.
    }
    if (changed === 'graphType') this.q<HTMLInputElement>('input[data-opt="serviceNodes"]').disabled = serviceNodesFixed(this.settings);
    if (changed === 'graphType' || changed === 'duration' || changed === 'serviceNodes') void this.refresh();
    else if (changed === 'refresh') this.schedule();
    else this.redraw();
  }

  private onAction(el: HTMLElement | null): void {
    const act = el?.dataset.act;
    if (act === 'refresh') void this.refresh();
    else if (act === 'mode' && this.liveOffered) { this.preferSnapshot = this.mode === 'live'; void this.modeChanged(); }
    else if (act === 'zoom-in') this.canvas?.zoomBy(1.25);
    else if (act === 'zoom-out') this.canvas?.zoomBy(0.8);
    else if (act === 'fit') this.canvas?.fit();
    else if (act === 'panel') this.togglePanel();
    else if (act === 'legend') { const l = this.q<HTMLElement>('.mg-legend'); l.hidden = !l.hidden; }
  }
}

dismissMenusLikeMenus();
if (!customElements.get('mesh-graph')) customElements.define('mesh-graph', MeshGraphElement);
