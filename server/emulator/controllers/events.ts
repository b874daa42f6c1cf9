/**
 * The event recorder: turns EventInputs into core/v1 Events the way client-go's recorder does
 * (name `<object>.<hex nanos>`, aggregation of repeats into count/lastTimestamp, source and
 * reporting fields), so `kubectl describe` and `kubectl get events` read like a cluster.
 * Events are bounded per namespace, standing in for the API server's one-hour event TTL.
 */
import type { ObjectStore } from '../store/object-store.ts';
import { isoSeconds } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import { EVENTS, NAMESPACES } from './keys.ts';
import type { EventInput } from './types.ts';

const MAX_EVENTS_PER_NAMESPACE = 150;
const EVENT_TTL_MS = 60 * 60 * 1000;

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class EventRecorder {
  private readonly recent = new Map<string, string>();
  private seq = 0;
  private readonly sinceTrim = new Map<string, number>();
  private readonly store: ObjectStore;
  private readonly backdate: boolean;
  constructor(store: ObjectStore, backdate = false) {
    this.store = store;
    this.backdate = backdate;
  }

  record(ev: EventInput, now: number): void {
    const inv = ev.involved;
    const namespace = inv.metadata.namespace || 'default';
    const ns = this.store.get(NAMESPACES, undefined, namespace);
    // The API server forbids new objects in a missing or terminating namespace.
    if (!ns || ns.metadata.deletionTimestamp) return;
    const type = ev.type ?? 'Normal';
    const aggKey = [ev.component, ev.host, namespace, inv.kind, inv.metadata.name, inv.metadata.uid, ev.reason, ev.message, type, ev.fieldPath].join('|');
    const existingName = this.recent.get(aggKey);
    const existing = existingName ? this.store.get(EVENTS, namespace, existingName) : undefined;
    if (existing && !ev.series) {
      existing.count = Number(existing.count ?? 1) + 1;
      existing.lastTimestamp = isoSeconds(now);
      existing.metadata.resourceVersion = '';
      this.store.update(EVENTS, existing);
      return;
    }
    const name = `${inv.metadata.name}.${this.nanosHex(now)}`;
    const involvedObject: Record<string, unknown> = {
      apiVersion: inv.apiVersion,
      kind: inv.kind,
      name: inv.metadata.name,
      namespace: inv.metadata.namespace,
      uid: inv.metadata.uid,
      resourceVersion: inv.metadata.resourceVersion,
    };
    if (ev.fieldPath) involvedObject.fieldPath = ev.fieldPath;
    const event: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace, uid: '', resourceVersion: '', creationTimestamp: isoSeconds(now) },
      involvedObject,
      reason: ev.reason,
      message: ev.message,
      type,
      ...(ev.series
        ? {
            source: {},
            firstTimestamp: null,
            lastTimestamp: null,
            eventTime: microTime(now),
            action: ev.action ?? 'Binding',
            reportingComponent: ev.component,
            reportingInstance: `${ev.component}-${ev.host ?? ''}`,
          }
        : {
            source: ev.host ? { component: ev.component, host: ev.host } : { component: ev.component },
            firstTimestamp: isoSeconds(now),
            lastTimestamp: isoSeconds(now),
            count: 1,
            eventTime: null,
            reportingComponent: ev.component,
            reportingInstance: ev.host ?? '',
          }),
    };
    const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ...meta } = event.metadata;
    this.store.create(EVENTS, { ...event, metadata: this.backdate ? { ...meta, creationTimestamp: isoSeconds(now) } : meta });
    this.recent.set(aggKey, name);
    if (this.recent.size > 256) this.recent.delete(this.recent.keys().next().value!);
    // Trimming lists the namespace's events: do it every few records, not on each.
    const n = (this.sinceTrim.get(namespace) ?? 0) + 1;
    this.sinceTrim.set(namespace, n);
    if (n >= 25) {
      this.sinceTrim.set(namespace, 0);
      this.trim(namespace, now);
    }
  }

  private nanosHex(now: number): string {
    // Unique per recorder even when several events share one millisecond.
    this.seq = (this.seq + 1) % 1000;
    return (BigInt(Math.floor(now)) * 1_000_000n + BigInt(this.seq * 997)).toString(16);
  }

  private trim(namespace: string, now: number): void {
    const { items } = this.store.list(EVENTS, { namespace });
    const stamp = (e: KObject) => Date.parse(String(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp));
    const expired = items.filter((e) => now - stamp(e) > EVENT_TTL_MS);
    const rest = items.filter((e) => now - stamp(e) <= EVENT_TTL_MS).sort((a, b) => stamp(a) - stamp(b));
    const excess = rest.slice(0, Math.max(0, rest.length - MAX_EVENTS_PER_NAMESPACE));
    for (const e of [...expired, ...excess]) this.store.delete(EVENTS, namespace, e.metadata.name);
  }
}
