/**
 * Kiali's metrics dashboards (`/api/namespaces/{ns}/{workloads|apps|services}/{x}/dashboard`): the
 * Inbound/Outbound Metrics charts computed from the simulator's telemetry, with reporter, direction,
 * group-by labels, quantiles, duration and step as handlers/metrics.go accepts them.
 */
import { histogramQuantile, HIST_BUCKETS, type HttpSeries, type Series, type SeriesLabels, type TcpSeries, type TelemetryStore } from '../mesh/telemetry-store.ts';
import { parsePromDuration } from './graph.ts';

export interface DashboardRequest {
  namespace: string;
  kind: 'workloads' | 'apps' | 'services' | 'namespace';
  name: string;
  direction: 'inbound' | 'outbound';
  reporter: 'source' | 'destination' | 'both';
  durationSec: number;
  stepSec: number;
  rateIntervalSec: number;
  quantiles: string[];
  avg: boolean;
  byLabels: string[];
  queryTimeSec: number;
}

export function parseDashboardRequest(q: URLSearchParams, ns: string, kind: DashboardRequest['kind'], name: string, nowSec: number): DashboardRequest {
  const direction = q.get('direction') === 'inbound' || kind === 'services' ? 'inbound' : 'outbound';
  const rep = q.get('reporter');
  const list = (k: string) => [...q.getAll(k), ...q.getAll(`${k}[]`)].flatMap((v) => v.split(',')).filter(Boolean);
  const quantiles = list('quantiles');
  return {
    namespace: ns, kind, name, direction,
    reporter: rep === 'source' || rep === 'destination' || rep === 'both' ? rep : direction === 'inbound' ? 'destination' : 'source',
    durationSec: parsePromDuration(q.get('duration'), 1800),
    stepSec: Math.max(15, parsePromDuration(q.get('step'), 15)),
    rateIntervalSec: Math.max(15, parsePromDuration(q.get('rateInterval'), 60)),
    quantiles: quantiles.length ? quantiles : ['0.5', '0.95', '0.99'],
    avg: q.get('avg') !== 'false',
    byLabels: list('byLabels'),
    queryTimeSec: Number(q.get('queryTime')) || nowSec,
  };
}

function selects(r: DashboardRequest, l: SeriesLabels): boolean {
  if (r.reporter !== 'both' && l.reporter !== r.reporter) return false;
  if (r.kind === 'services') return l.destination_service_namespace === r.namespace && l.destination_service_name === r.name;
  if (r.kind === 'namespace') return r.direction === 'inbound' ? l.destination_service_namespace === r.namespace : l.source_workload_namespace === r.namespace;
  if (r.direction === 'inbound') {
    if (l.destination_workload_namespace !== r.namespace) return false;
    return r.kind === 'workloads' ? l.destination_workload === r.name : l.destination_canonical_service === r.name;
  }
  if (l.source_workload_namespace !== r.namespace) return false;
  return r.kind === 'workloads' ? l.source_workload === r.name : l.source_canonical_service === r.name;
}

type Point = [number, string];
interface ChartMetric {
  labels: Record<string, string>;
  datapoints: Point[];
  stat?: string;
  name: string;
}

function groups(series: Series[], byLabels: string[]): { labels: Record<string, string>; series: Series[] }[] {
  const map = new Map<string, { labels: Record<string, string>; series: Series[] }>();
  for (const s of series) {
    const labels: Record<string, string> = {};
    for (const b of byLabels) labels[b] = (s.labels as unknown as Record<string, string>)[b] ?? '';
    const k = JSON.stringify(labels);
    const g = map.get(k) ?? { labels, series: [] };
    g.series.push(s);
    map.set(k, g);
  }
  return [...map.values()];
}

/** Evaluates `f(windowStart, windowEnd)` at each step, like a Prometheus range query. */
function range(r: DashboardRequest, f: (from: number, to: number) => number): Point[] {
  const end = r.queryTimeSec;
  const start = end - r.durationSec;
  const pts: Point[] = [];
  for (let t = Math.ceil(start / r.stepSec) * r.stepSec; t <= end; t += r.stepSec) {
    const v = f((t - r.rateIntervalSec) * 1000, t * 1000);
    if (!Number.isNaN(v)) pts.push([t, String(Math.round(v * 1000) / 1000)]);
  }
  return pts;
}

function rateMetric(store: TelemetryStore, r: DashboardRequest, gs: ReturnType<typeof groups>, name: string, field: (s: Series) => Float32Array | undefined): ChartMetric[] {
  return gs.map((g) => ({
    labels: g.labels, name,
    datapoints: range(r, (from, to) => {
      let sum = 0;
      for (const s of g.series) {
        const a = field(s);
        if (a) sum += store.sum(a, from, to);
      }
      return sum / r.rateIntervalSec;
    }),
  }));
}

function durationMetrics(store: TelemetryStore, r: DashboardRequest, gs: ReturnType<typeof groups>): ChartMetric[] {
  const out: ChartMetric[] = [];
  const hist = new Float64Array(HIST_BUCKETS);
  for (const g of gs) {
    const http = g.series.filter((s): s is HttpSeries => s.kind === 'http');
    if (r.avg) {
      out.push({ labels: g.labels, name: 'request_duration_millis', stat: 'avg', datapoints: range(r, (from, to) => {
        let sum = 0;
        let n = 0;
        for (const s of http) {
          sum += store.sum(s.durSum, from, to);
          n += store.sum(s.count, from, to);
        }
        return n ? sum / n : NaN;
      }) });
    }
    for (const q of r.quantiles) {
      out.push({ labels: g.labels, name: 'request_duration_millis', stat: q, datapoints: range(r, (from, to) => {
        hist.fill(0);
        for (const s of http) store.histInto(s, from, to, hist);
        return histogramQuantile(Number(q), hist);
      }) });
    }
  }
  return out;
}

function sizeMetric(store: TelemetryStore, r: DashboardRequest, gs: ReturnType<typeof groups>, name: string, pick: (s: HttpSeries) => Float32Array): ChartMetric[] {
  return gs.map((g) => ({
    labels: g.labels, name, stat: 'avg',
    datapoints: range(r, (from, to) => {
      let sum = 0;
      let n = 0;
      for (const s of g.series) {
        if (s.kind !== 'http') continue;
        sum += store.sum(pick(s), from, to);
        n += store.sum(s.count, from, to);
      }
      return n ? sum / n : NaN;
    }),
  }));
}

const AGGREGATIONS_IN = [
  ['destination_canonical_revision', 'Local version'], ['source_workload_namespace', 'Remote namespace'],
  ['source_canonical_service', 'Remote app'], ['source_canonical_revision', 'Remote version'],
  ['response_code', 'Response code'], ['grpc_response_status', 'GRPC status'], ['response_flags', 'Response flags'],
  ['connection_security_policy', 'Connection Security Policy'],
];
const AGGREGATIONS_OUT = [
  ['source_canonical_revision', 'Local version'], ['destination_service_namespace', 'Remote namespace'],
  ['destination_canonical_service', 'Remote app'], ['destination_canonical_revision', 'Remote version'],
  ['destination_service_name', 'Remote service'], ['response_code', 'Response code'], ['grpc_response_status', 'GRPC status'],
  ['response_flags', 'Response flags'], ['connection_security_policy', 'Connection Security Policy'],
];

export function buildDashboard(store: TelemetryStore, r: DashboardRequest): unknown {
  const chosen = store.series.filter((s) => selects(r, s.labels));
  const http = groups(chosen.filter((s) => s.kind === 'http'), r.byLabels);
  const tcp = groups(chosen.filter((s) => s.kind === 'tcp'), r.byLabels);
  const httpOnly = (f: (s: HttpSeries) => Float32Array) => (s: Series) => (s.kind === 'http' ? f(s) : undefined);
  const tcpOnly = (f: (s: TcpSeries) => Float32Array) => (s: Series) => (s.kind === 'tcp' ? f(s) : undefined);
  const errorsOf = (s: Series) => {
    if (s.kind !== 'http') return undefined;
    const c = s.labels.response_code;
    return c === '0' || c[0] === '4' || c[0] === '5' ? s.count : undefined;
  };
  const chart = (name: string, unit: string, metrics: ChartMetric[], spans = 3) => ({ name, unit, spans, startCollapsed: false, metrics });
  const charts = [
    chart('Request volume', 'ops', [...rateMetric(store, r, http, 'request_count', httpOnly((s) => s.count)), ...rateMetric(store, r, http, 'request_error_count', errorsOf)]),
    chart('Request duration', 'seconds', durationMetrics(store, r, http).map((m) => ({ ...m, datapoints: m.datapoints.map(([t, v]) => [t, String(Number(v) / 1000)] as Point) }))),
    chart('Request size', 'bytes', sizeMetric(store, r, http, 'request_size', (s) => s.reqBytes)),
    chart('Response size', 'bytes', sizeMetric(store, r, http, 'response_size', (s) => s.respBytes)),
    chart('Request throughput', 'bitrate', rateMetric(store, r, http, 'request_throughput', httpOnly((s) => s.reqBytes)).map(bits)),
    chart('Response throughput', 'bitrate', rateMetric(store, r, http, 'response_throughput', httpOnly((s) => s.respBytes)).map(bits)),
    chart('gRPC received', 'msgrate', []),
    chart('gRPC sent', 'msgrate', []),
    chart('TCP opened', 'connrate', rateMetric(store, r, tcp, 'tcp_opened', tcpOnly((s) => s.opened))),
    chart('TCP closed', 'connrate', rateMetric(store, r, tcp, 'tcp_closed', tcpOnly((s) => s.closed))),
    // Kiali swaps Istio's two counters on purpose (istio/istio#32399) so that its charts read as its graph
    // does: "TCP sent" is what the graph's Sent shows (mysqldb's rows, the larger), "TCP received" the queries.
    chart('TCP received', 'bitrate', rateMetric(store, r, tcp, 'tcp_received', tcpOnly((s) => s.received)).map(bits)),
    chart('TCP sent', 'bitrate', rateMetric(store, r, tcp, 'tcp_sent', tcpOnly((s) => s.sent)).map(bits)),
  ];
  const aggs = r.direction === 'inbound' ? AGGREGATIONS_IN : AGGREGATIONS_OUT;
  return {
    name: '',
    title: r.direction === 'inbound' ? 'Inbound Metrics' : 'Outbound Metrics',
    charts,
    aggregations: aggs.map(([label, displayName]) => ({ label, displayName, singleSelection: false })),
    externalLinks: [],
    rows: 2,
  };
}

/** Throughput charts are in bits per second. */
function bits(m: ChartMetric): ChartMetric {
  return { ...m, datapoints: m.datapoints.map(([t, v]) => [t, String(Number(v) * 8)] as Point) };
}

/**
 * The raw `/metrics` endpoints (namespace Overview sparklines, metrics by name): the dashboard's
 * series keyed by metric name, optionally narrowed by filters[].
 */
export function rawMetrics(store: TelemetryStore, r: DashboardRequest, filters: string[]): Record<string, unknown[]> {
  const d = buildDashboard(store, r) as { charts: { metrics: { name: string }[] }[] };
  const out: Record<string, unknown[]> = {};
  for (const c of d.charts) {
    for (const m of c.metrics) {
      if (filters.length && !filters.includes(m.name)) continue;
      (out[m.name] ??= []).push(m);
    }
  }
  return out;
}
