/**
 * Kiali's tracing endpoints (`…/{apps|workloads|services}/{x}/traces` and `/spans`) answered from the
 * simulator's sampled traces, in the Jaeger JSON shape Kiali relays.
 */
import type { MeshHandle } from '../mesh/index.ts';
import { spanTags, type SpanRecord, type TraceRecord } from '../mesh/traces.ts';

export interface TraceQuery {
  namespace: string;
  kind: 'apps' | 'workloads' | 'services';
  name: string;
  fromMs: number;
  toMs: number;
  limit: number;
  minDurationUs: number;
  tags: Record<string, string>;
}

export function parseTraceQuery(q: URLSearchParams, namespace: string, kind: TraceQuery['kind'], name: string, nowMs: number): TraceQuery {
  const end = Number(q.get('endMicros')) / 1000 || nowMs;
  const start = Number(q.get('startMicros')) / 1000 || end - 10 * 60000;
  let tags: Record<string, string> = {};
  try {
    tags = q.get('tags') ? (JSON.parse(q.get('tags')!) as Record<string, string>) : {};
  } catch {
    // Kiali sends JSON; anything else filters nothing rather than failing the page.
  }
  return {
    namespace, kind, name, fromMs: start, toMs: end, limit: Math.min(500, Number(q.get('limit')) || 100),
    minDurationUs: Number(q.get('minDuration')) || 0, tags,
  };
}

function spanMatches(s: SpanRecord, q: TraceQuery): boolean {
  if (s.namespace !== q.namespace) return false;
  if (q.kind === 'workloads' ? s.workload !== q.name : s.app !== q.name) return false;
  if (s.duration < q.minDurationUs) return false;
  if (Object.keys(q.tags).length) {
    const tags = spanTags(s);
    for (const [k, v] of Object.entries(q.tags)) if (!tags.some((t) => t.key === k && String(t.value) === v)) return false;
  }
  return true;
}

function jaegerTrace(t: TraceRecord) {
  const processes: Record<string, { serviceName: string; tags: { key: string; type: string; value: string }[] }> = {};
  const pid = new Map<string, string>();
  for (const s of t.spans) {
    if (!pid.has(s.serviceName)) {
      const id = `p${pid.size + 1}`;
      pid.set(s.serviceName, id);
      processes[id] = { serviceName: s.serviceName, tags: [{ key: 'hostname', type: 'string', value: s.workload }] };
    }
  }
  return {
    traceID: t.traceID,
    spans: t.spans.map((s) => ({
      traceID: s.traceID, spanID: s.spanID, operationName: s.operationName,
      references: s.parentSpanID ? [{ refType: 'CHILD_OF', traceID: s.traceID, spanID: s.parentSpanID }] : [],
      startTime: s.startTime, duration: s.duration, tags: spanTags(s), logs: [], processID: pid.get(s.serviceName)!, warnings: null,
    })),
    processes,
    warnings: null,
  };
}

export function traces(mesh: MeshHandle, q: TraceQuery): unknown {
  const found = mesh.sim.traces.query((s) => spanMatches(s, q), q.fromMs, q.toMs, q.limit);
  return { data: found.map(jaegerTrace), errors: [], jaegerServiceName: `${q.name}.${q.namespace}` };
}

export function spans(mesh: MeshHandle, q: TraceQuery): unknown {
  const found = mesh.sim.traces.query((s) => spanMatches(s, q), q.fromMs, q.toMs, q.limit);
  return found.flatMap((t) => t.spans.filter((s) => spanMatches(s, q)).map((s) => ({
    traceID: s.traceID, spanID: s.spanID, operationName: s.operationName,
    references: s.parentSpanID ? [{ refType: 'CHILD_OF', traceID: s.traceID, spanID: s.parentSpanID }] : [],
    startTime: s.startTime, duration: s.duration, tags: spanTags(s), process: { serviceName: s.serviceName, tags: [] }, warnings: null,
  })));
}
