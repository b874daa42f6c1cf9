/**
 * Pure helpers of the traces view over Jaeger JSON: a trace's name, duration, apps and error spans,
 * and each span's summary (app, workload from node_id, direction, URL, status, flags, business tags).
 */
import type { JaegerSpan, JaegerTrace } from './kiali-types.ts';

export const BUSINESS_TAGS = ['portal', 'device', 'user', 'travel'];

export const tagOf = (s: JaegerSpan, key: string): string | undefined => {
  const t = s.tags.find((x) => x.key === key);
  return t === undefined ? undefined : String(t.value);
};

export const isErrorSpan = (s: JaegerSpan): boolean =>
  tagOf(s, 'error') === 'true' || Number(tagOf(s, 'http.status_code') ?? 0) >= 400 || tagOf(s, 'http.status_code') === '0';

export interface TraceSummary {
  id: string;
  name: string;
  startUs: number;
  durationUs: number;
  spans: number;
  apps: string[];
  errors: number;
}

export function rootSpan(t: JaegerTrace): JaegerSpan {
  const ids = new Set(t.spans.map((s) => s.spanID));
  return t.spans.find((s) => !s.references?.some((r) => ids.has(r.spanID))) ?? t.spans[0];
}

export function summarize(t: JaegerTrace): TraceSummary {
  const root = rootSpan(t);
  const start = Math.min(...t.spans.map((s) => s.startTime));
  const end = Math.max(...t.spans.map((s) => s.startTime + s.duration));
  const apps = [...new Set(t.spans.map((s) => tagOf(s, 'istio.canonical_service') ?? t.processes[s.processID]?.serviceName.split('.')[0] ?? '?'))];
  const svc = t.processes[root.processID]?.serviceName ?? '';
  return { id: t.traceID, name: `${svc}: ${root.operationName}`, startUs: start, durationUs: end - start, spans: t.spans.length, apps, errors: t.spans.filter(isErrorSpan).length };
}

export interface SpanRow {
  span: JaegerSpan;
  offsetUs: number;
  depth: number;
  app: string;
  workload: string;
  pod: string;
  kind: 'client' | 'server' | string;
  method: string;
  url: string;
  status: string;
  flags: string;
  business: [string, string][];
  error: boolean;
}

/** node_id `sidecar~10.0.0.1~travels-v1-6c9d-x2z.travel-agency~…` → pod and its workload. */
function podOf(s: JaegerSpan): { pod: string; workload: string } {
  const node = tagOf(s, 'node_id') ?? '';
  const pod = node.split('~')[2]?.split('.')[0] ?? '';
  const workload = pod.replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '');
  return { pod, workload: workload || pod };
}

/** Spans in timeline order with their depth in the call tree. */
export function spanRows(t: JaegerTrace): SpanRow[] {
  const start = Math.min(...t.spans.map((s) => s.startTime));
  const byId = new Map(t.spans.map((s) => [s.spanID, s]));
  const depth = (s: JaegerSpan, n = 0): number => {
    const p = s.references?.find((r) => r.refType === 'CHILD_OF' && byId.has(r.spanID));
    return p && n < 50 ? depth(byId.get(p.spanID)!, n + 1) : n;
  };
  return [...t.spans].sort((a, b) => a.startTime - b.startTime).map((s) => {
    const { pod, workload } = podOf(s);
    return {
      span: s, offsetUs: s.startTime - start, depth: depth(s),
      app: tagOf(s, 'istio.canonical_service') ?? t.processes[s.processID]?.serviceName.split('.')[0] ?? '', workload, pod,
      kind: tagOf(s, 'span.kind') ?? '', method: tagOf(s, 'http.method') ?? '', url: tagOf(s, 'http.url') ?? '',
      status: tagOf(s, 'http.status_code') ?? '', flags: tagOf(s, 'response_flags') ?? '-',
      business: BUSINESS_TAGS.flatMap((k) => { const v = tagOf(s, `http.header.${k}`); return v ? [[k, v] as [string, string]] : []; }),
      error: isErrorSpan(s),
    };
  });
}

export function fmtUs(us: number): string {
  const ms = us / 1000;
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${ms.toFixed(2).replace(/\.?0+$/, '')}ms`;
}
