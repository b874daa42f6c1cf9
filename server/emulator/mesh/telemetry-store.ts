/**
 * Istio standard metrics of one cluster, kept the way Prometheus would answer about them: one series
 * per distinct label set, values in fixed 15 s buckets over a ring of a little more than an hour.
 * Writes are O(1) with no allocation once a series exists; reads sum bucket ranges.
 */

import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** The label set Istio's telemetry v2 puts on every standard metric. */
export interface SeriesLabels {
  reporter: 'source' | 'destination';
  source_workload: string;
  source_workload_namespace: string;
  source_principal: string;
  source_app: string;
  source_version: string;
  source_canonical_service: string;
  source_canonical_revision: string;
  source_cluster: string;
  destination_workload: string;
  destination_workload_namespace: string;
  destination_principal: string;
  destination_app: string;
  destination_version: string;
  destination_canonical_service: string;
  destination_canonical_revision: string;
  destination_service: string;
  destination_service_name: string;
  destination_service_namespace: string;
  destination_cluster: string;
  request_protocol: 'http' | 'grpc' | 'tcp';
  response_code: string;
  grpc_response_status: string;
  response_flags: string;
  connection_security_policy: string;
}

/** Istio's default duration buckets (ms); the last implicit bucket is +Inf. */
export const DURATION_BUCKETS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];
const NB = DURATION_BUCKETS.length + 1;

export interface HttpSeries {
  id: number;
  kind: 'http';
  labels: SeriesLabels;
  count: Float32Array;
  durSum: Float32Array;
  reqBytes: Float32Array;
  respBytes: Float32Array;
  /** slots × NB bucket counts (non-cumulative). */
  hist: Uint16Array;
}

export interface TcpSeries {
  id: number;
  kind: 'tcp';
  labels: SeriesLabels;
  sent: Float32Array;
  received: Float32Array;
  opened: Float32Array;
  closed: Float32Array;
}

export type Series = HttpSeries | TcpSeries;

export interface TelemetrySnapshot {
  bucketMs: number;
  slots: number;
  current: number;
  series: { kind: 'http' | 'tcp'; labels: SeriesLabels }[];
  /** base64 of the deflated epoch and series arrays, in series order. */
  data: string;
}

export function bucketIndex(ms: number): number {
  let i = 0;
  while (i < DURATION_BUCKETS.length && ms > DURATION_BUCKETS[i]) i++;
  return i;
}

export function labelKey(l: SeriesLabels): string {
  return [
    l.reporter, l.source_workload_namespace, l.source_workload, l.source_principal, l.source_app, l.source_version,
    l.destination_workload_namespace, l.destination_workload, l.destination_principal, l.destination_app,
    l.destination_version, l.destination_service, l.request_protocol, l.response_code, l.response_flags,
    l.connection_security_policy,
  ].join('|');
}

export class TelemetryStore {
  readonly bucketMs: number;
  readonly slots: number;
  readonly series: Series[] = [];
  private readonly byKey = new Map<string, Series>();
  /** Bucket number held by each slot (-1: empty). */
  private readonly epoch: Float64Array;
  private current = -1;

  constructor(opts: { bucketMs?: number; retentionMs?: number } = {}) {
    this.bucketMs = opts.bucketMs ?? 15000;
    this.slots = Math.ceil((opts.retentionMs ?? 65 * 60000) / this.bucketMs) + 1;
    this.epoch = new Float64Array(this.slots).fill(-1);
  }

  /** The interned series for a label set (allocated once). */
  http(labels: SeriesLabels): HttpSeries {
    const k = 'h' + labelKey(labels);
    let s = this.byKey.get(k) as HttpSeries | undefined;
    if (!s) {
      const n = this.slots;
      s = { id: this.series.length, kind: 'http', labels, count: new Float32Array(n), durSum: new Float32Array(n), reqBytes: new Float32Array(n), respBytes: new Float32Array(n), hist: new Uint16Array(n * NB) };
      this.series.push(s);
      this.byKey.set(k, s);
    }
    return s;
  }

  tcp(labels: SeriesLabels): TcpSeries {
    const k = 't' + labelKey(labels);
    let s = this.byKey.get(k) as TcpSeries | undefined;
    if (!s) {
      const n = this.slots;
      s = { id: this.series.length, kind: 'tcp', labels, sent: new Float32Array(n), received: new Float32Array(n), opened: new Float32Array(n), closed: new Float32Array(n) };
      this.series.push(s);
      this.byKey.set(k, s);
    }
    return s;
  }

  /** Slot for time t, rotating (and clearing) buckets as time moves on; -1 if t is too old. */
  private slotFor(t: number): number {
    const b = Math.floor(t / this.bucketMs);
    if (b > this.current) this.rotate(b);
    if (b <= this.current - this.slots) return -1;
    return b % this.slots;
  }

  private rotate(b: number): void {
    const from = Math.max(this.current + 1, b - this.slots + 1);
    for (let x = from; x <= b; x++) {
      const slot = x % this.slots;
      this.epoch[slot] = x;
      for (const s of this.series) clearSlot(s, slot);
    }
    this.current = b;
  }

  addHttp(s: HttpSeries, t: number, count: number, durMs: number, reqBytes: number, respBytes: number): void {
    const slot = this.slotFor(t);
    if (slot < 0 || count <= 0) return;
    s.count[slot] += count;
    s.durSum[slot] += durMs * count;
    s.reqBytes[slot] += reqBytes * count;
    s.respBytes[slot] += respBytes * count;
    const h = slot * NB + bucketIndex(durMs);
    s.hist[h] = Math.min(65535, s.hist[h] + count);
  }

  addTcp(s: TcpSeries, t: number, opened: number, closed: number, sent: number, received: number): void {
    const slot = this.slotFor(t);
    if (slot < 0) return;
    s.opened[slot] += opened;
    s.closed[slot] += closed;
    s.sent[slot] += sent;
    s.received[slot] += received;
  }

  /** Calls fn(slot) for every retained bucket whose start lies in [fromMs, toMs). */
  forSlots(fromMs: number, toMs: number, fn: (slot: number) => void): void {
    const b0 = Math.max(Math.floor(fromMs / this.bucketMs), this.current - this.slots + 1);
    const b1 = Math.min(Math.ceil(toMs / this.bucketMs) - 1, this.current);
    for (let b = b0; b <= b1; b++) {
      const slot = b % this.slots;
      if (this.epoch[slot] === b) fn(slot);
    }
  }

  /** Sum of one field over [fromMs, toMs). */
  sum(arr: Float32Array, fromMs: number, toMs: number): number {
    let total = 0;
    this.forSlots(fromMs, toMs, (slot) => {
      total += arr[slot];
    });
    return total;
  }

  /** Adds the duration histogram of s over the window into out (length NB). */
  histInto(s: HttpSeries, fromMs: number, toMs: number, out: Float64Array): void {
    this.forSlots(fromMs, toMs, (slot) => {
      const base = slot * NB;
      for (let i = 0; i < NB; i++) out[i] += s.hist[base + i];
    });
  }

  /** Serialisable state (mostly-zero arrays, deflated): a restored cluster keeps its last hour of traffic. */
  snapshot(): TelemetrySnapshot {
    const parts: Buffer[] = [Buffer.from(this.epoch.buffer)];
    for (const s of this.series) {
      const arrays = s.kind === 'http' ? [s.count, s.durSum, s.reqBytes, s.respBytes, s.hist] : [s.sent, s.received, s.opened, s.closed];
      for (const a of arrays) parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    }
    return {
      bucketMs: this.bucketMs, slots: this.slots, current: this.current,
      series: this.series.map((s) => ({ kind: s.kind, labels: s.labels })),
      data: deflateRawSync(Buffer.concat(parts)).toString('base64'),
    };
  }

  /** Replaces this store's content with a snapshot taken with the same bucket layout (else ignored). */
  load(snap: TelemetrySnapshot): boolean {
    if (snap.bucketMs !== this.bucketMs || snap.slots !== this.slots) return false;
    const buf = inflateRawSync(Buffer.from(snap.data, 'base64'));
    let off = 0;
    const take = <T extends Float32Array | Float64Array | Uint16Array>(into: T): T => {
      const bytes = into.byteLength;
      new Uint8Array(into.buffer, into.byteOffset, bytes).set(buf.subarray(off, off + bytes));
      off += bytes;
      return into;
    };
    take(this.epoch);
    this.series.length = 0;
    this.byKey.clear();
    for (const meta of snap.series) {
      const s = meta.kind === 'http' ? this.http(meta.labels) : this.tcp(meta.labels);
      const arrays = s.kind === 'http' ? [s.count, s.durSum, s.reqBytes, s.respBytes, s.hist] : [s.sent, s.received, s.opened, s.closed];
      for (const a of arrays) take(a);
    }
    this.current = snap.current;
    return true;
  }

  /** Approximate bytes held by the series arrays. */
  memoryBytes(): number {
    let n = this.epoch.byteLength;
    for (const s of this.series) {
      n += s.kind === 'http'
        ? s.count.byteLength * 4 + s.hist.byteLength
        : s.sent.byteLength * 4;
    }
    return n;
  }
}

function clearSlot(s: Series, slot: number): void {
  if (s.kind === 'http') {
    s.count[slot] = 0;
    s.durSum[slot] = 0;
    s.reqBytes[slot] = 0;
    s.respBytes[slot] = 0;
    s.hist.fill(0, slot * NB, slot * NB + NB);
  } else {
    s.sent[slot] = 0;
    s.received[slot] = 0;
    s.opened[slot] = 0;
    s.closed[slot] = 0;
  }
}

export const HIST_BUCKETS = NB;

/** Prometheus-style histogram_quantile over non-cumulative bucket counts. */
export function histogramQuantile(q: number, counts: Float64Array): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total === 0) return NaN;
  const rank = q * total;
  let cum = 0;
  for (let i = 0; i < counts.length; i++) {
    const prev = cum;
    cum += counts[i];
    if (cum >= rank && counts[i] > 0) {
      if (i >= DURATION_BUCKETS.length) return DURATION_BUCKETS[DURATION_BUCKETS.length - 1];
      const lower = i === 0 ? 0 : DURATION_BUCKETS[i - 1];
      const upper = DURATION_BUCKETS[i];
      return lower + ((upper - lower) * (rank - prev)) / counts[i];
    }
  }
  return DURATION_BUCKETS[DURATION_BUCKETS.length - 1];
}
