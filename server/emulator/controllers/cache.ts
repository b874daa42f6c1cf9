/**
 * The controllers' read cache (an informer in client-go terms): a copy of every object, kept
 * current from the store's watch events, that reconcilers read without the deep copy the store
 * makes on each get/list. Reconcilers never mutate what they read; they copy before they change.
 */
import type { ListOptions, ObjectStore } from '../store/object-store.ts';
import { keyId } from '../store/object-store.ts';
import type { KObject, ResourceKey, WatchEvent } from '../store/types.ts';
import type { Reader } from './types.ts';

type Collection = Map<string, Map<string, KObject>>; // namespace → name → object

/**
 * Collections read straight from the store instead: Events (many, and read by no reconciler but the
 * namespace purge) and CustomResourceDefinitions (large schemas, read only when one changes).
 */
const PASS_THROUGH = new Set(['/events', 'apiextensions.k8s.io/customresourcedefinitions']);

export class StoreCache implements Reader {
  private readonly collections = new Map<string, { key: ResourceKey; byNs: Collection }>();
  private readonly store: ObjectStore;

  constructor(store: ObjectStore) {
    this.store = store;
    for (const key of store.keys()) for (const obj of store.list(key).items) this.put(key, obj);
  }

  apply(ev: WatchEvent): void {
    if (ev.type === 'DELETED') {
      this.collections.get(keyId(ev.key))?.byNs.get(ev.object.metadata.namespace ?? '')?.delete(ev.object.metadata.name);
    } else {
      this.put(ev.key, ev.object);
    }
  }

  get(key: ResourceKey, namespace: string | undefined, name: string): KObject | undefined {
    if (PASS_THROUGH.has(keyId(key))) return this.store.get(key, namespace, name);
    return this.collections.get(keyId(key))?.byNs.get(namespace ?? '')?.get(name);
  }

  list(key: ResourceKey, opts: ListOptions = {}): { items: KObject[]; resourceVersion: string } {
    if (PASS_THROUGH.has(keyId(key))) return this.store.list(key, opts);
    const coll = this.collections.get(keyId(key));
    const items: KObject[] = [];
    if (coll) {
      const spaces = opts.namespace !== undefined ? [coll.byNs.get(opts.namespace)] : [...coll.byNs.keys()].sort().map((ns) => coll.byNs.get(ns));
      for (const names of spaces) {
        if (!names) continue;
        for (const obj of [...names.values()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))) {
          if (!opts.filter || opts.filter(obj)) items.push(obj);
        }
      }
    }
    return { items, resourceVersion: this.store.resourceVersion };
  }

  keys(): ResourceKey[] {
    const cached = [...this.collections.values()].filter((c) => [...c.byNs.values()].some((m) => m.size)).map((c) => c.key);
    return [...cached, ...this.store.keys().filter((k) => PASS_THROUGH.has(keyId(k)))];
  }

  private put(key: ResourceKey, obj: KObject): void {
    const id = keyId(key);
    if (PASS_THROUGH.has(id)) return;
    let coll = this.collections.get(id);
    if (!coll) {
      coll = { key: { group: key.group, resource: key.resource }, byNs: new Map() };
      this.collections.set(id, coll);
    }
    const ns = obj.metadata.namespace ?? '';
    let names = coll.byNs.get(ns);
    if (!names) {
      names = new Map();
      coll.byNs.set(ns, names);
    }
    names.set(obj.metadata.name, obj);
  }
}
