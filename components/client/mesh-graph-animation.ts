/**
 * Kiali's "Traffic Animation" display option: dots travel along each edge from source to target, denser
 * for higher request rates and faster for shorter response times; failed requests are red diamonds in
 * proportion to the error rate; TCP edges carry smaller gray dots at a constant speed. Drawn on a canvas
 * over the graph, only while the option is on and the page is visible.
 */
import type { Core, EdgeSingular } from 'cytoscape';
import type { ViewEdge } from './mesh-graph-model.ts';

interface Dot { t: number; err: boolean }
interface Lane { id: string; perSec: number; travelMs: number; errShare: number; tcp: boolean; color: string; dots: Dot[]; debt: number }

export class TrafficAnimation {
  private readonly canvas: HTMLCanvasElement;
  private readonly cy: Core;
  private lanes: Lane[] = [];
  private frame = 0;
  private last = 0;

  constructor(host: HTMLElement, cy: Core) {
    this.cy = cy;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'mg-anim';
    this.canvas.setAttribute('aria-hidden', 'true');
    host.append(this.canvas);
  }

  /** (Re)starts with the current edges; an empty list stops the animation. */
  set(edges: ViewEdge[], colorOf: (e: ViewEdge) => string): void {
    const old = new Map(this.lanes.map((l) => [l.id, l]));
    this.lanes = edges.flatMap((e) => {
      const r = e.data.traffic?.rates ?? {};
      const rate = Number(e.protocol === 'tcp' ? r.tcp : r.http ?? r.grpc ?? 0);
      if (!(rate > 0)) return [];
      const perSec = e.protocol === 'tcp' ? 1.5 : Math.min(8, 0.6 + Math.log10(1 + rate * 10) * 2);
      const travelMs = e.protocol === 'tcp' ? 2000 : Math.min(4000, Math.max(700, 700 + Number(e.data.responseTime ?? 0) / 2));
      const errShare = Number(r.httpPercentErr ?? r.grpcPercentErr ?? 0) / 100;
      return [{ id: e.id, perSec, travelMs, errShare, tcp: e.protocol === 'tcp', color: colorOf(e), dots: old.get(e.id)?.dots ?? [], debt: 0 }];
    });
    if (this.lanes.length && !this.frame) { this.last = performance.now(); this.frame = requestAnimationFrame((t) => this.tick(t)); }
    if (!this.lanes.length) this.stop();
  }

  stop(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.lanes = [];
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  dispose(): void {
    this.stop();
    this.canvas.remove();
  }

  private tick(now: number): void {
    const dt = Math.min(100, now - this.last);
    this.last = now;
    this.frame = requestAnimationFrame((t) => this.tick(t));
    if (document.hidden) return;
    const ctx = this.fit();
    if (!ctx) return;
    const z = this.cy.zoom();
    for (const lane of this.lanes) {
      lane.debt += (lane.perSec * dt) / 1000;
      while (lane.debt >= 1) { lane.debt -= 1; lane.dots.push({ t: 0, err: !lane.tcp && Math.random() < lane.errShare }); }
      lane.dots = lane.dots.filter((d) => (d.t += dt / lane.travelMs) < 1);
      const edge = this.cy.getElementById(lane.id) as EdgeSingular;
      if (edge.empty() || edge.hasClass('dim')) continue;
      const a = edge.renderedSourceEndpoint();
      const b = edge.renderedTargetEndpoint();
      for (const d of lane.dots) draw(ctx, a.x + (b.x - a.x) * d.t, a.y + (b.y - a.y) * d.t, z, lane, d.err);
    }
  }

  private fit(): CanvasRenderingContext2D | null {
    const c = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth, h = c.clientHeight;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) { c.width = Math.round(w * dpr); c.height = Math.round(h * dpr); }
    const ctx = c.getContext('2d');
    if (!ctx) return null;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    return ctx;
  }
}

function draw(ctx: CanvasRenderingContext2D, x: number, y: number, z: number, lane: Lane, err: boolean): void {
  const r = (lane.tcp ? 1.6 : 2.4) * Math.max(0.6, z);
  ctx.beginPath();
  if (err) {
    ctx.moveTo(x, y - r * 1.5); ctx.lineTo(x + r * 1.5, y); ctx.lineTo(x, y + r * 1.5); ctx.lineTo(x - r * 1.5, y); ctx.closePath();
    ctx.fillStyle = '#c9190b';
    ctx.fill();
    return;
  }
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.fillStyle = lane.tcp ? '#8a8d90' : '#ffffff';
  ctx.fill();
  if (!lane.tcp) { ctx.lineWidth = 1; ctx.strokeStyle = lane.color; ctx.stroke(); }
}
