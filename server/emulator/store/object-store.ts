/**
 * The versioned object store behind one emulated cluster: etcd plus the generic registry's
 * bookkeeping (uid, resourceVersion, generation, creationTimestamp) and watch fan-out.
 * It knows nothing of HTTP, kinds or validation; callers hand it ResourceKeys and objects.
 */
import { randomUUID } from 'node:crypto';
import type { KObject, NewObject, ResourceKey, WatchEvent } from './types.ts';

export interface StoreOptions {
  /** Current time in ms; injected so a fast clock ages objects consistently. */
  now?: () => number;
  newUid?: () => string;
  /** How many past events a watch can resume from before answering "too old". */
  historySize?: number;
  /** …and how many bytes of objects those events may hold (old versions of big objects add up). */
  historyBytes?: number;
  /**
   * Besides metadata.finalizers, what keeps an object marked for deletion in the store: a namespace's
   * spec.finalizers, a pod's graceful termination. The API server passes it; default: nothing.
   */
  holdsDeletion?: (obj: KObject) => boolean;
}

export interface ListOptions {
  namespace?: string;
  filter?: (obj: KObject) => boolean;
}

export interface WatchOptions extends ListOptions {
  /** Replay events newer than this resourceVersion first; omit to start from "now". */
  sinceResourceVersion?: string;
}

export type StoreErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired';

/** Thrown by store operations; the API layer turns it into a Status. */
export class StoreError extends Error {
  readonly reason: StoreErrorReason;
  constructor(reason: StoreErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

type Listener = (event: WatchEvent) => void;

interface Subscription {
  key: ResourceKey | undefined;
  opts: ListOptions;
  listener: Listener;
}

export const keyId = (key: ResourceKey): string => `${key.group}/${key.resource}`;
const objectId = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

/** Fields outside metadata and status: a change to any of them is a change of desired state. */
function specOf(obj: KObject | NewObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj as Record<string, unknown>;
  return JSON.stringify(rest);
}

/**
 * Which kinds count spec changes in metadata.generation: workloads, CRDs and the other API groups'
 * objects do; the core group's (pods, services, namespaces, config maps…) do not, ReplicationControllers
 * aside (as Kubernetes 1.31–1.33 serve them).
 */
function tracksGeneration(key: { group: string; resource: string }): boolean {
  return key.group !== '' || key.resource === 'replicationcontrollers';
}

export class ObjectStore {
  private readonly collections = new Map<string, Map<string, KObject>>();
  private readonly history: { rv: number; event: WatchEvent }[] = [];
  private readonly subscriptions = new Set<Subscription>();
  private rv = 1;
  private readonly now: () => number;
  private readonly newUid: () => string;
  private readonly historySize: number;
  private readonly historyBudget: number;
  /** JSON size of each stored object (and of each object a history event holds), computed once. */
  private readonly sizes = new WeakMap<KObject, number>();
  private liveBytes = 0;
  private historyBytes = 0;
  private readonly holdsDeletion: (obj: KObject) => boolean;

  constructor(opts: StoreOptions = {}) {
    this.holdsDeletion = opts.holdsDeletion ?? (() => false);
    this.now = opts.now ?? Date.now;
    this.newUid = opts.newUid ?? randomUUID;
    this.historySize = opts.historySize ?? 4096;
    this.historyBudget = opts.historyBytes ?? 8 * 1024 * 1024;
  }

  /** Bytes of the objects stored now (their JSON): what a quota on the cluster's size counts. */
  get bytes(): number {
    return this.liveBytes;
  }

  /** The latest resourceVersion handed out (what a list reports). */
  get resourceVersion(): string {
    return String(this.rv);
  }

  get(key: ResourceKey, namespace: string | undefined, name: string): KObject | undefined {
    const found = this.collection(key).get(objectId(namespace, name));
    return found && structuredClone(found);
  }

  list(key: ResourceKey, opts: ListOptions = {}): { items: KObject[]; resourceVersion: string } {
    const items = [...this.collection(key).values()]
      .filter((o) => matches(o, opts))
      .sort((a, b) => compareObjects(a, b))
      .map((o) => structuredClone(o));
    return { items, resourceVersion: this.resourceVersion };
  }

  /**
   * Like `get`, without the deep copy: the store's own object, for callers that only read it and are
   * done before they yield (serialising a response, an authorization decision). Never mutate it.
   */
  peek(key: ResourceKey, namespace: string | undefined, name: string): Readonly<KObject> | undefined {
    return this.collection(key).get(objectId(namespace, name));
  }

  /** Like `list`, without the deep copies (a list of pods costs ~0.1 ms per pod to clone); see `peek`. */
  scan(key: ResourceKey, opts: ListOptions = {}): { items: readonly Readonly<KObject>[]; resourceVersion: string } {
    const items = [...this.collection(key).values()].filter((o) => matches(o, opts)).sort((a, b) => compareObjects(a, b));
    return { items, resourceVersion: this.resourceVersion };
  }

  /** Every collection that holds at least one object (for GC, namespace purge and snapshots). */
  keys(): ResourceKey[] {
    return [...this.collections.entries()]
      .filter(([, c]) => c.size > 0)
      .map(([id]) => {
        const slash = id.indexOf('/');
        return { group: id.slice(0, slash), resource: id.slice(slash + 1) };
      });
  }

  create(key: ResourceKey, input: NewObject, opts: { dryRun?: boolean } = {}): KObject {
    const coll = this.collection(key);
    const id = objectId(input.metadata.namespace, input.metadata.name);
    if (coll.has(id)) throw new StoreError('AlreadyExists', `${input.metadata.name} already exists`);
    const obj = structuredClone(input) as KObject;
    const rv = opts.dryRun ? this.rv : ++this.rv;
    obj.metadata = {
      ...obj.metadata,
      uid: input.metadata.uid ?? this.newUid(),
      resourceVersion: String(rv),
      creationTimestamp: input.metadata.creationTimestamp ?? isoSeconds(this.now()),
    };
    if ('spec' in obj && obj.metadata.generation === undefined && tracksGeneration(key)) obj.metadata.generation = 1;
    if (opts.dryRun) return structuredClone(obj);
    coll.set(id, obj);
    this.liveBytes += this.sizeOf(obj);
    this.emit(rv, { type: 'ADDED', key, object: obj });
    return structuredClone(obj);
  }

  /**
   * Replaces an object. A non-empty metadata.resourceVersion must match (optimistic concurrency);
   * uid and creationTimestamp are kept; generation goes up when the desired state changed.
   */
  update(key: ResourceKey, input: KObject, opts: { dryRun?: boolean } = {}): KObject {
    const coll = this.collection(key);
    const id = objectId(input.metadata.namespace, input.metadata.name);
    const current = coll.get(id);
    if (!current) throw new StoreError('NotFound', `${input.metadata.name} not found`);
    const wanted = input.metadata.resourceVersion;
    if (wanted && wanted !== current.metadata.resourceVersion) {
      throw new StoreError(
        'Conflict',
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    const obj = structuredClone(input);
    const rv = opts.dryRun ? this.rv : ++this.rv;
    obj.metadata = {
      ...obj.metadata,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: String(rv),
    };
    if (current.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    if (current.metadata.generation !== undefined) {
      obj.metadata.generation = current.metadata.generation + (specOf(current) === specOf(obj) ? 0 : 1);
    }
    if (opts.dryRun) return structuredClone(obj);
    // A write that changes nothing keeps its resourceVersion and wakes no watcher, like the real apiserver.
    if (sameExceptVersion(current, obj)) {
      this.rv--;
      return structuredClone(current);
    }
    coll.set(id, obj);
    this.liveBytes += this.sizeOf(obj) - this.sizeOf(current);
    this.emit(rv, { type: 'MODIFIED', key, object: obj });
    // Finalizers emptied on an object marked for deletion: it goes now.
    if (obj.metadata.deletionTimestamp && !this.pending(obj)) {
      return this.remove(key, obj);
    }
    return structuredClone(obj);
  }

  /**
   * Deletes an object. With finalizers it is only marked (deletionTimestamp) and stays until they are
   * removed. Returns the object as last stored.
   */
  delete(key: ResourceKey, namespace: string | undefined, name: string, opts: { dryRun?: boolean } = {}): KObject {
    const current = this.collection(key).get(objectId(namespace, name));
    if (!current) throw new StoreError('NotFound', `${name} not found`);
    if (opts.dryRun) return structuredClone(current);
    if (this.pending(current)) {
      if (current.metadata.deletionTimestamp) return structuredClone(current);
      const marked = structuredClone(current);
      marked.metadata.deletionTimestamp = isoSeconds(this.now());
      marked.metadata.deletionGracePeriodSeconds = 0;
      return this.update(key, marked);
    }
    return this.remove(key, current);
  }

  /**
   * Subscribes to changes. With a key, only that collection; without, every collection (controllers).
   * Throws StoreError('Expired') when sinceResourceVersion is older than the kept history.
   */
  watch(key: ResourceKey | undefined, opts: WatchOptions, listener: Listener): () => void {
    const sub: Subscription = { key, opts, listener };
    if (opts.sinceResourceVersion !== undefined && opts.sinceResourceVersion !== '' && opts.sinceResourceVersion !== '0') {
      const since = Number(opts.sinceResourceVersion);
      const oldest = this.history[0]?.rv ?? this.rv + 1;
      if (Number.isNaN(since) || (since < oldest - 1 && since < this.rv)) {
        throw new StoreError('Expired', `too old resource version: ${opts.sinceResourceVersion} (${oldest - 1})`);
      }
      for (const { rv, event } of this.history) {
        if (rv > since && wants(sub, event)) listener(cloneEvent(event));
      }
    }
    this.subscriptions.add(sub);
    return () => this.subscriptions.delete(sub);
  }

  /** Serialisable state: enough to rebuild the store exactly, resourceVersions included. */
  snapshot(): StoreSnapshot {
    const collections: StoreSnapshot['collections'] = [];
    for (const [id, coll] of this.collections) {
      if (coll.size) collections.push({ id, objects: [...coll.values()].map((o) => structuredClone(o)) });
    }
    return { resourceVersion: this.rv, collections };
  }

  static restore(snapshot: StoreSnapshot, opts: StoreOptions = {}): ObjectStore {
    const store = new ObjectStore(opts);
    store.rv = snapshot.resourceVersion;
    for (const { id, objects } of snapshot.collections) {
      const coll = new Map<string, KObject>();
      for (const o of objects) {
        const copy = structuredClone(o);
        coll.set(objectId(o.metadata.namespace, o.metadata.name), copy);
        store.liveBytes += store.sizeOf(copy);
      }
      store.collections.set(id, coll);
    }
    return store;
  }

  private sizeOf(obj: KObject): number {
    let n = this.sizes.get(obj);
    if (n === undefined) {
      n = JSON.stringify(obj).length;
      this.sizes.set(obj, n);
    }
    return n;
  }

  private pending(obj: KObject): boolean {
    return !!obj.metadata.finalizers?.length || this.holdsDeletion(obj);
  }

  private remove(key: ResourceKey, current: KObject): KObject {
    const coll = this.collection(key);
    coll.delete(objectId(current.metadata.namespace, current.metadata.name));
    this.liveBytes -= this.sizeOf(current);
    const rv = ++this.rv;
    const gone = structuredClone(current);
    gone.metadata.resourceVersion = String(rv);
    this.emit(rv, { type: 'DELETED', key, object: gone });
    return structuredClone(gone);
  }

  private collection(key: ResourceKey): Map<string, KObject> {
    const id = keyId(key);
    let coll = this.collections.get(id);
    if (!coll) {
      coll = new Map();
      this.collections.set(id, coll);
    }
    return coll;
  }

  private emit(rv: number, event: WatchEvent): void {
    this.history.push({ rv, event });
    this.historyBytes += this.sizeOf(event.object);
    // Bounded in count and in bytes: a watch resuming from further back is told "too old" and relists.
    while (this.history.length > 1 && (this.history.length > this.historySize || this.historyBytes > this.historyBudget)) {
      this.historyBytes -= this.sizeOf(this.history.shift()!.event.object);
    }
    for (const sub of [...this.subscriptions]) {
      if (!this.subscriptions.has(sub) || !wants(sub, event)) continue;
      try {
        sub.listener(cloneEvent(event));
      } catch (err) {
        // One faulty watcher must not break the write or the other watchers; report and carry on.
        console.error('watch listener failed', err);
      }
    }
  }
}

export interface StoreSnapshot {
  resourceVersion: number;
  collections: { id: string; objects: KObject[] }[];
}

function wants(sub: Subscription, event: WatchEvent): boolean {
  if (sub.key && keyId(sub.key) !== keyId(event.key)) return false;
  return matches(event.object, sub.opts);
}

function matches(obj: KObject, opts: ListOptions): boolean {
  if (opts.namespace !== undefined && obj.metadata.namespace !== opts.namespace) return false;
  return !opts.filter || opts.filter(obj);
}

function cloneEvent(e: WatchEvent): WatchEvent {
  return { type: e.type, key: e.key, object: structuredClone(e.object) };
}

function compareObjects(a: KObject, b: KObject): number {
  const ns = (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '');
  return ns || a.metadata.name.localeCompare(b.metadata.name);
}

function sameExceptVersion(a: KObject, b: KObject): boolean {
  const strip = (o: KObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: '' } });
  return strip(a) === strip(b);
}

/** Kubernetes timestamps have second precision: 2026-11-26T01:20:39Z. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
