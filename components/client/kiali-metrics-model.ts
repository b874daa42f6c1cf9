/**
 * Pure logic of the metrics view: which Kiali group-by labels a "Show metrics by" choice means per
 * direction, regrouping a recorded dashboard the way Kiali's `byLabels`/`reporter` query would, series
 * names ("avg,200,travels" as Kiali writes them) and chart units.
 */
import type { DashboardChart, DashboardMetric, KialiDashboard } from './kiali-types.ts';

export type Direction = 'inbound' | 'outbound';
export type Reporter = 'source' | 'destination' | 'both';

/** "Show metrics by" entries (Kiali's Metrics Settings), label per direction. */
export const GROUPINGS: { id: string; label: string; inbound?: string; outbound?: string }[] = [
  { id: 'localVersion', label: 'Local version', inbound: 'destination_canonical_revision', outbound: 'source_canonical_revision' },
  { id: 'remoteNamespace', label: 'Remote namespace', inbound: 'source_workload_namespace', outbound: 'destination_service_namespace' },
  { id: 'remoteApp', label: 'Remote app', inbound: 'source_canonical_service', outbound: 'destination_canonical_service' },
  { id: 'remoteVersion', label: 'Remote version', inbound: 'source_canonical_revision', outbound: 'destination_canonical_revision' },
  { id: 'remoteService', label: 'Remote service', outbound: 'destination_service_name' },
  { id: 'responseCode', label: 'Response code', inbound: 'response_code', outbound: 'response_code' },
  { id: 'responseFlags', label: 'Response flags', inbound: 'response_flags', outbound: 'response_flags' },
];

export const QUANTILES = ['avg', '0.5', '0.95', '0.99'] as const;
export const DEFAULT_CHARTS = ['Request volume', 'Request duration', 'Request size', 'Response size'];
export const TCP_CHARTS = ['TCP opened', 'TCP closed', 'TCP received', 'TCP sent'];

/** Accepts grouping ids ("remoteApp") or raw Prometheus labels ("source_canonical_service"). */
export function resolveGroupBy(values: string[], direction: Direction): string[] {
  const out: string[] = [];
  for (const v of values) {
    const g = GROUPINGS.find((x) => x.id === v);
    const label = g ? g[direction] : v;
    if (label && !out.includes(label)) out.push(label);
  }
  return out;
}

const SUMMED = /^(request_count|request_error_count|request_throughput|response_throughput|tcp_)/;

/** Regroups a snapshot whose series carry every label (and `reporter`) down to `byLabels`. */
export function regroup(d: KialiDashboard, byLabels: string[], reporter: Reporter): KialiDashboard {
  const pick = (m: DashboardMetric): boolean => reporter === 'both' || !m.labels.reporter || m.labels.reporter === reporter;
  const weights = new Map<string, Map<number, number>>();
  for (const c of d.charts) for (const m of c.metrics) {
    if (m.name === 'request_count') weights.set(JSON.stringify(m.labels), new Map(m.datapoints.map(([t, v]) => [t, Number(v)])));
  }
  return { ...d, charts: d.charts.map((c) => ({ ...c, metrics: groupChart(c, byLabels, pick, weights) })) };
}

function groupChart(c: DashboardChart, byLabels: string[], pick: (m: DashboardMetric) => boolean, weights: Map<string, Map<number, number>>): DashboardMetric[] {
  const groups = new Map<string, { labels: Record<string, string>; name: string; stat?: string; acc: Map<number, [number, number]> }>();
  for (const m of c.metrics.filter(pick)) {
    const labels = Object.fromEntries(byLabels.map((l) => [l, m.labels[l] ?? '']));
    const key = JSON.stringify([m.name, m.stat, labels]);
    const g = groups.get(key) ?? { labels, name: m.name, stat: m.stat, acc: new Map() };
    const summed = SUMMED.test(m.name);
    const w = weights.get(JSON.stringify(m.labels));
    for (const [t, v] of m.datapoints) {
      const x = Number(v);
      if (!Number.isFinite(x)) continue;
      const weight = summed ? 1 : w?.get(t) ?? 1;
      const cur = g.acc.get(t) ?? [0, 0];
      g.acc.set(t, summed ? [cur[0] + x, 1] : [cur[0] + x * weight, cur[1] + weight]);
    }
    groups.set(key, g);
  }
  // Alphabetical by group values, as Kiali's legends read ("cars, flights, hotels, insurances").
  return [...groups.values()].sort((a, b) => Object.values(a.labels).join(',').localeCompare(Object.values(b.labels).join(','), undefined, { numeric: true })).map((g) => ({
    labels: g.labels, name: g.name, ...(g.stat ? { stat: g.stat } : {}),
    datapoints: [...g.acc.entries()].sort((a, b) => a[0] - b[0]).map(([t, [s, w]]) => [t, String(w > 0 ? s / w : s)] as [number, string]),
  }));
}

const STAT_NAMES: Record<string, string> = { avg: 'avg', '0.5': 'p50', '0.95': 'p95', '0.99': 'p99', '0.999': 'p99.9' };

/** Kiali's legend names: statistic and group values joined with commas. */
export function seriesName(m: DashboardMetric, byLabels: string[], chart: DashboardChart): string {
  const values = byLabels.map((l) => displayValue(l, m.labels[l] ?? ''));
  const parts = [...(m.stat && chart.name === 'Request duration' ? [STAT_NAMES[m.stat] ?? m.stat] : []), ...values];
  if (m.name === 'request_error_count') parts.unshift('errors');
  return parts.length ? parts.join(',') : chart.name === 'Request volume' ? 'total' : m.stat ? STAT_NAMES[m.stat] ?? m.stat : chart.name.toLowerCase();
}

function displayValue(label: string, v: string): string {
  if (label === 'response_code' && v === '0') return '-';
  return v || 'unknown';
}

export interface UnitScale { axis: string; scale: number; fmt: (v: number) => string }

/** Axis unit and scale for a chart, from Kiali's dashboard units and the data's magnitude. */
export function unitScale(unit: string, max: number): UnitScale {
  const f = (digits: number) => (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(digits));
  switch (unit) {
    case 'seconds': return max < 1 ? { axis: 'ms', scale: 1000, fmt: f(1) } : { axis: 's', scale: 1, fmt: f(2) };
    case 'bytes': return max >= 1024 ? { axis: 'kB', scale: 1 / 1024, fmt: f(2) } : { axis: 'B', scale: 1, fmt: f(0) };
    case 'bitrate': return max >= 1000 ? { axis: 'kbit/s', scale: 1 / 1000, fmt: f(2) } : { axis: 'bit/s', scale: 1, fmt: f(0) };
    case 'connrate': return { axis: 'conn/s', scale: 1, fmt: f(3) };
    case 'ops': return { axis: 'ops', scale: 1, fmt: f(2) };
    default: return { axis: unit, scale: 1, fmt: f(2) };
  }
}

/** Which charts to draw: the requested ones, else HTTP and/or TCP ones that have data. */
export function chartsToShow(d: KialiDashboard, requested: string[] | undefined): DashboardChart[] {
  if (requested?.length) return requested.map((n) => d.charts.find((c) => c.name === n) ?? { name: n, unit: '', spans: 3, metrics: [] });
  const has = (names: string[]) => names.some((n) => (d.charts.find((c) => c.name === n)?.metrics.length ?? 0) > 0);
  const http = has(DEFAULT_CHARTS);
  const tcp = has(TCP_CHARTS);
  const names = [...(http || !tcp ? DEFAULT_CHARTS : []), ...(tcp ? TCP_CHARTS : [])];
  return names.map((n) => d.charts.find((c) => c.name === n) ?? { name: n, unit: '', spans: 3, metrics: [] });
}

/** Series of one chart after the Histograms filter (duration stats), aligned on shared timestamps. */
export function chartSeries(c: DashboardChart, stats: string[]): { times: number[]; series: DashboardMetric[] } {
  const picked = c.name === 'Request duration' ? c.metrics.filter((m) => !m.stat || stats.includes(m.stat)) : c.metrics;
  // Alphabetical by group values (stat order kept), as Kiali's legends read, whatever order the server used.
  const key = (m: DashboardMetric): string => Object.keys(m.labels).sort().map((k) => m.labels[k]).join(',');
  const statRank = (m: DashboardMetric): number => ['avg', '0.5', '0.95', '0.99', '0.999'].indexOf(m.stat ?? 'avg');
  const series = [...picked].sort((a, b) => key(a).localeCompare(key(b), undefined, { numeric: true }) || statRank(a) - statRank(b));
  const times = [...new Set(series.flatMap((m) => m.datapoints.map(([t]) => t)))].sort((a, b) => a - b);
  return { times, series };
}
