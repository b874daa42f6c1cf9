/**
 * <kiali-metrics>: a workload's, app's or service's Inbound/Outbound Metrics dashboard as Kiali shows it,
 * with Metrics Settings (show metrics by, histograms), Reported from, duration and refresh. Live from
 * the session's Kiali (`…/dashboard?byLabels[]=…`), re-fetched on the graph's cadence while in view,
 * else a recorded snapshot regrouped locally.
 */
import type { KialiDashboard } from './kiali-types.ts';
import { chartsToShow, GROUPINGS, regroup, resolveGroupBy, type Direction, type Reporter } from './kiali-metrics-model.ts';
import { escapeHtml as h, fmtDuration, parseDuration } from './mesh-format.ts';
import { kialiGet, liveAvailable, loadFixture, onLiveChange, type SourceMode } from './kiali-source.ts';
import type { DrawnChart } from './kiali-metrics-chart.ts';
import { LivePoll } from './mesh-live-poll.ts';
import { dismissMenusLikeMenus } from './menu-dismiss.ts';

const KINDS = { workload: 'workloads', app: 'apps', service: 'services' } as const;
const STATS: [string, string][] = [['avg', 'Average'], ['0.5', 'Quantile 0.5'], ['0.95', 'Quantile 0.95'], ['0.99', 'Quantile 0.99']];
const DURATIONS = [300, 600, 1800, 3600];

export class KialiMetricsElement extends HTMLElement {
  private mode: SourceMode | 'none' = 'none';
  private ns = '';
  private kind: 'workloads' | 'apps' | 'services' = 'workloads';
  private name = '';
  private direction: Direction = 'inbound';
  private reporter: Reporter = 'destination';
  private groupBy: string[] = [];
  private stats = ['avg'];
  private duration = 600;
  private charts: DrawnChart[] = [];
  private dashboard: KialiDashboard | undefined;
  private ro: ResizeObserver | undefined;
  private themeObs: MutationObserver | undefined;
  private unsub: (() => void) | undefined;
  private poll: LivePoll | undefined;
  /** Requests started; only the newest may draw, so a slow answer never replaces a newer setting's. */
  private requests = 0;

  connectedCallback(): void {
    if (this.name) return;
    const d = this.dataset;
    const k = (['workload', 'app', 'service'] as const).find((x) => d[x]);
    this.kind = k ? KINDS[k] : 'workloads';
    this.name = (k && d[k]) || '';
    this.ns = d.namespace ?? '';
    this.direction = this.kind === 'services' || d.direction === 'inbound' ? 'inbound' : d.direction === 'outbound' ? 'outbound' : 'inbound';
    this.reporter = (['source', 'destination', 'both'].includes(d.reporter ?? '') ? d.reporter : this.direction === 'inbound' ? 'destination' : 'source') as Reporter;
    this.groupBy = resolveGroupBy((d.groupBy ?? (this.direction === 'outbound' ? 'remoteApp' : 'remoteApp')).split(',').map((s) => s.trim()).filter(Boolean), this.direction);
    if (d.quantiles) this.stats = d.quantiles.split(',').map((s) => s.trim());
    this.duration = parseDuration(d.duration, 600);
    this.renderShell();
    const io = new IntersectionObserver((es) => { if (es.some((e) => e.isIntersecting)) { io.disconnect(); void this.start(); } }, { rootMargin: '200px' });
    io.observe(this);
  }

  disconnectedCallback(): void {
    this.ro?.disconnect();
    this.themeObs?.disconnect();
    this.unsub?.();
    this.poll?.dispose();
    this.poll = undefined;
    for (const c of this.charts.splice(0)) c.destroy();
    this.name = '';
  }

  /** The snapshot to use: the `snapshot` prop, else the chapter's graph snapshot on the same page. */
  private snapshotName(): string | undefined {
    const scenario = this.dataset.snapshot ?? (document.querySelector('mesh-graph[data-snapshot]') as HTMLElement | null)?.dataset.snapshot;
    return scenario ? `dashboard-${scenario}-${this.ns}-${this.kind}-${this.name}-${this.direction}` : undefined;
  }

  private renderShell(): void {
    const labels = GROUPINGS.filter((g) => g[this.direction]);
    this.innerHTML = `<div class="km-toolbar">
  <details class="mg-display"><summary>Metrics Settings</summary><div class="mg-menu">
    <fieldset><legend>Show metrics by</legend>${labels.map((g) => `<label class="mg-check"><input type="checkbox" data-group="${g[this.direction]}"${this.groupBy.includes(g[this.direction]!) ? ' checked' : ''}> ${g.label}</label>`).join('')}</fieldset>
    <fieldset><legend>Histograms</legend>${STATS.map(([v, l]) => `<label class="mg-check"><input type="checkbox" data-stat="${v}"${this.stats.includes(v) ? ' checked' : ''}> ${l}</label>`).join('')}</fieldset>
  </div></details>
  <label class="km-field">Reported from <select data-opt="reporter">${(['source', 'destination', 'both'] as const).map((r) => `<option value="${r}"${r === this.reporter ? ' selected' : ''}>${r[0].toUpperCase() + r.slice(1)}</option>`).join('')}</select></label>
  <span class="mg-spacer"></span><span class="mg-mode" data-role="mode"></span>
  <label class="km-field" data-live-only><span class="sr-only">Duration</span><select data-opt="duration">${DURATIONS.map((d) => `<option value="${d}"${d === this.duration ? ' selected' : ''}>Last ${fmtDuration(d)}</option>`).join('')}</select></label>
  <button type="button" class="mg-refresh" data-live-only data-act="refresh" aria-label="Refresh now">⟳</button>
</div>
<div class="km-head"><span class="mg-chip mg-chip-${this.kind === 'services' ? 'S' : this.kind === 'apps' ? 'A' : 'W'}">${this.kind === 'services' ? 'S' : this.kind === 'apps' ? 'A' : 'W'}</span> <strong>${h(this.name)}</strong> <span class="mg-sub">(${h(this.ns)})</span> · ${this.direction === 'inbound' ? 'Inbound' : 'Outbound'} Metrics</div>
<div class="km-grid" data-role="grid"><div class="km-status">Loading metrics…</div></div>`;
    this.addEventListener('change', (ev) => this.onChange(ev.target as HTMLInputElement));
    this.addEventListener('click', (ev) => { if ((ev.target as HTMLElement).closest('[data-act="refresh"]')) void this.refresh(); });
  }

  private async start(): Promise<void> {
    this.mode = (await liveAvailable()) ? 'live' : this.snapshotName() ? 'snapshot' : 'none';
    const mode = this.querySelector('[data-role="mode"]') as HTMLElement;
    mode.textContent = this.mode === 'live' ? 'Live' : this.mode === 'snapshot' ? 'Snapshot' : '';
    mode.className = `mg-mode mg-mode-${this.mode}`;
    this.dataset.mode = this.mode; // a snapshot hides the time controls (data-live-only): it has one fixed window
    // A session started on this page (the learner pressed Start): switch to live.
    this.unsub ??= onLiveChange(() => void this.start());
    this.poll ??= new LivePoll(this, () => void this.refresh(), parseDuration(this.dataset.refresh, 15));
    this.poll.enable(this.mode === 'live');
    if (this.mode === 'none') return this.status('Start a lab session to see live metrics.');
    if (!this.ro) {
      this.ro = new ResizeObserver(() => this.resizeCharts());
      this.ro.observe(this.querySelector('[data-role="grid"]')!);
      this.themeObs = new MutationObserver(() => this.draw());
      this.themeObs.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    }
    await this.refresh();
  }

  private status(text: string): void {
    for (const c of this.charts.splice(0)) c.destroy();
    (this.querySelector('[data-role="grid"]') as HTMLElement).innerHTML = `<div class="km-status">${h(text)}</div>`;
  }

  async refresh(): Promise<void> {
    const request = ++this.requests;
    this.poll?.touch();
    try {
      const dashboard = this.mode === 'live' ? await this.fetchLive() : regroup(await loadFixture<KialiDashboard>(this.snapshotName()!), this.groupBy, this.reporter);
      if (request !== this.requests || !this.name) return;
      this.dashboard = dashboard;
      this.modeNote('');
      await this.draw();
    } catch (err) {
      if (request !== this.requests) return;
      const msg = `Could not load metrics: ${err instanceof Error ? err.message : String(err)}`;
      // A failed periodic update keeps the charts already drawn and says so, instead of blanking them.
      if (this.charts.length) this.modeNote(msg);
      else this.status(msg);
    }
  }

  private modeNote(error: string): void {
    const mode = this.querySelector('[data-role="mode"]') as HTMLElement;
    mode.classList.toggle('mg-mode-stale', Boolean(error));
    mode.title = error;
  }

  private fetchLive(): Promise<KialiDashboard> {
    const stats = this.stats.filter((s) => s !== 'avg');
    return kialiGet<KialiDashboard>(`/api/namespaces/${encodeURIComponent(this.ns)}/${this.kind}/${encodeURIComponent(this.name)}/dashboard`, {
      direction: this.direction, reporter: this.reporter, duration: String(this.duration), step: String(Math.max(15, Math.round(this.duration / 40))),
      rateInterval: '1m', avg: String(this.stats.includes('avg')), 'quantiles[]': stats.length ? stats : undefined, 'byLabels[]': this.groupBy.length ? this.groupBy : undefined,
    });
  }

  private async draw(): Promise<void> {
    if (!this.dashboard) return;
    const { drawChart } = await import('./kiali-metrics-chart.ts');
    // Charts are rebuilt in one go (no paint in between, so no flicker); the legend entries the reader
    // switched off stay off.
    const hidden = new Map(this.charts.map((c) => [c.name, c.hidden()]));
    for (const c of this.charts.splice(0)) c.destroy();
    const grid = this.querySelector('[data-role="grid"]') as HTMLElement;
    grid.innerHTML = '';
    const dark = document.documentElement.dataset.theme === 'dark';
    const theme = dark ? { fg: '#c7c7c7', grid: '#3c3f42' } : { fg: '#4f5255', grid: '#e0e0e0' };
    const requested = this.dataset.charts?.split(',').map((s) => s.trim()).filter(Boolean);
    const shown = chartsToShow(this.dashboard, requested);
    const times = shown.flatMap((c) => c.metrics.flatMap((m) => m.datapoints.map(([t]) => t)));
    const window: [number, number] | undefined = times.length ? [Math.min(...times), Math.max(...times)] : undefined;
    for (const chart of shown) {
      const cell = document.createElement('div');
      cell.className = 'km-chart';
      grid.append(cell);
      this.charts.push(drawChart(cell, chart, this.groupBy, this.stats, theme, hidden.get(chart.name), window));
    }
    this.dataset.state = 'ready';
  }

  private resizeCharts(): void {
    const cells = [...this.querySelectorAll<HTMLElement>('.km-chart')];
    this.charts.forEach((c, i) => c.resize(cells[i]?.clientWidth ?? 300));
  }

  private onChange(el: HTMLInputElement | HTMLSelectElement): void {
    if (el.dataset.group) {
      const g = el.dataset.group;
      this.groupBy = (el as HTMLInputElement).checked ? [...this.groupBy, g] : this.groupBy.filter((x) => x !== g);
    } else if (el.dataset.stat) {
      const s = el.dataset.stat;
      this.stats = (el as HTMLInputElement).checked ? [...this.stats, s] : this.stats.filter((x) => x !== s);
    } else if (el.dataset.opt === 'reporter') this.reporter = el.value as Reporter;
    else if (el.dataset.opt === 'duration') this.duration = Number(el.value);
    else return;
    void this.refresh();
  }
}

dismissMenusLikeMenus();
if (!customElements.get('kiali-metrics')) customElements.define('kiali-metrics', KialiMetricsElement);
