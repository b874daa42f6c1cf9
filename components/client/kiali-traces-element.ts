/**
 * <kiali-traces>: Kiali's Traces tab for an app, workload or service: a scatter of sampled traces
 * (time × duration, error traces red), the selected trace's details and its spans with the demo's
 * portal/device/user/travel tags. Live from the session's Kiali, re-fetched on the graph's cadence while
 * in view (the chosen trace and the error filter survive each update), else a recorded snapshot.
 * The scatter is plain SVG (not uPlot): a few dozen points, variable bubble sizes, and every bubble a
 * focusable, labelled button for keyboard and screen-reader users.
 */
import type { KialiTraces, JaegerTrace } from './kiali-types.ts';
import { fmtUs, spanRows, summarize, type TraceSummary } from './kiali-traces-model.ts';
import { escapeHtml as h, fmtClock, parseDuration } from './mesh-format.ts';
import { kialiGet, liveAvailable, loadFixture, onLiveChange, type SourceMode } from './kiali-source.ts';
import { LivePoll } from './mesh-live-poll.ts';

const KINDS = { app: 'apps', workload: 'workloads', service: 'services' } as const;

export class KialiTracesElement extends HTMLElement {
  private mode: SourceMode | 'none' = 'none';
  private traces: JaegerTrace[] = [];
  private selected: string | undefined;
  private onlyErrors = false;
  private kind: 'apps' | 'workloads' | 'services' = 'apps';
  private name = '';
  private unsub: (() => void) | undefined;
  private poll: LivePoll | undefined;
  /** Requests started; only the newest may render. */
  private requests = 0;

  connectedCallback(): void {
    if (this.name) return;
    const k = (['app', 'workload', 'service'] as const).find((x) => this.dataset[x]);
    this.kind = k ? KINDS[k] : 'apps';
    this.name = (k && this.dataset[k]) || '';
    this.innerHTML = `<div class="kt-toolbar"><label class="mg-check"><input type="checkbox" data-opt="errors"> Show only traces with errors</label>
<span class="mg-spacer"></span><span class="mg-mode" data-role="mode"></span><button type="button" class="mg-refresh" data-live-only data-act="refresh" aria-label="Refresh now">⟳</button></div>
<div class="kt-scatter" data-role="scatter"><div class="km-status">Loading traces…</div></div><div class="kt-detail" data-role="detail"></div>`;
    this.addEventListener('change', (ev) => { if ((ev.target as HTMLElement).dataset.opt === 'errors') { this.onlyErrors = (ev.target as HTMLInputElement).checked; this.render(); } });
    this.addEventListener('click', (ev) => {
      const t = (ev.target as Element).closest('[data-trace],[data-act]') as HTMLElement | SVGElement | null;
      if (t?.dataset.trace) { this.selected = t.dataset.trace; this.render(); }
      else if (t?.dataset.act === 'refresh') void this.refresh();
    });
    this.addEventListener('keydown', (ev) => {
      const t = (ev.target as Element).closest('[data-trace]') as SVGElement | null;
      if (t && (ev.key === 'Enter' || ev.key === ' ')) { ev.preventDefault(); this.selected = t.dataset.trace; this.render(); }
    });
    const io = new IntersectionObserver((es) => { if (es.some((e) => e.isIntersecting)) { io.disconnect(); void this.start(); } }, { rootMargin: '200px' });
    io.observe(this);
  }

  disconnectedCallback(): void {
    this.name = '';
    this.unsub?.();
    this.poll?.dispose();
    this.poll = undefined;
  }

  private snapshotName(): string | undefined {
    const scenario = this.dataset.snapshot ?? (document.querySelector('mesh-graph[data-snapshot]') as HTMLElement | null)?.dataset.snapshot;
    return scenario ? `traces-${scenario}-${this.dataset.namespace}-${this.kind}-${this.name}` : undefined;
  }

  private async start(): Promise<void> {
    this.mode = (await liveAvailable()) ? 'live' : this.snapshotName() ? 'snapshot' : 'none';
    const mode = this.querySelector('[data-role="mode"]') as HTMLElement;
    mode.textContent = this.mode === 'live' ? 'Live' : this.mode === 'snapshot' ? 'Snapshot' : '';
    mode.className = `mg-mode mg-mode-${this.mode}`;
    this.dataset.mode = this.mode; // a snapshot hides the time controls (data-live-only): it has one fixed window
    this.unsub ??= onLiveChange(() => void this.start());
    this.poll ??= new LivePoll(this, () => void this.refresh(), parseDuration(this.dataset.refresh, 15));
    this.poll.enable(this.mode === 'live');
    if (this.mode === 'none') { (this.querySelector('[data-role="scatter"]') as HTMLElement).innerHTML = '<div class="km-status">Start a lab session to see live traces.</div>'; return; }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const request = ++this.requests;
    this.poll?.touch();
    try {
      const secs = parseDuration(this.dataset.duration, 600);
      const body = this.mode === 'live'
        ? await kialiGet<KialiTraces>(`/api/namespaces/${encodeURIComponent(this.dataset.namespace ?? '')}/${this.kind}/${encodeURIComponent(this.name)}/traces`, {
          startMicros: String((Date.now() - secs * 1000) * 1000), endMicros: String(Date.now() * 1000), limit: this.dataset.limit ?? '100',
        })
        : await loadFixture<KialiTraces>(this.snapshotName()!).catch(() => loadFixture<KialiTraces>(`traces-observe-${this.dataset.namespace}-${this.kind}-${this.name}`));
      if (request !== this.requests || !this.name) return;
      this.modeNote('');
      this.traces = (body.data ?? []).filter((t) => t.spans.length > 0);
      const sums = this.traces.map(summarize).sort((a, b) => b.startUs - a.startUs);
      if (!this.selected || !this.traces.some((t) => t.traceID === this.selected)) this.selected = sums[0]?.id;
      this.render();
      this.dataset.state = 'ready';
    } catch (err) {
      if (request !== this.requests) return;
      const msg = `Could not load traces: ${err instanceof Error ? err.message : String(err)}`;
      // A failed periodic update keeps the traces already shown and says so, instead of blanking them.
      if (this.traces.length) this.modeNote(msg);
      else (this.querySelector('[data-role="scatter"]') as HTMLElement).innerHTML = `<div class="km-status">${h(msg)}</div>`;
    }
  }

  private modeNote(error: string): void {
    const mode = this.querySelector('[data-role="mode"]') as HTMLElement;
    mode.classList.toggle('mg-mode-stale', Boolean(error));
    mode.title = error;
  }

  private render(): void {
    const sums = this.traces.map(summarize).filter((s) => !this.onlyErrors || s.errors > 0);
    // Redrawing replaces the bubbles: a keyboard user's focus moves to the same trace's new bubble.
    const active = document.activeElement;
    const focused = active && this.contains(active) ? active.closest('[data-trace]')?.getAttribute('data-trace') : undefined;
    const scatter = this.querySelector('[data-role="scatter"]') as HTMLElement;
    scatter.innerHTML = scatterSvg(sums, this.selected);
    if (focused) scatter.querySelector<SVGElement>(`[data-trace="${CSS.escape(focused)}"]`)?.focus();
    // A selected trace the filter hides is not shown either: its details would read as a match.
    const t = sums.some((x) => x.id === this.selected) ? this.traces.find((x) => x.traceID === this.selected) : undefined;
    (this.querySelector('[data-role="detail"]') as HTMLElement).innerHTML = t ? detailHtml(t) : '';
  }
}

function scatterSvg(sums: TraceSummary[], selected: string | undefined): string {
  if (!sums.length) return '<div class="km-status">No traces in this time window.</div>';
  const W = 860, H = 210, L = 52, R = 12, T = 12, B = 28;
  const t0 = Math.min(...sums.map((s) => s.startUs)), t1 = Math.max(...sums.map((s) => s.startUs)) || t0 + 1;
  const dMax = niceCeil(Math.max(...sums.map((s) => s.durationUs)) * 1.1);
  const x = (us: number) => L + ((us - t0) / Math.max(1, t1 - t0)) * (W - L - R);
  const y = (us: number) => H - B - (us / dMax) * (H - T - B);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * dMax);
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => t0 + f * (t1 - t0));
  const grid = yTicks.map((v) => `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" class="kt-grid"/><text x="${L - 6}" y="${y(v) + 3}" text-anchor="end">${fmtUs(v)}</text>`).join('')
    // Traces close together (or a single one) would repeat a time: print each distinct time once. The last
    // time ends at the plot's right edge so it is not clipped.
    + xTicks.map((v, i) => (i > 0 && fmtClock(v / 1e6, false) === fmtClock(xTicks[i - 1] / 1e6, false) ? '' : `<text x="${x(v)}" y="${H - 8}" text-anchor="${i === xTicks.length - 1 ? 'end' : 'middle'}">${fmtClock(v / 1e6, false)}</text>`)).join('');
  const dots = sums.map((s) => {
    const r = Math.min(15, (s.spans + 2) / 2.2);
    const cls = `kt-dot${s.errors ? ' err' : ''}${s.id === selected ? ' sel' : ''}`;
    const label = `${s.name}, ${fmtUs(s.durationUs)}, ${s.spans} spans${s.errors ? `, ${s.errors} with error` : ''}, ${fmtClock(s.startUs / 1e6)}`;
    return `<circle class="${cls}" cx="${x(s.startUs).toFixed(1)}" cy="${y(s.durationUs).toFixed(1)}" r="${r.toFixed(1)}" data-trace="${h(s.id)}" tabindex="0" role="button" aria-label="${h(label)}"><title>${h(label)}</title></circle>`;
  }).join('');
  return `<svg viewBox="0 0 ${W} ${H}" class="kt-svg" role="group" aria-label="Traces: time against duration">${grid}${dots}</svg>
<div class="kt-legend"><span><i class="kt-dot-key"></i>Traces</span><span><i class="kt-dot-key err"></i>Error Traces</span></div>`;
}

/** 1, 2, 2.5 or 5 × 10^n at or above v, so the duration axis reads 0 / 10 / 20 / 30 ms. */
function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(v, 1)));
  return ([1, 2, 2.5, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

function detailHtml(t: JaegerTrace): string {
  const s = summarize(t);
  const rows = spanRows(t).map((r) => `<tr class="${r.error ? 'kt-err' : ''}">
<td>${'&nbsp;'.repeat(r.depth * 2)}${fmtUs(r.offsetUs)}</td>
<td><div>Application: <strong>${h(r.app)}</strong></div><div>Workload: ${h(r.workload)}</div></td>
<td><div>Operation: ${h(r.span.operationName)}</div><div>Component: proxy</div>
<div>${r.kind === 'client' ? 'Sent request' : 'Received request'}: ${h(r.method)} ${h(r.url)}</div>
<div>Response status: ${h(r.status)}${r.flags && r.flags !== '-' ? ` (${h(r.flags)})` : ''}${r.error ? ' <span class="kt-errtxt">This span reported an error</span>' : ''}</div>
${r.business.length ? `<div class="kt-tags">${r.business.map(([k, v]) => `<span class="kt-tag">${h(k)}: ${h(v)}</span>`).join('')}</div>` : ''}</td>
<td>${fmtUs(r.span.duration)}</td></tr>`).join('');
  return `<div class="kt-card"><div class="kt-title"><strong>${h(s.name)}</strong> <code>${h(s.id.slice(0, 7))}</code> <span class="mg-sub">${fmtClock(s.startUs / 1e6)}</span></div>
<div class="kt-badges"><span class="kt-badge">${s.spans} Spans</span><span class="kt-badge">${s.apps.length} Apps involved</span><span class="kt-badge ${s.errors ? 'bad' : 'good'}">${s.errors} Spans with error</span><span>Full duration: <strong>${fmtUs(s.durationUs)}</strong></span></div>
<table class="kt-spans"><thead><tr><th scope="col">Timeline</th><th scope="col">App / Workload</th><th scope="col">Summary</th><th scope="col">Duration</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

if (!customElements.get('kiali-traces')) customElements.define('kiali-traces', KialiTracesElement);
