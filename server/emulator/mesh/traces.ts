/**
 * Sampled distributed traces, as the sidecars would send them to Zipkin/Jaeger: a span per proxy per
 * hop (client span at the caller, server span at the callee) with Istio's tags and the four custom
 * header tags the Travels pods configure. A bounded ring of recent traces.
 */
import type { BizHeaders } from './engine.ts';
import type { PodInfo } from './topology.ts';

export interface SpanTag {
  key: string;
  type: 'string' | 'bool' | 'int64';
  value: string | boolean | number;
}

export interface SpanRecord {
  traceID: string;
  spanID: string;
  parentSpanID?: string;
  operationName: string;
  /** `<app>.<namespace>` as Istio names the tracing service. */
  serviceName: string;
  namespace: string;
  workload: string;
  app: string;
  /** µs since the epoch. */
  startTime: number;
  /** µs. */
  duration: number;
  /** What the tags are built from (lazily: most spans are never read). */
  kind: 'client' | 'server';
  method: string;
  url: string;
  code: number;
  flags: string;
  upstreamCluster: string;
  nodeId: string;
  revision: string;
  peerIp: string;
  /** Shared with the other spans of the same request. */
  headers: BizHeaders;
}

/** The span's tags as Envoy's Zipkin tracer writes them, plus the custom header tags. */
export function spanTags(s: SpanRecord): SpanTag[] {
  const tags: SpanTag[] = [
    { key: 'component', type: 'string', value: 'proxy' },
    { key: 'span.kind', type: 'string', value: s.kind },
    { key: 'http.method', type: 'string', value: s.method },
    { key: 'http.url', type: 'string', value: s.url },
    { key: 'http.protocol', type: 'string', value: 'HTTP/1.1' },
    { key: 'http.status_code', type: 'string', value: String(s.code) },
    { key: 'response_flags', type: 'string', value: s.flags },
    { key: 'upstream_cluster', type: 'string', value: s.upstreamCluster },
    { key: 'node_id', type: 'string', value: s.nodeId },
    { key: 'istio.canonical_service', type: 'string', value: s.app },
    { key: 'istio.canonical_revision', type: 'string', value: s.revision },
    { key: 'istio.namespace', type: 'string', value: s.namespace },
    { key: 'istio.mesh_id', type: 'string', value: 'cluster.local' },
    { key: 'peer.address', type: 'string', value: s.peerIp },
  ];
  if (s.code >= 400 || s.code === 0) tags.push({ key: 'error', type: 'bool', value: true });
  for (const h of ['portal', 'device', 'user', 'travel'] as const) {
    const v = s.headers[h];
    if (v !== undefined) tags.push({ key: `http.header.${h}`, type: 'string', value: v });
  }
  return tags;
}

export interface TraceRecord {
  traceID: string;
  start: number;
  spans: SpanRecord[];
}

export interface SpanInfo {
  kind: 'client' | 'server';
  pod: PodInfo;
  host: string;
  port: number;
  method: string;
  path: string;
  code: number;
  flags: string;
  start: number;
  durationMs: number;
  headers: BizHeaders;
  upstreamCluster: string;
  peer?: PodInfo;
}

const hex = (rng: () => number, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rng() * 16).toString(16);
  return s;
};

/** One trace being recorded; the engine calls begin/end around each proxied hop (depth-first). */
export class TraceBuilder {
  readonly record: TraceRecord;
  private readonly stack: string[] = [];
  private readonly rng: () => number;

  constructor(rng: () => number, start: number) {
    this.rng = rng;
    this.record = { traceID: hex(rng, 32), start, spans: [] };
  }

  begin(): string {
    const id = hex(this.rng, 16);
    this.stack.push(id);
    return id;
  }

  end(id: string, s: SpanInfo): void {
    const i = this.stack.lastIndexOf(id);
    const parent = i > 0 ? this.stack[i - 1] : undefined;
    if (i >= 0) this.stack.splice(i, 1);
    const w = s.pod.workload;
    this.record.spans.push({
      traceID: this.record.traceID,
      spanID: id,
      parentSpanID: parent,
      operationName: `${s.host}:${s.port}${s.kind === 'server' ? s.path : '/*'}`,
      serviceName: `${w.app || w.name}.${s.pod.namespace}`,
      namespace: s.pod.namespace,
      workload: w.name,
      app: w.app || w.name,
      startTime: Math.round(s.start * 1000),
      duration: Math.max(1, Math.round(s.durationMs * 1000)),
      kind: s.kind,
      method: s.method,
      url: `http://${s.host}:${s.port}${s.path}`,
      code: s.code,
      flags: s.flags,
      upstreamCluster: s.upstreamCluster,
      nodeId: `sidecar~${s.pod.ip}~${s.pod.name}.${s.pod.namespace}~${s.pod.namespace}.svc.cluster.local`,
      revision: w.version || 'latest',
      peerIp: s.peer?.ip ?? '',
      headers: s.headers,
    });
  }
}

export class TraceStore {
  private readonly traces: TraceRecord[] = [];
  private readonly max: number;

  constructor(max = 400) {
    this.max = max;
  }

  add(t: TraceRecord): void {
    if (t.spans.length === 0) return;
    this.traces.push(t);
    if (this.traces.length > this.max) this.traces.splice(0, this.traces.length - this.max);
  }

  /** Traces with at least one span matching, newest first. */
  query(match: (s: SpanRecord) => boolean, fromMs: number, toMs: number, limit: number): TraceRecord[] {
    const out: TraceRecord[] = [];
    for (let i = this.traces.length - 1; i >= 0 && out.length < limit; i--) {
      const t = this.traces[i];
      if (t.start < fromMs || t.start > toMs) continue;
      if (t.spans.some(match)) out.push(t);
    }
    return out;
  }

  get size(): number {
    return this.traces.length;
  }
}
