/**
 * The thin, impure shell around the pure reconcilers: it watches every collection of the store,
 * queues the objects each change concerns, runs the matching reconciler, applies the Actions it
 * returns (through admission for new pods, the event recorder and the log book), and keeps one
 * clock timer for the earliest pending wake-up. Idle clusters cost nothing: no polling, and no
 * timer unless some reconciler asked to be woken.
 */
import type { ClusterContext } from '../cluster.ts';
import { admit } from '../admission/index.ts';
import type { ResourceInfo } from '../registry/registry.ts';
import { StoreError, isoSeconds } from '../store/object-store.ts';
import type { KObject, ResourceKey, WatchEvent } from '../store/types.ts';
import { StoreCache } from './cache.ts';
import { EventRecorder } from './events.ts';
import { NAMESPACES } from './keys.ts';
import { routeEvent } from './routing.ts';
import type { WorkItem } from './routing.ts';
import { runItem } from './dispatch.ts';
import type { Action, Env, EventInput } from './types.ts';

const MAX_ITEMS_PER_FLUSH = 20000;

export class ControllerShell {
  private readonly queue = new Map<string, WorkItem>();
  private readonly wakeups = new Map<string, { at: number; item: WorkItem }>();
  private readonly recorder: EventRecorder;
  private readonly cache: StoreCache;
  private cancelTimer: (() => void) | undefined;
  private timerAt = Infinity;
  private scheduled = false;
  private flushing = false;
  private disposed = false;
  private readonly unwatch: () => void;

  private readonly ctx: ClusterContext;
  private readonly backdate: boolean;

  /**
   * `backdate`: stamp created objects with the shell's clock rather than the store's, so the seed
   * can replay a cluster's first minutes in the past and hand over a cluster that looks minutes old.
   */
  constructor(ctx: ClusterContext, opts: { backdate?: boolean } = {}) {
    this.ctx = ctx;
    this.backdate = Boolean(opts.backdate);
    this.recorder = new EventRecorder(ctx.store, this.backdate);
    this.cache = new StoreCache(ctx.store);
    this.unwatch = ctx.store.watch(undefined, {}, (ev) => this.onEvent(ev));
  }

  /** Queue every object once: after seeding or restoring, the controllers catch up with the store. */
  resyncAll(items: WorkItem[]): void {
    for (const item of items) this.enqueue(item);
  }

  enqueue(item: WorkItem): void {
    if (this.disposed) return;
    this.queue.set(item.id, item);
    if (!this.scheduled && !this.flushing) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Records an event now (the seed uses it for the node's start-up events). */
  recordEvent(ev: EventInput): void {
    this.recorder.record(ev, this.ctx.clock.now());
  }

  /** Runs queued work to completion (tests call it to settle synchronously). */
  flush(): void {
    this.scheduled = false;
    if (this.flushing || this.disposed) return;
    this.flushing = true;
    try {
      let n = 0;
      while (this.queue.size && n++ < MAX_ITEMS_PER_FLUSH) {
        const [id, item] = this.queue.entries().next().value!;
        this.queue.delete(id);
        this.run(item);
      }
    } finally {
      this.flushing = false;
    }
    // Left-over work (a runaway loop) continues on the next turn instead of starving the server.
    if (this.queue.size && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  dispose(): void {
    this.disposed = true;
    this.unwatch();
    this.cancelTimer?.();
    this.queue.clear();
    this.wakeups.clear();
  }

  private onEvent(ev: WatchEvent): void {
    if (ev.type === 'MODIFIED' && ev.key.group === '' && ev.key.resource === 'pods' && ev.object.metadata.deletionTimestamp) {
      const before = this.cache.get(ev.key, ev.object.metadata.namespace, ev.object.metadata.name);
      if (before && !before.metadata.deletionTimestamp) this.killing(ev.object);
    }
    this.cache.apply(ev);
    for (const item of routeEvent(ev, this.cache)) this.enqueue(item);
    if (ev.type === 'DELETED' && ev.key.group === '' && ev.key.resource === 'pods') this.podGone(ev.object);
  }

  private run(item: WorkItem): void {
    const env: Env = { now: this.ctx.clock.now(), rng: this.ctx.rng };
    let result;
    try {
      result = runItem(this.cache, item, env);
    } catch (err) {
      // A reconciler bug must not take the cluster down; the object is retried on its next change.
      console.error(`controller ${item.id} failed`, err);
      return;
    }
    let retry = false;
    for (const action of result.actions) retry = this.apply(action, env) || retry;
    if (retry) this.enqueue(item);
    this.setWake(item, result.wakeAt);
  }

  /** Applies one action; returns true when the item should run again (a stale read). */
  private apply(action: Action, env: Env): boolean {
    const { store } = this.ctx;
    try {
      switch (action.op) {
        case 'create': {
          const ns = action.obj.metadata.namespace;
          if (ns && !this.namespaceWritable(ns)) return false;
          let obj = action.obj as KObject;
          if (action.admit) obj = admit(this.ctx, 'CREATE', this.info(action.key, obj), obj);
          if (this.backdate) obj = { ...obj, metadata: { ...obj.metadata, creationTimestamp: isoSeconds(env.now) } };
          store.create(action.key, obj);
          return false;
        }
        case 'update':
          store.update(action.key, action.obj);
          return false;
        case 'delete':
          this.delete(action, env.now);
          return false;
        case 'event':
          this.recorder.record(action.event, env.now);
          return false;
        case 'deleteAll':
          for (const o of store.list(action.key, { namespace: action.namespace }).items) store.delete(action.key, action.namespace, o.metadata.name);
          return false;
        case 'log':
          if (action.restarted) this.ctx.logs.restart(action.namespace, action.pod, action.container);
          for (const line of action.lines) this.ctx.logs.append(action.namespace, action.pod, action.container, line, env.now);
          return false;
      }
    } catch (err) {
      if (err instanceof StoreError) return err.reason === 'Conflict';
      console.error(`controller action ${action.op} failed`, err);
      return false;
    }
  }

  private delete(action: Extract<Action, { op: 'delete' }>, now: number): void {
    const { store } = this.ctx;
    const current = store.get(action.key, action.namespace, action.name);
    if (!current || (action.uid && current.metadata.uid !== action.uid)) return;
    const scheduled = Boolean((current.spec as { nodeName?: string } | undefined)?.nodeName);
    if (action.graceSeconds && scheduled && !current.metadata.deletionTimestamp) {
      // Graceful deletion: marked now, removed by the kubelet once its containers have stopped.
      current.metadata.deletionTimestamp = isoSeconds(now + action.graceSeconds * 1000);
      current.metadata.deletionGracePeriodSeconds = action.graceSeconds;
      store.update(action.key, current);
      return;
    }
    if (current.metadata.deletionTimestamp) return;
    store.delete(action.key, action.namespace, action.name);
  }

  private namespaceWritable(name: string): boolean {
    const ns = this.ctx.store.get(NAMESPACES, undefined, name);
    return Boolean(ns && !ns.metadata.deletionTimestamp);
  }

  private info(key: ResourceKey, obj: KObject): ResourceInfo {
    const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
    const found = this.ctx.registry?.lookup?.(group!, version!, key.resource);
    if (found) return found;
    return {
      group: group!, version: version!, versions: [version!], resource: key.resource, kind: obj.kind,
      singular: obj.kind.toLowerCase(), namespaced: Boolean(obj.metadata.namespace), verbs: [],
    };
  }

  /** A pod left the store: its logs go with it (and its containers stop, if no grace period ran). */
  private podGone(pod: KObject): void {
    if (!pod.metadata.deletionTimestamp) this.killing(pod);
    this.ctx.logs.forget(pod.metadata.namespace ?? '', pod.metadata.name);
  }

  /** The kubelet stops the pod's running containers: one Killing event each. */
  private killing(pod: KObject): void {
    const now = this.ctx.clock.now();
    const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    const statuses = ((pod.status as { containerStatuses?: { name: string; state?: { running?: unknown } }[] })?.containerStatuses) ?? [];
    for (const cs of statuses) {
      if (!cs.state?.running) continue;
      this.recorder.record(
        { involved: pod, reason: 'Killing', message: `Stopping container ${cs.name}`, component: 'kubelet', host: node, fieldPath: `spec.containers{${cs.name}}` },
        now,
      );
    }
  }

  private setWake(item: WorkItem, at: number | undefined): void {
    if (at === undefined) this.wakeups.delete(item.id);
    else this.wakeups.set(item.id, { at, item });
    this.armTimer();
  }

  private armTimer(): void {
    let next = Infinity;
    for (const w of this.wakeups.values()) next = Math.min(next, w.at);
    if (next === this.timerAt) return;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.timerAt = next;
    if (next === Infinity || this.disposed) return;
    const delay = Math.max(0, next - this.ctx.clock.now());
    this.cancelTimer = this.ctx.clock.setTimeout(() => this.onTimer(), delay);
  }

  private onTimer(): void {
    this.cancelTimer = undefined;
    this.timerAt = Infinity;
    const now = this.ctx.clock.now();
    for (const [id, w] of [...this.wakeups]) {
      if (w.at <= now) {
        this.wakeups.delete(id);
        this.enqueue(w.item);
      }
    }
    this.armTimer();
  }
}
