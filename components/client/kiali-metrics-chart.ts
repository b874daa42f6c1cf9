/**
 * One Kiali-style metrics chart drawn with uPlot: title, unit above the y axis, smooth lines, legend
 * below with click-to-hide. uPlot (~50 kB, no dependencies, canvas) is chosen over Chart.js/ECharts
 * (5–20× larger) because these charts are plain time series and a page may hold a dozen of them.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DashboardChart } from './kiali-types.ts';
import { chartSeries, seriesName, unitScale } from './kiali-metrics-model.ts';
import { escapeHtml } from './mesh-format.ts';

/** PatternFly multi-colour order, as Kiali's charts use it. */
export const SERIES_COLORS = ['#0066cc', '#4cb140', '#009596', '#f4c145', '#ec7a08', '#8bc1f7', '#23511e', '#a2d9d9', '#5752d1', '#c9190b'];

const pad = (n: number): string => String(n).padStart(2, '0');

/** "12:51" like Kiali's time axis (uPlot's default adds a date line that does not fit small charts). */
export function hhmm(secs: number): string {
  const d = new Date(secs * 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * Time-axis labels for ticks `incr` seconds apart: "12:51", or "12:51:30" when ticks fall within a
 * minute (a short window, a wide chart), where minutes alone would print "12:51 12:51 12:51". A label
 * equal to its neighbour is left blank, so no two ticks ever read the same.
 */
export function timeTicks(secs: number[], incr: number): string[] {
  const fmt = incr >= 60 ? hhmm : (t: number): string => `${hhmm(t)}:${pad(new Date(t * 1000).getSeconds())}`;
  const labels = secs.map(fmt);
  return labels.map((l, i) => (i > 0 && l === labels[i - 1] ? '' : l));
}

export interface ChartTheme { fg: string; grid: string }

export interface DrawnChart {
  readonly name: string;
  resize(width: number): void;
  destroy(): void;
  /** Series the reader switched off in the legend, by label: kept when the chart is redrawn. */
  hidden(): string[];
}

/**
 * `window` (epoch seconds) is the dashboard's time range: every chart spans it, as in Kiali, even where one
 * chart's series start later (no requests yet, so no durations or sizes) than another's zeros.
 */
export function drawChart(host: HTMLElement, chart: DashboardChart, byLabels: string[], stats: string[], theme: ChartTheme, hidden: string[] = [], window?: [number, number]): DrawnChart {
  const { times, series } = chartSeries(chart, stats);
  const visible = series.filter((m) => m.name !== 'request_error_count');
  host.innerHTML = `<div class="km-chart-title">${escapeHtml(chart.name)}</div>`;
  if (!visible.length || !times.length) {
    host.insertAdjacentHTML('beforeend', '<div class="km-nodata">No data available</div>');
    return { name: chart.name, resize() {}, destroy() {}, hidden: () => hidden };
  }
  const max = Math.max(0, ...visible.flatMap((m) => m.datapoints.map(([, v]) => Number(v)).filter(Number.isFinite)));
  const u = unitScale(chart.unit, max);
  host.insertAdjacentHTML('beforeend', `<div class="km-unit">${escapeHtml(u.axis)}</div><div class="km-plot"></div>`);
  const idx = new Map(times.map((t, i) => [t, i]));
  const data: (number | null)[][] = [times];
  for (const m of visible) {
    const col: (number | null)[] = new Array(times.length).fill(null);
    for (const [t, v] of m.datapoints) { const x = Number(v); if (Number.isFinite(x)) col[idx.get(t)!] = x * u.scale; }
    data.push(col);
  }
  const plotEl = host.querySelector('.km-plot') as HTMLElement;
  const axis = { stroke: theme.fg, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1, size: 4 }, font: '10px sans-serif' };
  const plot = new uPlot({
    width: Math.max(200, plotEl.clientWidth || host.clientWidth), height: 150,
    legend: { show: true, live: false },
    cursor: { points: { size: 5 }, drag: { x: false, y: false } },
    // The y axis starts at zero, as Kiali's charts do: a steady series (every request 251 B) then reads as a
    // flat line at its height with distinct tick labels, not as noise magnified around one value.
    scales: { x: window ? { time: true, range: (): [number, number] => window } : { time: true }, y: { range: (_u: uPlot, _min: number | null, max: number | null) => [0, max && max > 0 ? max * 1.1 : 1] } },
    axes: [
      // 60 px between ticks leaves room for "12:51:30".
      { ...axis, size: 24, space: 60, values: (_u: uPlot, vals: number[], _axis: number, _space: number, incr: number) => timeTicks(vals, incr) },
      { ...axis, size: 44, space: 24, values: (_u: uPlot, vals: number[]) => vals.map((v) => u.fmt(v)) },
    ],
    series: [
      {},
      ...visible.map((m, i) => ({
        label: seriesName(m, byLabels, chart), show: !hidden.includes(seriesName(m, byLabels, chart)), stroke: SERIES_COLORS[i % SERIES_COLORS.length], width: 1.5,
        paths: uPlot.paths.spline?.(), points: { show: false }, spanGaps: true,
        value: (_u: uPlot, v: number | null) => (v == null ? '-' : u.fmt(v)),
      })),
    ],
  }, data as uPlot.AlignedData, plotEl);
  return {
    name: chart.name,
    resize: (w) => plot.setSize({ width: Math.max(200, w), height: 150 }),
    destroy: () => plot.destroy(),
    hidden: () => plot.series.slice(1).filter((x) => x.show === false).map((x) => String(x.label)),
  };
}
